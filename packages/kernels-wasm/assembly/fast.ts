// mx.fast's row kernels in float32 (the adapters are core backend/wasm/fast-rows.ts): RoPE,
// cross entropy, the gated delta rule and the Hadamard transform. Each follows its reference
// kernel (core backend/reference/{fast,hadamard}.ts) step for step: float32 arithmetic where
// the reference rounds every step to float32 (a double result of two float32 operands rounded
// to float32 is the float32 result), double sums where it sums in double, same order. The
// only differences are the libm calls (cos/sin/log here are AssemblyScript's, the reference's
// are the JS engine's: both within an ulp in double, so equal after rounding to float32 but
// for ties a double ulp apart) and the exp of the SIMD kernels (expF, within 1 float32 ulp).
// Every kernel takes a range of independent work items so threads can split it.
import { expF } from './math';
import { halfToF64, bf16ToF64, f64ToHalf, f64ToBf16 } from './half-double';

/** Position t of batch entry b, (t + offset) * scale in float32 (the reference's rounding). */
@inline function ropePosition(offsets: usize, offStride: i32, b: i32, t: i32, scale: f32): f32 {
  const off = load<f32>(offsets + (<usize>(b * offStride) << 2));
  return <f32>(<f64>t + <f64>off) * scale;
}

/** The angle of frequency i at a position, rounded to float32, as a double for the libm call. */
@inline function ropeAngle(pos: f32, inv: usize, i: i32): f64 {
  return <f64>(pos * load<f32>(inv + (<usize>i << 2)));
}

/**
 * RoPE over row-major x and out of [B, H, T, D] (H: every middle axis, flattened), for the
 * items b * T + t in [i0, i1): positions (t + offset[b]) * scale, angles position * inv[i]
 * for i < dims / 2 (inv: float32 inverse frequencies), the pairs (i, i + dims/2) or
 * (2i, 2i + 1) when `traditional`, rotated forward or back; features from dims on copied.
 * `offsets` holds one float32 per batch entry, or one for all (`offStride` 0). `trig` is
 * scratch of dims float32 per thread (the cosines, then the sines).
 */
export function rope_f32(
  px: usize, po: usize, B: i32, H: i32, T: i32, D: i32, dims: i32, traditional: i32, forward: i32,
  inv: usize, offsets: usize, offStride: i32, scale: f32, trig: usize, i0: i32, i1: i32,
): void {
  const half = dims >> 1;
  const sines = trig + (<usize>half << 2);
  for (let it = i0; it < i1; it++) {
    const b = it / T, t = it % T;
    const pos = ropePosition(offsets, offStride, b, t, scale);
    for (let i = 0; i < half; i++) {
      const theta = ropeAngle(pos, inv, i);
      store<f32>(trig + (<usize>i << 2), <f32>Math.cos(theta));
      store<f32>(sines + (<usize>i << 2), <f32>Math.sin(theta));
    }
    for (let h = 0; h < H; h++) {
      const row = <usize>(((b * H + h) * T + t) * D) << 2;
      const xr = px + row, orow = po + row;
      for (let i = 0; i < half; i++) {
        const a1 = traditional ? 2 * i : i;
        const a2 = traditional ? 2 * i + 1 : i + half;
        const x1 = load<f32>(xr + (<usize>a1 << 2)), x2 = load<f32>(xr + (<usize>a2 << 2));
        const c = load<f32>(trig + (<usize>i << 2)), s = load<f32>(sines + (<usize>i << 2));
        if (forward) {
          store<f32>(orow + (<usize>a1 << 2), x1 * c - x2 * s);
          store<f32>(orow + (<usize>a2 << 2), x1 * s + x2 * c);
        } else {
          store<f32>(orow + (<usize>a1 << 2), x2 * s + x1 * c);
          store<f32>(orow + (<usize>a2 << 2), x2 * c - x1 * s);
        }
      }
      if (dims < D && xr != orow) memory.copy(orow + (<usize>dims << 2), xr + (<usize>dims << 2), <usize>(D - dims) << 2);
    }
  }
}

@inline function halfIn(bf: bool, p: usize): f64 {
  return bf ? bf16ToF64(load<u16>(p)) : halfToF64(load<u16>(p));
}
@inline function halfRound(bf: bool, x: f64): u32 {
  return bf ? f64ToBf16(x) : f64ToHalf(x);
}
@inline function halfOut(bf: bool, x: f64): f64 {
  return bf ? bf16ToF64(halfRound(bf, x)) : halfToF64(halfRound(bf, x));
}

/**
 * rope_f32 for float16 (bf = 0) / bfloat16 (bf = 1) x and out, with the composition's roundings
 * (the reference kernel's): the angle in float32, its cosine and sine rounded to float32 then to
 * the half dtype, each product and each sum of two products rounded to the half dtype (computed
 * exactly in double first: products of two halves and sums of two halves are exact there).
 * `flags`: 1 traditional, 2 forward, 4 bfloat16 (else float16). `trig` holds 2 * half f64 per
 * thread.
 */
export function rope_half(
  px: usize, po: usize, B: i32, H: i32, T: i32, D: i32, dims: i32, flags: i32,
  inv: usize, offsets: usize, offStride: i32, scale: f32, trig: usize, i0: i32, i1: i32,
): void {
  const traditional = (flags & 1) != 0, forward = (flags & 2) != 0, b16 = (flags & 4) != 0;
  const half = dims >> 1;
  const sines = trig + (<usize>half << 3);
  for (let it = i0; it < i1; it++) {
    const b = it / T, t = it % T;
    const pos = ropePosition(offsets, offStride, b, t, scale);
    for (let i = 0; i < half; i++) {
      const theta = ropeAngle(pos, inv, i);
      store<f64>(trig + (<usize>i << 3), halfOut(b16, <f64><f32>Math.cos(theta)));
      store<f64>(sines + (<usize>i << 3), halfOut(b16, <f64><f32>Math.sin(theta)));
    }
    for (let h = 0; h < H; h++) {
      const row = <usize>(((b * H + h) * T + t) * D) << 1;
      const xr = px + row, orow = po + row;
      for (let i = 0; i < half; i++) {
        const a1 = traditional ? 2 * i : i;
        const a2 = traditional ? 2 * i + 1 : i + half;
        const x1 = halfIn(b16, xr + (<usize>a1 << 1)), x2 = halfIn(b16, xr + (<usize>a2 << 1));
        const c = load<f64>(trig + (<usize>i << 3)), s = load<f64>(sines + (<usize>i << 3));
        let y1: u32, y2: u32;
        if (forward) {
          y1 = halfRound(b16, halfOut(b16, x1 * c) - halfOut(b16, x2 * s));
          y2 = halfRound(b16, halfOut(b16, x1 * s) + halfOut(b16, x2 * c));
        } else {
          y1 = halfRound(b16, halfOut(b16, x2 * s) + halfOut(b16, x1 * c));
          y2 = halfRound(b16, halfOut(b16, x2 * c) - halfOut(b16, x1 * s));
        }
        store<u16>(orow + (<usize>a1 << 1), <u16>y1);
        store<u16>(orow + (<usize>a2 << 1), <u16>y2);
      }
      if (dims < D && xr != orow) memory.copy(orow + (<usize>dims << 1), xr + (<usize>dims << 1), <usize>(D - dims) << 1);
    }
  }
}

/**
 * Cross entropy of rows r0 ≤ r < r1 of x (rows × C float32, row-major) against int32 targets
 * (negative ones count from the end): logsumexp(row) - row[target], the exps' sum in double
 * in row order, log and the maximum as the reference (an infinite maximum is the logsumexp).
 * Returns -1, or the first row whose target is out of range (its output is not written).
 */
export function cross_entropy_f32(px: usize, pt: usize, po: usize, C: i32, r0: i32, r1: i32): i32 {
  for (let r = r0; r < r1; r++) {
    const p = px + (<usize>r * <usize>C << 2);
    let m: f32 = -Infinity;
    let nan = false;
    for (let i = 0; i < C; i++) {
      const v = load<f32>(p + (<usize>i << 2));
      if (v != v) nan = true;
      else if (v > m) m = v;
    }
    let lse: f32;
    if (nan) lse = NaN;
    else if (m == Infinity || m == -Infinity) lse = m;
    else {
      let s: f64 = 0;
      for (let i = 0; i < C; i++) s += <f64>expF(load<f32>(p + (<usize>i << 2)) - m);
      lse = <f32>Math.log(<f64><f32>s) + m;
    }
    let j = load<i32>(pt + (<usize>r << 2));
    if (j < 0) j += C;
    if (j < 0 || j >= C) return r;
    store<f32>(po + (<usize>r << 2), lse - load<f32>(p + (<usize>j << 2)));
  }
  return -1;
}

/**
 * The gated delta rule for the (batch, value head) items i0 ≤ i < i1 of B × Hv, all float32
 * and row-major: q, k [B, T, Hk, Dk], v [B, T, Hv, Dv], g [B, T, Hv] (or [B, T, Hv, Dk] when
 * `gatePerKey`), beta [B, T, Hv], state h0 [B, Hv, Dv, Dk], mask [B, T] bytes (0: the step
 * leaves the state and outputs 0) or 0 for none. Writes out [B, T, Hv, Dv] and the final
 * state; `scratch` holds 2 * Dv * Dk float32 per thread. (Operands come in a descriptor of
 * 15 i32 words: a thread's call takes at most 16 arguments.)
 */
export function gated_delta_f32(desc: usize, scratch: usize, i0: i32, i1: i32): void {
  // desc: i32 words pq, pk, pv, pg, pbeta, ph, pmask, po, pso, T, Hk, Hv, Dk, Dv, gatePerKey
  const pq = <usize>load<i32>(desc), pk = <usize>load<i32>(desc, 4), pv = <usize>load<i32>(desc, 8);
  const pg = <usize>load<i32>(desc, 12), pbeta = <usize>load<i32>(desc, 16), ph = <usize>load<i32>(desc, 20);
  const pmask = <usize>load<i32>(desc, 24), po = <usize>load<i32>(desc, 28), pso = <usize>load<i32>(desc, 32);
  const T = load<i32>(desc, 36), Hk = load<i32>(desc, 40), Hv = load<i32>(desc, 44);
  const Dk = load<i32>(desc, 48), Dv = load<i32>(desc, 52), gatePerKey = load<i32>(desc, 56);
  const rep = Hv / Hk;
  const n = Dv * Dk;
  const S = scratch, next = scratch + (<usize>n << 2);
  for (let it = i0; it < i1; it++) {
    const b = it / Hv, h = it % Hv, hk = h / rep;
    const s0 = <usize>(it * n) << 2;
    memory.copy(S, ph + s0, <usize>n << 2);
    for (let t = 0; t < T; t++) {
      const bt = b * T + t;
      const kq = <usize>((bt * Hk + hk) * Dk) << 2;
      const vo = (bt * Hv + h) * Dv;
      const go = bt * Hv + h;
      const keep = pmask == 0 || load<u8>(pmask + <usize>bt) != 0;
      const beta = load<f32>(pbeta + (<usize>go << 2));
      const gRow = gatePerKey ? pg + (<usize>(go * Dk) << 2) : pg + (<usize>go << 2);
      for (let r = 0; r < Dv; r++) {
        const sr = <usize>(r * Dk) << 2;
        let kv: f64 = 0;
        for (let c = 0; c < Dk; c++) {
          const decay = load<f32>(gRow + (gatePerKey ? <usize>c << 2 : 0));
          const d = load<f32>(S + sr + (<usize>c << 2)) * decay;
          store<f32>(next + sr + (<usize>c << 2), d);
          kv += <f64>(d * load<f32>(pk + kq + (<usize>c << 2)));
        }
        const delta = (load<f32>(pv + (<usize>(vo + r) << 2)) - <f32>kv) * beta;
        for (let c = 0; c < Dk; c++) {
          const at = next + sr + (<usize>c << 2);
          store<f32>(at, load<f32>(at) + delta * load<f32>(pk + kq + (<usize>c << 2)));
        }
      }
      if (keep) memory.copy(S, next, <usize>n << 2);
      for (let r = 0; r < Dv; r++) {
        const sr = <usize>(r * Dk) << 2;
        let acc: f64 = 0;
        for (let c = 0; c < Dk; c++) acc += <f64>(load<f32>(S + sr + (<usize>c << 2)) * load<f32>(pq + kq + (<usize>c << 2)));
        store<f32>(po + (<usize>(vo + r) << 2), keep ? <f32>acc : 0);
      }
    }
    memory.copy(pso + s0, S, <usize>n << 2);
  }
}

/**
 * The Hadamard transform of rows r0 ≤ r < r1 (row-major, len = m * n float32 each, n a power
 * of two), as MLX's CPU kernel: butterflies (j, j + h) for h = 1, 2, …, n/2 in blocks of 2h,
 * then for m = 1 the last stage times `scale`, for m > 1 chunk j = Σ_k signs[j·m + k] · chunk k
 * summed in k order from +0, times `scale`. `signs` is m × m float32 (±1).
 */
export function hadamard_f32(px: usize, po: usize, len: i32, n: i32, m: i32, signs: usize, scale: f32, scratch: usize, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const x = px + (<usize>r * <usize>len << 2);
    const y = po + (<usize>r * <usize>len << 2);
    if (x != y) memory.copy(y, x, <usize>len << 2);
    for (let h = 1; h < n; h <<= 1) {
      const last = m == 1 && 2 * h == n;
      for (let b0 = 0; b0 < len; b0 += 2 * h) {
        for (let j = b0; j < b0 + h; j++) {
          const pa = y + (<usize>j << 2), pb = y + (<usize>(j + h) << 2);
          const a = load<f32>(pa), c = load<f32>(pb);
          store<f32>(pa, last ? (a + c) * scale : a + c);
          store<f32>(pb, last ? (a - c) * scale : a - c);
        }
      }
    }
    if (m == 1) continue;
    // the m chunks mix through the sign matrix into scratch (len float32), then back to y
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < n; i++) {
        let acc: f32 = 0;
        for (let k = 0; k < m; k++) acc += load<f32>(signs + (<usize>(j * m + k) << 2)) * load<f32>(y + (<usize>(k * n + i) << 2));
        store<f32>(scratch + (<usize>(j * n + i) << 2), acc * scale);
      }
    }
    memory.copy(y, scratch, <usize>len << 2);
  }
}
