// The stated error bounds of the WASM backend's float32 kernels that are not bit-identical to
// the reference (backend/wasm/matmul.ts, backend/wasm/reduce.ts), checked against the
// reference oracle element by element. Used by wasm-matmul, wasm-reduce and wasm-threads tests.
import * as mx from '@mlx-ts/core';
import { materialize, readHost, type ArraySpec, type HostArray } from '@mlx-ts/core/testing';
import { cpuBackend } from '../src/device.js';

type Op = (...xs: mx.MxArray[]) => mx.MxArray;
type Input = ArraySpec | mx.MxArray;

/** Runs `op` on one backend, inputs rebuilt there (specs) or used as they are. */
export function runOn(name: string, op: Op, inputs: readonly Input[], absInputs = false): HostArray {
  const previous = cpuBackend().name;
  mx.setCpuBackend(name);
  try {
    let xs = inputs.map((x) => (x instanceof mx.MxArray ? x : materialize(x)));
    if (absInputs) xs = xs.map((x) => mx.abs(x));
    const out = op(...xs);
    mx.eval(out);
    return readHost(out);
  } finally {
    mx.setCpuBackend(previous);
  }
}

/** The spacing of float32 values at |v| (2^-149 below the normal range). */
export function ulp32(v: number): number {
  const a = Math.abs(v);
  if (!(a >= 2 ** -126)) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

const fail = (label: string, i: number, ours: number, ref: number, why: string) =>
  new Error(`${label}: element ${i}: wasm ${ours} vs reference ${ref}: ${why}`);

/**
 * float32 matmul-like `op` (linear in each of its two inputs, K terms per output):
 *   ref NaN => ours NaN; ref +-inf => ours the same inf or NaN;
 *   finite ref with S = sum_k |a_ik b_kj| <= 2^126: |ours - ref| <= (K + 2) 2^-24 S + K 2^-149.
 * S comes from the reference on |a|, |b| (one f32 rounding: the check allows for it).
 * Returns the largest |ours - ref| / ((K + 2) 2^-24 S) seen (for reporting).
 */
export function checkMatmulF32(op: Op, inputs: readonly Input[], K: number, label = 'matmul f32'): number {
  const ref = runOn('reference', op, inputs).units as Float32Array;
  const ours = runOn('wasm', op, inputs).units as Float32Array;
  const sAbs = runOn('reference', op, inputs, true).units as Float32Array;
  return checkMatmulF32Values(ref, ours, sAbs, K, label);
}

/**
 * checkMatmulF32's bound on results computed elsewhere (another runtime, another kernel set):
 * the reference's values, ours, and the reference's on |a|, |b|.
 */
export function checkMatmulF32Values(ref: Float32Array, ours: Float32Array, sAbs: Float32Array, K: number, label: string): number {
  if (ref.length !== ours.length) throw new Error(`${label}: ${ref.length} vs ${ours.length} elements`);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const o = ours[i]!;
    if (Number.isNaN(r)) {
      if (!Number.isNaN(o)) throw fail(label, i, o, r, 'the reference is NaN');
      continue;
    }
    if (!Number.isFinite(r)) {
      // When sum|a*b| itself overflows float32, float32 partial sums may overflow in the other
      // direction first (+inf + finite stays +inf where the double sum ends at -inf): no bound then.
      if (!Number.isFinite(sAbs[i]!)) continue;
      if (!(o === r || Number.isNaN(o))) throw fail(label, i, o, r, 'the reference is infinite');
      continue;
    }
    const S = sAbs[i]! * (1 + 2 ** -22);
    if (!(S <= 2 ** 126)) continue; // outside the stated range (f32 products may overflow)
    const bound = (K + 2) * 2 ** -24 * S + K * 2 ** -149;
    const err = Math.abs(o - r);
    if (!(err <= bound)) throw fail(label, i, o, r, `|diff| ${err} > bound ${bound} (K = ${K}, S = ${S})`);
    if (bound > 0) worst = Math.max(worst, err / bound);
  }
  return worst;
}

/**
 * float32 sums (`op` reduces; `n` terms per output): non-finite outcomes identical (NaN <->
 * NaN, inf <-> the same inf); finite: |ours - ref| <= ulp32(max(|ours|, |ref|)) + 2 (n - 1) 2^-53 sum|x|.
 * Returns the largest ulp distance seen in units of ulp32(ref).
 */
export function checkSumF32(op: Op, inputs: readonly Input[], n: number, label = 'sum f32'): number {
  const ref = runOn('reference', op, inputs).units as Float32Array;
  const ours = runOn('wasm', op, inputs).units as Float32Array;
  const sAbs = runOn('reference', op, inputs, true).units as Float32Array;
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const o = ours[i]!;
    if (!Number.isFinite(r) || !Number.isFinite(o)) {
      if (!(Object.is(r, o) || (Number.isNaN(r) && Number.isNaN(o)))) throw fail(label, i, o, r, 'non-finite outcomes differ');
      continue;
    }
    const bound = ulp32(Math.max(Math.abs(o), Math.abs(r))) + 2 * Math.max(0, n - 1) * 2 ** -53 * sAbs[i]! * (1 + 2 ** -22);
    const err = Math.abs(o - r);
    if (!(err <= bound)) throw fail(label, i, o, r, `|diff| ${err} > bound ${bound} (n = ${n}, sum|x| = ${sAbs[i]})`);
    worst = Math.max(worst, err / ulp32(r));
  }
  return worst;
}
