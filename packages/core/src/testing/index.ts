// @mlx-ts/core/testing: the reference backend as a public oracle. Generate inputs with the
// fast-check arbitraries, run an op on two backends with compareBackends, get the first
// differing elements when they disagree. See README.md.
export { compareBackends, compareHost, ulpDistance, BackendMismatchError, type CompareOptions } from './compare.js';
export { materialize, readHost, specShape, unitsArray, type ArraySpec, type ViewStep, type HostArray } from './specs.js';
export {
  dtypeArb,
  shapeArb,
  broadcastableShapesArb,
  unitsArb,
  arraySpecArb,
  arraySpecsArb,
  type ShapeOptions,
  type ArraySpecOptions,
  type LayoutKind,
} from './arbitraries.js';
