// Compiled (fused elementwise chains from mx.compile): the steps' own kernels run one after
// another on whole arrays, which is exactly the unfused semantics. Fast backends replace this
// with one blocked pass; this is the oracle they are compared against.
import { registerKernel, kernels } from './registry.js';
import type { ArrayData, Storage } from '../interface.js';
import type { CompiledParams } from '../../primitives/compiled.js';
import { rowMajorStrides, shapeSize } from '../../shape.js';

registerKernel('Compiled', (prim, inputs, outputs) => {
  const p = prim.params as CompiledParams;
  const backend = outputs[0]!.storage.backend;
  const values: ArrayData[] = [...inputs];
  const temps: Storage[] = [];
  const strides = rowMajorStrides([...p.shape]);
  const n = shapeSize([...p.shape]);
  try {
    p.steps.forEach((st, i) => {
      const k = p.outputs.indexOf(p.nInputs + i);
      let out: ArrayData;
      if (k >= 0) out = outputs[k]!;
      else {
        const storage = backend.allocate(n * st.dtype.size);
        temps.push(storage);
        out = { storage, dtype: st.dtype, shape: p.shape, strides, offset: 0 };
      }
      const kernel = kernels.get(st.prim.name);
      if (!kernel) throw new Error(`reference: no kernel for fused step ${st.prim.name}`);
      kernel(st.prim, st.inputs.map((j) => values[j]!), [out]);
      values.push(out);
    });
    // An output listed twice, or an input passed straight through, is copied by the array
    // layer before fusion ever sees it (see fuseTrace), so every output was written above.
  } finally {
    for (const t of temps) backend.release(t);
  }
});
