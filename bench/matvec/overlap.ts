// Synthetic loops for bench/matvec/overlap.mjs: what X (8 x K) @ W.T's arithmetic does to the
// weight's stream from memory, next to the library's kernels (re-exported from the kernel sources).
export { matvec_f32_dot, matvec_pack_a_blocks, matvec_f32_axpy, matvec_pack_a_pairs } from '../../packages/kernels-wasm/assembly/matvec';

/** The weight alone: a sum over four runs of it side by side (the library's float32 sum reads so). */
export function stream4(pb: usize, nbytes: usize, po: usize): void {
  let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
  const part = nbytes >> 2;
  for (let o: usize = 0; o < part; o += 16) {
    s0 = f32x4.add(s0, v128.load(pb + o));
    s1 = f32x4.add(s1, v128.load(pb + part + o));
    s2 = f32x4.add(s2, v128.load(pb + 2 * part + o));
    s3 = f32x4.add(s3, v128.load(pb + 3 * part + o));
  }
  v128.store(po, f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)));
}

/**
 * The product's multiply-adds and nothing else: every weight vector against 8 vectors of A from
 * L1 (one fixed 128-byte block at pa), 8 multiply-adds a weight vector as x (8 x K) @ W.T does,
 * no packing, no sums in memory, no reductions; the weight read evenly from S runs (1, 2, 4 or
 * 8) side by side, a vector from each in turn.
 */
export function uniform(pb: usize, nbytes: usize, po: usize, pa: usize, S: i32): void {
  let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
  // eight pointers in rotation: run i % S, vector i / S of it; each advances 128 / S bytes a turn
  const part = nbytes / <usize>S, inc = <usize>(128 / S);
  let o0: usize = 0, o1: usize = 0, o2: usize = 0, o3: usize = 0, o4: usize = 0, o5: usize = 0, o6: usize = 0, o7: usize = 0;
  for (let i = 0; i < 8; i++) {
    const p = pb + <usize>(i % S) * part + <usize>((i / S) << 4);
    if (i == 0) o0 = p; else if (i == 1) o1 = p; else if (i == 2) o2 = p; else if (i == 3) o3 = p;
    else if (i == 4) o4 = p; else if (i == 5) o5 = p; else if (i == 6) o6 = p; else o7 = p;
  }
  for (let n = nbytes >> 4; n > 0; n--) {
    const w = v128.load(o0);
    s0 = f32x4.add(s0, f32x4.mul(w, v128.load(pa))); s1 = f32x4.add(s1, f32x4.mul(w, v128.load(pa, 16)));
    s2 = f32x4.add(s2, f32x4.mul(w, v128.load(pa, 32))); s3 = f32x4.add(s3, f32x4.mul(w, v128.load(pa, 48)));
    s4 = f32x4.add(s4, f32x4.mul(w, v128.load(pa, 64))); s5 = f32x4.add(s5, f32x4.mul(w, v128.load(pa, 80)));
    s6 = f32x4.add(s6, f32x4.mul(w, v128.load(pa, 96))); s7 = f32x4.add(s7, f32x4.mul(w, v128.load(pa, 112)));
    const t = o0 + inc; o0 = o1; o1 = o2; o2 = o3; o3 = o4; o4 = o5; o5 = o6; o6 = o7; o7 = t;
  }
  v128.store(po, f32x4.add(f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)), f32x4.add(f32x4.add(s4, s5), f32x4.add(s6, s7))));
}
