// Scan: cumulative sum/prod/max/min/logaddexp along one axis, forward or reverse, inclusive or
// exclusive. Unlike Reduce, a scan's running value is rounded to the output dtype at every
// step, as MLX's CPU scan accumulates in the output type: every output is then exactly the
// sequential float32 (float16, ...) result. Integers of at most 32 bits wrap at every step as
// C does; 64-bit integers use bigint.
import { registerKernel, elements } from './registry.js';
import type { Primitive } from '../../primitive.js';
import { numberWriter, numberReader, bigintWriter } from '../../elements.js';
import type { ScanType } from '../../primitives/scan.js';
import { readValues, lineLayout, intWrapper, intMul, lowest, highest, complexLess } from './reduce.js';

/** log(exp(a) + exp(b)) without overflow; -inf is the identity, NaN propagates. */
function logAddExp(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  const hi = Math.max(a, b);
  const lo = Math.min(a, b);
  if (lo === -Infinity || hi === Infinity) return hi;
  return hi + Math.log1p(Math.exp(lo - hi));
}

/** Complex log(exp(a) + exp(b)), factored around the operand with the larger real part. */
function complexLogAddExp(ar: number, ai: number, br: number, bi: number): [number, number] {
  if (ar === -Infinity) return [br, bi];
  if (br === -Infinity) return [ar, ai];
  if (br > ar) [ar, ai, br, bi] = [br, bi, ar, ai];
  // a + log(1 + exp(b - a))
  const e = Math.exp(br - ar);
  const zr = 1 + e * Math.cos(bi - ai);
  const zi = e * Math.sin(bi - ai);
  return [ar + Math.log(Math.hypot(zr, zi)), ai + Math.atan2(zi, zr)];
}

registerKernel('Scan', (prim: Primitive<any>, [x], [out]) => {
  const { type, axis, reverse, inclusive } = prim.params as { type: ScanType; axis: number; reverse: boolean; inclusive: boolean };
  const { outer, n, inner } = lineLayout(x!.shape, axis);
  const vals = readValues(x!);
  const outD = out!.dtype;
  const dst = elements(out!);

  // Visits every line in scan order; `step(src, dst)` is called for each element position.
  const forEachLine = (begin: (start: number) => void, step: (idx: number) => void): void => {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        begin(base);
        for (let j = 0; j < n; j++) step(base + (reverse ? n - 1 - j : j) * inner);
      }
    }
  };

  if (vals.kind === 'complex') {
    const v = vals.v;
    const d = dst as Float32Array;
    let ar = 0, ai = 0;
    const init: [number, number] =
      type === 'sum' ? [0, 0] : type === 'prod' ? [1, 0] : type === 'max' || type === 'logaddexp' ? [-Infinity, 0] : [Infinity, 0];
    // complex64 parts are float32: round the running value at every step.
    const combine = (br: number, bi: number): void => {
      if (type === 'sum') {
        ar = Math.fround(ar + br);
        ai = Math.fround(ai + bi);
      } else if (type === 'prod') {
        const r = Math.fround(ar * br - ai * bi);
        ai = Math.fround(ar * bi + ai * br);
        ar = r;
      } else if (type === 'logaddexp') {
        const [r, i] = complexLogAddExp(ar, ai, br, bi);
        ar = Math.fround(r);
        ai = Math.fround(i);
      } else if (type === 'max' ? complexLess(ar, ai, br, bi) : complexLess(br, bi, ar, ai)) {
        ar = br;
        ai = bi;
      }
    };
    forEachLine(
      () => ([ar, ai] = init),
      (idx) => {
        if (inclusive) combine(v[2 * idx]!, v[2 * idx + 1]!);
        d[2 * idx] = ar;
        d[2 * idx + 1] = ai;
        if (!inclusive) combine(v[2 * idx]!, v[2 * idx + 1]!);
      },
    );
    return;
  }

  if (vals.kind === 'big') {
    if (type === 'logaddexp') throw new TypeError('[logcumsumexp] integer inputs must be cast to a float dtype first.');
    const v = vals.v;
    const w = bigintWriter(outD, dst);
    const init = type === 'sum' ? 0n : type === 'prod' ? 1n : type === 'max' ? (lowest(outD) as bigint) : (highest(outD) as bigint);
    let acc = init;
    const combine = (b: bigint): void => {
      if (type === 'sum') acc = BigInt.asIntN(64, acc + b);
      else if (type === 'prod') acc = BigInt.asIntN(64, acc * b);
      else if (type === 'max' ? b > acc : b < acc) acc = b;
    };
    forEachLine(
      () => (acc = init),
      (idx) => {
        if (inclusive) combine(v[idx]!);
        w(idx, acc); // the writer stores modulo 2^64 (uint64 included)
        if (!inclusive) combine(v[idx]!);
      },
    );
    return;
  }

  const v = vals.v;
  const w = numberWriter(outD, dst);
  const wrap = intWrapper(outD);
  // Rounds a double to the output dtype (float32/float16/bfloat16) through a one-element store.
  const cell = new outD.storage(1);
  const put = numberWriter(outD, cell);
  const get = numberReader(outD, cell);
  const round = outD.kind === 'f' || outD.kind === 'V' ? (x: number) => (put(0, x), get(0)) : (x: number) => x;
  const mul = wrap ? intMul(outD) : (a: number, b: number) => a * b; // bool: 0/1 products
  const init =
    type === 'sum' ? 0 : type === 'prod' ? 1 : type === 'logaddexp' ? -Infinity : type === 'max' ? (lowest(outD) as number) : (highest(outD) as number);
  let acc = init;
  const combine = (b: number): void => {
    switch (type) {
      case 'sum':
        acc = wrap ? wrap(acc + b) : round(acc + b);
        break;
      case 'prod':
        acc = wrap ? mul(acc, b) : round(acc * b);
        break;
      case 'logaddexp':
        acc = round(logAddExp(acc, b));
        break;
      default:
        // NaN propagates: once the running value is NaN it stays NaN.
        if (!Number.isNaN(acc) && (Number.isNaN(b) || (type === 'max' ? b > acc : b < acc))) acc = b;
    }
  };
  forEachLine(
    () => (acc = init),
    (idx) => {
      if (inclusive) combine(v[idx]!);
      w(idx, acc);
      if (!inclusive) combine(v[idx]!);
    },
  );
});
