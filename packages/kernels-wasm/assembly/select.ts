// Select (mx.where): out[i] = cond[i] ? x[i] : y[i], copying raw storage units of any width,
// so every dtype is exact (as the reference copies storage units). Descriptor for strided
// operands: [ndim, shape, stridesCond, stridesX, stridesY].
import { word, at, wordAt, COUNTERS, jumpTable, startDescWalk, advance, jump } from './layout';

@inline function selectLoops<T>(strided: bool, pc: usize, px: usize, py: usize, po: usize, n: i32): void {
  if (!strided) {
    for (let i = 0; i < n; i++) store<T>(at<T>(po, i), load<u8>(pc + <usize>i) != 0 ? load<T>(at<T>(px, i)) : load<T>(at<T>(py, i)));
    return;
  }
  const nd = word(0);
  const last = nd - 1;
  const n0 = word(1 + last);
  const sc0 = word(1 + nd + last);
  const sx0 = word(1 + 2 * nd + last);
  const sy0 = word(1 + 3 * nd + last);
  const shape = wordAt(1);
  const jc = jumpTable(0);
  const jx = jumpTable(1);
  const jy = jumpTable(2);
  const rows = startDescWalk(last, 3);
  let oc = 0;
  let ox = 0;
  let oy = 0;
  let o = po;
  for (let r = 0; r < rows; r++) {
    let ic = oc;
    let ix = ox;
    let iy = oy;
    for (let j = 0; j < n0; j++) {
      store<T>(o, load<u8>(pc + <usize>ic) != 0 ? load<T>(at<T>(px, ix)) : load<T>(at<T>(py, iy)));
      o += sizeof<T>();
      ic += sc0;
      ix += sx0;
      iy += sy0;
    }
    const k = advance(shape, COUNTERS, last);
    oc += jump(jc, k);
    ox += jump(jx, k);
    oy += jump(jy, k);
  }
}

/** `width`: bytes per element (1, 2, 4 or 8). */
export function select(width: i32, strided: bool, pc: usize, px: usize, py: usize, po: usize, n: i32): bool {
  switch (width) {
    case 1: selectLoops<u8>(strided, pc, px, py, po, n); return true;
    case 2: selectLoops<u16>(strided, pc, px, py, po, n); return true;
    case 4: selectLoops<u32>(strided, pc, px, py, po, n); return true;
    case 8: selectLoops<u64>(strided, pc, px, py, po, n); return true;
  }
  return false;
}
