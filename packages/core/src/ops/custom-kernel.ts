// mx.fast.metalKernel (MLX's fast.metal_kernel) for mlx-ts's GPU: the source is WGSL, run by
// the WebGPU backend (see @mlx-ts/metal-backend's README for what the body sees). Validates
// the definition when it is made and each call's launch, then returns one CustomKernel
// primitive with an output per output name.
import { makeArrays, type MxArray } from '../array.js';
import { Primitive } from '../primitive.js';
import { isDtype, type Dtype } from '../dtype.js';
import { backendFor, gpu, toStream, type StreamOrDevice } from '../device.js';
import { asArray } from '../convert.js';
import { contiguous } from './views.js';
import { CustomKernel, type CustomKernelParams, type TemplateValue } from '../primitives/custom-kernel.js';

export interface MetalKernelOptions {
  name: string;
  inputNames: string[];
  outputNames: string[];
  source: string;
  header?: string;
  ensureRowContiguous?: boolean;
  atomicOutputs?: boolean;
}

export interface MetalKernelCall {
  inputs: unknown[];
  /** [name, dtype | integer | boolean] pairs (MLX's list of tuples), or an object of them. */
  template?: [string, TemplateValue][] | Record<string, TemplateValue>;
  grid: [number, number, number];
  threadgroup: [number, number, number];
  outputShapes: number[][];
  outputDtypes: Dtype[];
  initValue?: number | null;
  verbose?: boolean;
  stream?: StreamOrDevice;
}

export type MetalKernel = (call: MetalKernelCall) => MxArray[];

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const OP = '[metal_kernel]';

function names(v: unknown, what: string, allowEmpty: boolean): string[] {
  if (!Array.isArray(v)) throw new TypeError(`${OP} ${what} must be an array of names, got ${typeof v}.`);
  if (!allowEmpty && v.length === 0) throw new RangeError(`${OP} ${what} must name at least one array.`);
  for (const n of v) {
    if (typeof n !== 'string' || !IDENT.test(n)) throw new TypeError(`${OP} ${what} holds ${JSON.stringify(n)}, which is not an identifier.`);
  }
  return [...(v as string[])];
}

function dims3(v: unknown, what: string): [number, number, number] {
  if (!Array.isArray(v) || v.length !== 3 || !v.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new TypeError(`${OP} ${what} must be three positive integers [x, y, z], got ${JSON.stringify(v)}.`);
  }
  return [v[0], v[1], v[2]];
}

/**
 * Makes a custom GPU kernel from the body of its function (MLX's metal_kernel; the body is
 * WGSL here). Takes MLX's arguments positionally (name, inputNames, outputNames, source,
 * header, ensureRowContiguous, atomicOutputs) or as one object.
 */
export function metalKernel(
  nameOrOptions: string | MetalKernelOptions,
  inputNames?: string[],
  outputNames?: string[],
  source?: string,
  header = '',
  ensureRowContiguous = true,
  atomicOutputs = false,
): MetalKernel {
  const o: MetalKernelOptions =
    typeof nameOrOptions === 'object' && nameOrOptions !== null
      ? nameOrOptions
      : { name: nameOrOptions, inputNames: inputNames!, outputNames: outputNames!, source: source!, header, ensureRowContiguous, atomicOutputs };
  if (typeof o.name !== 'string' || !IDENT.test(o.name)) throw new TypeError(`${OP} name must be an identifier, got ${JSON.stringify(o.name)}.`);
  const ins = names(o.inputNames, 'inputNames', true);
  const outs = names(o.outputNames, 'outputNames', false);
  const all = [...ins, ...outs];
  const dup = all.find((n, i) => all.indexOf(n) !== i);
  if (dup) throw new Error(`${OP} the name '${dup}' is given twice in inputNames/outputNames.`);
  if (typeof o.source !== 'string' || o.source.trim() === '') throw new TypeError(`${OP} source must be the kernel body (a non-empty string).`);
  const hdr = o.header ?? '';
  if (typeof hdr !== 'string') throw new TypeError(`${OP} header must be a string.`);
  const rowContiguous = o.ensureRowContiguous ?? true;
  const atomic = o.atomicOutputs ?? false;
  if (typeof rowContiguous !== 'boolean') throw new TypeError(`${OP} ensureRowContiguous must be a boolean.`);
  if (typeof atomic !== 'boolean') throw new TypeError(`${OP} atomicOutputs must be a boolean.`);

  return (call: MetalKernelCall): MxArray[] => {
    if (typeof call !== 'object' || call === null) throw new TypeError(`${OP} ${o.name}: call the kernel with { inputs, grid, threadgroup, outputShapes, outputDtypes, ... }.`);
    const s = toStream(call.stream);
    if (s.device.type !== gpu) {
      throw new Error(
        `${OP} metalKernel needs the GPU: '${o.name}' was called on ${String(s.device)}; make mx.gpu the default device (mx.setDefaultDevice(mx.gpu)) or pass stream: mx.gpu, after registerWebGPU() from @mlx-ts/metal-backend.`,
      );
    }
    const be = backendFor(s.device); // throws clearly when no GPU backend is registered
    if (be.kind !== 'gpu') throw new Error(`${OP} metalKernel needs the GPU: the '${be.name}' backend serving this stream is not one.`);
    if (!Array.isArray(call.inputs) || call.inputs.length !== ins.length) {
      throw new RangeError(`${OP} ${o.name} takes ${ins.length} inputs (${ins.join(', ')}), got ${Array.isArray(call.inputs) ? call.inputs.length : typeof call.inputs}.`);
    }
    let inputs = call.inputs.map((x, i) => asArray(x, ins[i], 'metal_kernel'));
    if (rowContiguous) inputs = inputs.map((x) => contiguous(x, false, s));
    const grid = dims3(call.grid, 'grid');
    const threadgroup = dims3(call.threadgroup, 'threadgroup');
    const { outputShapes: shapes, outputDtypes: dtypes } = call;
    if (!Array.isArray(shapes) || shapes.length !== outs.length) throw new RangeError(`${OP} ${o.name}: outputShapes must give one shape per output (${outs.length}).`);
    if (!Array.isArray(dtypes) || dtypes.length !== outs.length) throw new RangeError(`${OP} ${o.name}: outputDtypes must give one dtype per output (${outs.length}).`);
    shapes.forEach((sh, i) => {
      if (!Array.isArray(sh) || !sh.every((d) => Number.isInteger(d) && d >= 0)) throw new TypeError(`${OP} ${o.name}: outputShapes[${i}] must be a shape (non-negative integers), got ${JSON.stringify(sh)}.`);
    });
    dtypes.forEach((d, i) => {
      if (!isDtype(d)) throw new TypeError(`${OP} ${o.name}: outputDtypes[${i}] must be an mx dtype, got ${String(d)}.`);
    });
    const tpl: [string, TemplateValue][] = [];
    const t = call.template ?? [];
    const entries = Array.isArray(t) ? t : typeof t === 'object' ? Object.entries(t) : null;
    if (!entries) throw new TypeError(`${OP} ${o.name}: template must be [name, value] pairs or an object.`);
    for (const e of entries) {
      const [n, v] = Array.isArray(e) ? e : [undefined, undefined];
      if (typeof n !== 'string' || !IDENT.test(n)) throw new TypeError(`${OP} ${o.name}: template names must be identifiers, got ${JSON.stringify(n)}.`);
      if (!(isDtype(v) || typeof v === 'boolean' || Number.isInteger(v))) throw new TypeError(`${OP} ${o.name}: template argument '${n}' must be a dtype, an integer or a boolean, got ${String(v)}.`);
      tpl.push([n, v as TemplateValue]);
    }
    const initValue = call.initValue ?? null;
    if (initValue !== null && typeof initValue !== 'number') throw new TypeError(`${OP} ${o.name}: initValue must be a number.`);
    const params: CustomKernelParams = {
      name: o.name,
      inputNames: ins,
      outputNames: outs,
      source: o.source,
      header: hdr,
      ensureRowContiguous: rowContiguous,
      atomicOutputs: atomic,
      template: tpl,
      grid,
      threadgroup,
      initValue,
      verbose: call.verbose === true,
    };
    return makeArrays(
      shapes.map((sh) => [...sh]),
      [...dtypes],
      new Primitive(CustomKernel, params),
      inputs,
      s,
    );
  };
}
