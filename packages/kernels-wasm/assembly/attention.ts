// The softmax of scaled dot-product attention over a block of score rows, in place, one pass
// a row while it sits in the cache (the adapter is core backend/wasm/fast.ts): causal
// positions set to float32's lowest, m = max (NaN wins), e = exp(s - m) (expF: within 1 ulp
// of float32 of the reference's rounded double exp), their sum in double in row order (the
// reference's), p = e / float32(sum). Rows are independent: threads take ranges of them.
import { expF, expF32Loop, expShiftSumRowsF32 } from './math';

const LOWEST: f32 = -3.4028234663852886e38;

/**
 * Rows r0 ≤ r < r1 of the (rows × Tk) float32 scores at `base`; with `causal`, row r keeps
 * keys j ≤ (r mod Tq) + off (off = Tk - Tq) and the others become LOWEST.
 */
export function softmax_rows_f32(base: usize, Tk: i32, Tq: i32, causal: i32, off: i32, r0: i32, r1: i32): void {
  const end4 = Tk & ~3;
  for (let r = r0; r < r1; r++) {
    const p = base + (<usize>r * <usize>Tk << 2);
    if (causal) {
      const valid = min(Tk, max(0, (r % Tq) + off + 1));
      for (let j = valid; j < Tk; j++) store<f32>(p + (<usize>j << 2), LOWEST);
    }
    let mv = f32x4.splat(-Infinity);
    for (let j = 0; j < end4; j += 4) mv = f32x4.max(mv, v128.load(p + (<usize>j << 2)));
    let m = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
    for (let j = end4; j < Tk; j++) m = max(m, load<f32>(p + (<usize>j << 2)));
    const ms = f32x4.splat(m);
    for (let j = 0; j < end4; j += 4) v128.store(p + (<usize>j << 2), f32x4.sub(v128.load(p + (<usize>j << 2)), ms));
    for (let j = end4; j < Tk; j++) store<f32>(p + (<usize>j << 2), load<f32>(p + (<usize>j << 2)) - m);
    for (let j = expF32Loop(p, p, Tk); j < Tk; j++) store<f32>(p + (<usize>j << 2), expF(load<f32>(p + (<usize>j << 2))));
    let sum: f64 = 0;
    for (let j = 0; j < Tk; j++) sum += <f64>load<f32>(p + (<usize>j << 2));
    const z = <f32>sum;
    const zs = f32x4.splat(z);
    for (let j = 0; j < end4; j += 4) v128.store(p + (<usize>j << 2), f32x4.div(v128.load(p + (<usize>j << 2)), zs));
    for (let j = end4; j < Tk; j++) store<f32>(p + (<usize>j << 2), load<f32>(p + (<usize>j << 2)) / z);
  }
}

// ---- Flash attention, float32 (adapter: core backend/wasm/fast.ts) ----
// First the keys are transposed once, in blocks of BK keys (flash_kt: [B, Nkv, blocks, D, BK],
// zero past Tk). One work item = a batch entry, a query head and a block of QB query rows. Its
// scaled queries (fround(scale * q), as the composition rounds them) are copied once; then for
// each block of BK keys: the scores S = qs K^T of the block (a 4 x 8 f32x4 register tile, f32
// sums in d order), the mask (bool / causal -> float32's lowest, additive -> fround(s + mask)),
// an online softmax (running max m and sum l a row: alpha = exp(m_old - m_new),
// p = exp(s - m_new), l = l alpha + sum p; the exps and sums of all the block's rows in one
// call, math.ts expShiftSumRowsF32), and O = O alpha + P V (the same register tile over the
// block's keys). The output is O / l. Nothing of size Tq x Tk exists. A sink logit starts a
// row's state (m = sink, l = 1). Under `causal`, key blocks past a tile's last valid key are
// skipped: their entries would be lowest, and exp(lowest - m) is exactly 0 once every row's m
// is at least THRESH, which is checked (rows with no valid key, or whose valid scores are all
// lowest or -inf, go on through every block as the reference's softmax does).
// 4 x 8 is the largest tile V8 (x64, no FMA) keeps in registers: it loads a step's splats at the
// top of the loop body, and a 5 x 8 tile spilled (slower). BK = 128 rather than 64 halves the
// per-row softmax steps and O rescales and doubles the P V loops' length (about 2 % faster; the
// sums in those loops are twice as long, within the same stated bound).

const QB: i32 = 32;
const BK: i32 = 128;
const THRESH: f32 = -1.7e38;

// The parameter block (i32 words) the adapter writes.
export const FA_B: i32 = 0;
export const FA_NQ: i32 = 1;
export const FA_TQ: i32 = 2;
export const FA_D: i32 = 3;
export const FA_NKV: i32 = 4;
export const FA_TK: i32 = 5;
export const FA_DV: i32 = 6;
/** q's, k's, v's and the mask's four strides (elements) from word 7, 11, 15, 19 */
export const FA_QS: i32 = 7;
export const FA_KS: i32 = 11;
export const FA_VS: i32 = 15;
export const FA_MS: i32 = 19;
/** 0 no mask, 1 bool, 2 additive float32 */
export const FA_MASK: i32 = 23;
export const FA_CAUSAL: i32 = 24;
/** sinks' stride (elements), or -1 without sinks */
export const FA_SINKS: i32 = 25;
/** the scale, float32 bits */
export const FA_SCALE: i32 = 26;
/** byte addresses of q, k, v, out (contiguous [B, Nq, Tq, Dv]), mask, sinks, the transposed keys (flashKtBytes) from word 27 */
export const FA_PTR: i32 = 27;
export const FA_WORDS: i32 = 34;

@inline function word(pp: usize, i: i32): i32 {
  return load<i32>(pp + (<usize>i << 2));
}

@inline function at(i: i32): usize {
  return <usize>i << 2;
}

/** Bytes of one thread's scratch for head sizes D and Dv. */
export function flashScratchBytes(D: i32, Dv: i32): i32 {
  const Dv8 = (Dv + 7) & ~7;
  return (QB * D + BK * Dv8 + QB * BK + QB * Dv8 + 4 * QB) * 4;
}

/** Work items (batch entry, head, query block) for Tq query rows: the range flash_attn_f32 takes. */
export function flashItems(B: i32, Nq: i32, Tq: i32): i32 {
  return B * Nq * ((Tq + QB - 1) / QB);
}

/** Blocks of keys of a head (flash_kt takes B * Nkv * flashKeyBlocks(Tk) units). */
export function flashKeyBlocks(Tk: i32): i32 {
  return (Tk + BK - 1) / BK;
}

/** Bytes of the transposed keys: B * Nkv heads of flashKeyBlocks(Tk) blocks of D x BK. */
export function flashKtBytes(B: i32, Nkv: i32, Tk: i32, D: i32): f64 {
  return <f64>B * <f64>Nkv * <f64>flashKeyBlocks(Tk) * <f64>D * <f64>(BK * 4);
}

/**
 * n 4 x 4 blocks transposed and scaled by sc: block k's row i at src + i * ss + 16 k, its
 * column i to dst + (4 k + i) * ds (flash_kt's keys, the scaled queries' groups of four rows).
 */
function transpose4(src: usize, ss: usize, dst: usize, ds: usize, n: i32, sc: v128): void {
  for (let k = 0; k < n; k++) {
    const v0 = v128.load(src), v1 = v128.load(src + ss), v2 = v128.load(src + 2 * ss), v3 = v128.load(src + 3 * ss);
    const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
    const t2 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
    v128.store(dst, f32x4.mul(v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), sc));
    v128.store(dst + ds, f32x4.mul(v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), sc));
    v128.store(dst + 2 * ds, f32x4.mul(v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), sc));
    v128.store(dst + 3 * ds, f32x4.mul(v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), sc));
    src += 16;
    dst += 4 * ds;
  }
}

/** Key blocks u0 <= u < u1 (head-major) transposed into the buffer at word FA_PTR + 6. */
export function flash_kt(pp: usize, u0: i32, u1: i32): void {
  const Nkv = word(pp, FA_NKV), Tk = word(pp, FA_TK), D = word(pp, FA_D);
  const nKB = flashKeyBlocks(Tk);
  const k0 = word(pp, FA_KS), k1 = word(pp, FA_KS + 1), k2 = word(pp, FA_KS + 2), k3 = word(pp, FA_KS + 3);
  const pk = <usize>word(pp, FA_PTR + 1);
  const step = at(k3);
  for (let u = u0; u < u1; u++) {
    const bk = u / nKB, jb = u % nKB;
    const b = bk / Nkv, hk = bk % Nkv;
    const dst = <usize>word(pp, FA_PTR + 6) + <usize>u * <usize>(D * BK * 4);
    let c = 0;
    // four whole keys with unit-stride rows at a time: 4 x 4 blocks transposed in registers
    if (k3 == 1 && (D & 3) == 0) {
      for (; c < BK && jb * BK + c + 4 <= Tk; c += 4) {
        transpose4(pk + at(b * k0 + hk * k1 + (jb * BK + c) * k2), at(k2), dst + at(c), BK * 4, D >> 2, f32x4.splat(1));
      }
    }
    for (; c < BK; c++) {
      const j = jb * BK + c;
      let o = dst + at(c);
      if (j < Tk) {
        let src = pk + at(b * k0 + hk * k1 + j * k2);
        for (let d = 0; d < D; d++) {
          store<f32>(o, load<f32>(src));
          src += step;
          o += BK * 4;
        }
      } else {
        for (let d = 0; d < D; d++) {
          store<f32>(o, 0);
          o += BK * 4;
        }
      }
    }
  }
}

/**
 * The work items w0, w0 + step, ... below w1 of the attention the parameter block at `pp`
 * describes (after flash_kt); `scratch` holds flashScratchBytes(D, Dv).
 */
export function flash_attn_f32(pp: usize, w0: i32, w1: i32, step: i32, scratch: usize): void {
  const Nq = word(pp, FA_NQ), Tq = word(pp, FA_TQ), D = word(pp, FA_D), Nkv = word(pp, FA_NKV);
  const Tk = word(pp, FA_TK), Dv = word(pp, FA_DV);
  const nRep = Nq / Nkv;
  const nQB = (Tq + QB - 1) / QB;
  const Dv8 = (Dv + 7) & ~7;
  const causal = word(pp, FA_CAUSAL) != 0;
  const maskKind = word(pp, FA_MASK);
  const sinkStride = word(pp, FA_SINKS);
  const sc = reinterpret<f32>(word(pp, FA_SCALE));
  const off = Tk - Tq;
  const qs = scratch;
  const vbuf = qs + at(QB * D);
  const S = vbuf + at(BK * Dv8);
  const O = S + at(QB * BK);
  const mr = O + at(QB * Dv8);
  const lr = mr + at(QB);
  const ar = lr + at(QB);
  // V read in place when its rows are unit-stride and a multiple of 8 long
  const vDirect = word(pp, FA_VS + 3) == 1 && (Dv & 7) == 0;
  for (let w = w0; w < w1; w += step) {
    const bh = w / nQB, qb = w % nQB;
    const b = bh / Nq, h = bh % Nq, hk = h / nRep;
    const i0 = qb * QB, nr = min(QB, Tq - i0), nr4 = (nr + 3) & ~3;
    // scaled queries, four rows interleaved: row r's d at qs[(r >> 2) * 4 D + 4 d + (r & 3)] (rows past nr zero)
    const qh = <usize>word(pp, FA_PTR) + at(b * word(pp, FA_QS) + h * word(pp, FA_QS + 1));
    const q2 = word(pp, FA_QS + 2), q3 = word(pp, FA_QS + 3);
    let r = 0;
    if (q3 == 1 && (D & 3) == 0) for (; r + 4 <= nr; r += 4) transpose4(qh + at((i0 + r) * q2), at(q2), qs + at(r * D), 16, D >> 2, f32x4.splat(sc));
    for (; r < nr4; r++) {
      let dst = qs + at((r >> 2) * 4 * D + (r & 3));
      let src = qh + at((i0 + r) * q2);
      const end = dst + at(4 * D);
      for (; dst < end; dst += 16) {
        store<f32>(dst, r < nr ? sc * load<f32>(src) : 0);
        src += at(q3);
      }
    }
    const sink: f32 = sinkStride >= 0 ? load<f32>(<usize>word(pp, FA_PTR + 5) + at(h * sinkStride)) : -Infinity;
    for (let r = 0; r < nr4; r++) {
      store<f32>(mr + at(r), sink);
      store<f32>(lr + at(r), sinkStride >= 0 ? 1 : 0);
      store<f32>(ar + at(r), 0);
    }
    memory.fill(O, 0, at(nr4 * Dv8));
    // under causal, the tile's keys end after the last row's last valid key
    let jEnd = causal ? min(Tk, max(0, i0 + nr + off)) : Tk;
    for (let j0 = 0; j0 < Tk; j0 += BK) {
      if (j0 >= jEnd) {
        // past them, the rest too while some row's m is below THRESH
        let more = false;
        for (let r = 0; r < nr; r++) if (load<f32>(mr + at(r)) < THRESH) more = true;
        if (!more) break;
        jEnd = Tk;
      }
      flashBlock(pp, b, h, hk, i0, nr, nr4, j0, min(BK, Tk - j0), D, Dv8, off, causal, maskKind, vDirect, qs, vbuf, S, O, mr, lr, ar);
    }
    // out = O / l
    const po = <usize>word(pp, FA_PTR + 3) + at((bh * Tq + i0) * Dv);
    for (let r = 0; r < nr; r++) {
      // no keys at all: the reference's empty sums give 0 (O is 0); a row whose maximum is -inf
      // (every score -inf): NaN, as the reference
      const l: f32 = Tk == 0 ? 1 : load<f32>(mr + at(r)) == -Infinity ? NaN : load<f32>(lr + at(r));
      const orow = O + at(r * Dv8), prow = po + at(r * Dv);
      let e = 0;
      for (; e + 4 <= Dv; e += 4) v128.store(prow + at(e), f32x4.div(v128.load(orow + at(e)), f32x4.splat(l)));
      for (; e < Dv; e++) store<f32>(prow + at(e), load<f32>(orow + at(e)) / l);
    }
  }
}

/** One block of nb keys from j0 for the tile's rows: scores, mask, online softmax, O update. */
function flashBlock(
  pp: usize, b: i32, h: i32, hk: i32, i0: i32, nr: i32, nr4: i32, j0: i32, nb: i32, D: i32, Dv8: i32, off: i32,
  causal: bool, maskKind: i32, vDirect: bool, qs: usize, vbuf: usize, S: usize, O: usize, mr: usize, lr: usize, ar: usize,
): void {
  const Dv = word(pp, FA_DV);
  const nb8 = (nb + 7) & ~7;
  // the block's transposed keys: kT[d * BK + c], zero past Tk (flash_kt)
  const u = (b * word(pp, FA_NKV) + hk) * flashKeyBlocks(word(pp, FA_TK)) + j0 / BK;
  const kT = <usize>word(pp, FA_PTR + 6) + <usize>u * <usize>(D * BK * 4);
  // values: rows of the block, read in place or copied (zero-padded to Dv8)
  const vh = <usize>word(pp, FA_PTR + 2) + at(b * word(pp, FA_VS) + hk * word(pp, FA_VS + 1));
  const v2 = word(pp, FA_VS + 2), v3 = word(pp, FA_VS + 3);
  let vp0 = vbuf, vstride = at(Dv8);
  if (vDirect) {
    vp0 = vh + at(j0 * v2);
    vstride = at(v2);
  } else {
    for (let c = 0; c < nb; c++) {
      for (let e = 0; e < Dv8; e++) store<f32>(vbuf + at(c * Dv8 + e), e < Dv ? load<f32>(vh + at((j0 + c) * v2 + e * v3)) : 0);
    }
  }
  // S[r * BK + c] = qs[r] . k[c], four rows by eight keys a register tile (keys outer: their
  // columns of the transposed block stay in L1 across the row groups, about 1 % faster)
  const kstride = at(BK);
  for (let c = 0; c < nb8; c += 8) {
    for (let r = 0; r < nr4; r += 4) {
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let a4 = f32x4.splat(0), a5 = f32x4.splat(0), a6 = f32x4.splat(0), a7 = f32x4.splat(0);
      let qp = qs + at(r * D), kp = kT + at(c);
      const qEnd = qp + at(4 * D);
      while (qp < qEnd) {
        const k0 = v128.load(kp), k1 = v128.load(kp, 16);
        let x = v128.load32_splat(qp);
        a0 = f32x4.add(a0, f32x4.mul(x, k0));
        a1 = f32x4.add(a1, f32x4.mul(x, k1));
        x = v128.load32_splat(qp, 4);
        a2 = f32x4.add(a2, f32x4.mul(x, k0));
        a3 = f32x4.add(a3, f32x4.mul(x, k1));
        x = v128.load32_splat(qp, 8);
        a4 = f32x4.add(a4, f32x4.mul(x, k0));
        a5 = f32x4.add(a5, f32x4.mul(x, k1));
        x = v128.load32_splat(qp, 12);
        a6 = f32x4.add(a6, f32x4.mul(x, k0));
        a7 = f32x4.add(a7, f32x4.mul(x, k1));
        qp += 16;
        kp += kstride;
      }
      const sp = S + at(r * BK + c);
      v128.store(sp, a0);
      v128.store(sp, a1, 16);
      v128.store(sp + kstride, a2);
      v128.store(sp + kstride, a3, 16);
      v128.store(sp + 2 * kstride, a4);
      v128.store(sp + 2 * kstride, a5, 16);
      v128.store(sp + 3 * kstride, a6);
      v128.store(sp + 3 * kstride, a7, 16);
    }
  }
  // the mask, row by row
  const pm = <usize>word(pp, FA_PTR + 4);
  const end8 = nb & ~7;
  for (let r = 0; r < nr; r++) {
    const i = i0 + r;
    const sp = S + at(r * BK);
    if (causal) {
      for (let c = max(0, i + off - j0 + 1); c < nb; c++) store<f32>(sp + at(c), LOWEST);
    } else if (maskKind != 0) {
      const m0 = word(pp, FA_MS), m1 = word(pp, FA_MS + 1), m2 = word(pp, FA_MS + 2), m3 = word(pp, FA_MS + 3);
      const e = <usize>(b * m0 + h * m1 + i * m2 + j0 * m3);
      if (maskKind == 1) {
        for (let c = 0; c < nb; c++) if (load<u8>(pm + e + <usize>(c * m3)) == 0) store<f32>(sp + at(c), LOWEST);
      } else {
        const mp = pm + (e << 2);
        for (let c = 0; c < nb; c++) store<f32>(sp + at(c), load<f32>(sp + at(c)) + load<f32>(mp + at(c * m3)));
      }
    }
  }
  // online softmax (rows past nr have zero scores; their results go unused)
  for (let r = 0; r < nr4; r++) {
    // the block's maximum by pmax (one instruction; f32x4.max's NaN rule costs several): a NaN
    // score it skips still makes its p, the row's sum and so the row's output NaN, as the
    // reference's NaN maximum does
    const sp = S + at(r * BK);
    let mv0 = f32x4.splat(-Infinity), mv1 = mv0;
    for (let c = 0; c < end8; c += 8) {
      mv0 = f32x4.pmax(mv0, v128.load(sp + at(c)));
      mv1 = f32x4.pmax(mv1, v128.load(sp + at(c), 16));
    }
    // across the lanes by max (no NaN there; +0 over -0, as the scalar max)
    let mv = f32x4.pmax(mv0, mv1);
    mv = f32x4.max(mv, v128.shuffle<f32>(mv, mv, 2, 3, 0, 1));
    mv = f32x4.max(mv, v128.shuffle<f32>(mv, mv, 1, 0, 3, 2));
    let bm = f32x4.extract_lane(mv, 0);
    for (let c = end8; c < nb; c++) bm = max(bm, load<f32>(sp + at(c)));
    // m_new = max(m_old, block max); alpha = exp(m_old - m_new), 1 where they're equal (a row
    // whose scores so far are all -inf or NaN keeps m = -inf, alpha = 1: see expShiftSumRowsF32)
    const mo = load<f32>(mr + at(r));
    const mn = max(mo, bm);
    store<f32>(mr + at(r), mn);
    store<f32>(ar + at(r), mo == mn ? <f32>1 : expF(mo - mn));
  }
  // p = exp(s - m_new) in place and the rows' sums, in one call; l = l alpha + sum, four rows a vector
  const sums = ar + at(QB);
  expShiftSumRowsF32(S, at(BK), nr4, nb, mr, sums);
  for (let r = 0; r < nr4; r += 4) {
    v128.store(lr + at(r), f32x4.add(f32x4.mul(v128.load(lr + at(r)), v128.load(ar + at(r))), v128.load(sums + at(r))));
  }
  // O[r] = O[r] alpha_r + P[r] V, four rows by eight columns a register tile
  const ostride = at(Dv8);
  for (let r = 0; r < nr4; r += 4) {
    const x0 = v128.load32_splat(ar + at(r)), x1 = v128.load32_splat(ar + at(r + 1));
    const x2 = v128.load32_splat(ar + at(r + 2)), x3 = v128.load32_splat(ar + at(r + 3));
    for (let e = 0; e < Dv8; e += 8) {
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let a4 = f32x4.splat(0), a5 = f32x4.splat(0), a6 = f32x4.splat(0), a7 = f32x4.splat(0);
      let sp = S + at(r * BK), vp = vp0 + at(e);
      const sEnd = sp + at(nb);
      while (sp < sEnd) {
        const u0 = v128.load(vp), u1 = v128.load(vp, 16);
        let p = v128.load32_splat(sp);
        a0 = f32x4.add(a0, f32x4.mul(p, u0));
        a1 = f32x4.add(a1, f32x4.mul(p, u1));
        p = v128.load32_splat(sp, BK * 4);
        a2 = f32x4.add(a2, f32x4.mul(p, u0));
        a3 = f32x4.add(a3, f32x4.mul(p, u1));
        p = v128.load32_splat(sp, BK * 8);
        a4 = f32x4.add(a4, f32x4.mul(p, u0));
        a5 = f32x4.add(a5, f32x4.mul(p, u1));
        p = v128.load32_splat(sp, BK * 12);
        a6 = f32x4.add(a6, f32x4.mul(p, u0));
        a7 = f32x4.add(a7, f32x4.mul(p, u1));
        sp += 4;
        vp += vstride;
      }
      const op = O + at(r * Dv8 + e);
      v128.store(op, f32x4.add(f32x4.mul(v128.load(op), x0), a0));
      v128.store(op, f32x4.add(f32x4.mul(v128.load(op, 16), x0), a1), 16);
      v128.store(op + ostride, f32x4.add(f32x4.mul(v128.load(op + ostride), x1), a2));
      v128.store(op + ostride, f32x4.add(f32x4.mul(v128.load(op + ostride, 16), x1), a3), 16);
      v128.store(op + 2 * ostride, f32x4.add(f32x4.mul(v128.load(op + 2 * ostride), x2), a4));
      v128.store(op + 2 * ostride, f32x4.add(f32x4.mul(v128.load(op + 2 * ostride, 16), x2), a5), 16);
      v128.store(op + 3 * ostride, f32x4.add(f32x4.mul(v128.load(op + 3 * ostride), x3), a6));
      v128.store(op + 3 * ostride, f32x4.add(f32x4.mul(v128.load(op + 3 * ostride, 16), x3), a7), 16);
    }
  }
}
