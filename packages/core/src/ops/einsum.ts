// einsum and einsumPath, composed from existing ops the way MLX's mlx/einsum.cpp does it:
// parse the subscripts (implicit output, ellipsis expansion), pick a contraction order with
// opt_einsum's greedy algorithm, then evaluate each step either as a batched matmul
// (transpose + reshape + matmul) or as broadcast multiply + sum. Repeated indices within one
// operand are collapsed with diagonal, indices that appear in a single term are summed first.
import { MxArray, type ScalarOrArray } from '../array.js';
import { toStream, Stream, Device, type StreamOrDevice } from '../device.js';
import { asArray } from '../convert.js';
import { reshape, transpose, broadcastTo } from './views.js';
import { multiply } from './elementwise.js';
import { sum } from './reduce.js';
import { matmul } from './linalg.js';
import { diagonal } from './shape.js';

/** A term's subscript: its letters in axis order and as a set. */
interface Sub {
  str: string;
  set: Set<string>;
}

interface PathNode {
  inputs: Sub[];
  output: Sub;
  /** Positions of this step's operands in the current operand list. */
  positions: number[];
}

interface PathInfo {
  naiveCost: number;
  naiveScaling: number;
  optimizedCost: number;
  optimizedScaling: number;
}

type DimMap = Map<string, number>;

function sub(str: string): Sub {
  return { str, set: new Set(str) };
}

function cloneSub(s: Sub): Sub {
  return { str: s.str, set: new Set(s.set) };
}

/** MLX prints shapes as (2,3), (4) and (). */
function fmtShape(shape: readonly number[]): string {
  return `(${shape.join(',')})`;
}

/**
 * Splits "ij,jk->ik" into (["ij","jk"], "ik"). Without "->" the output is every letter seen
 * exactly once, sorted, after a leading "..." when any input has an ellipsis (MLX's implicit mode).
 */
function parse(subscripts: string): [string[], string] {
  const s = subscripts.split(' ').join('');
  let lhs: string;
  let rhs = '';
  const arrow = s.indexOf('->');
  if (arrow >= 0) {
    lhs = s.slice(0, arrow);
    rhs = s.slice(arrow + 2);
  } else {
    lhs = s;
    const counts = new Map<string, number>();
    for (const c of s) {
      if (c === ',') continue;
      // The first dot becomes the output's ellipsis; later dots are counted like letters
      // (they then show up as an error when the output is checked), as MLX does.
      if (c === '.' && rhs === '') {
        rhs = '...';
        continue;
      }
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    let once = '';
    for (const [c, n] of counts) if (n === 1) once += c;
    rhs = [...(rhs + once)].sort().join('');
  }
  // Empty pieces are scalar terms: ',' is two of them (as MLX 0.32 splits).
  return [lhs.split(','), rhs];
}

function termSize(term: Iterable<string>, dims: DimMap): number {
  let n = 1;
  for (const c of term) n *= dims.get(c) ?? 0;
  return n;
}

function flopCount(term: Set<string>, inner: boolean, numTerms: number, dims: DimMap): number {
  const size = termSize(term, dims);
  let factor = Math.max(1, numTerms - 1);
  if (inner) factor += 1;
  return size * factor;
}

function costAndScaling(inputs: Sub[], output: Sub, dims: DimMap): [number, number] {
  const all = new Set<string>();
  for (const t of inputs) for (const c of t.set) all.add(c);
  let inner = false;
  for (const c of all) {
    if (!output.set.has(c)) {
      inner = true;
      break;
    }
  }
  return [flopCount(all, inner, inputs.length, dims), all.size];
}

function disjoint(a: Set<string>, b: Set<string>): boolean {
  for (const c of a) if (b.has(c)) return false;
  return true;
}

interface Candidate {
  /** How many elements the contraction removes (can be negative). */
  removed: number;
  cost: number;
  out: Set<string>;
  dims: number;
  x: number;
  y: number;
}

/** opt_einsum's greedy path, with MLX's tie-breaking, cost limit and memory limit. */
function greedyPath(
  inputsIn: Sub[],
  output: Sub,
  dims: DimMap,
  costLimit: number,
  memoryLimit: number,
): [PathNode[], number, number] {
  const inputs = [...inputsIn];
  let pairs: [number, number][] = [];
  for (let i = 0; i < inputs.length; i++) for (let j = i + 1; j < inputs.length; j++) pairs.push([i, j]);

  const path: PathNode[] = [];
  let candidates: Candidate[] = [];
  let pathCost = 0;
  let pathScaling = 0;
  const steps = inputs.length - 1;
  for (let step = 0; step < steps; step++) {
    const consider = (p1: number, p2: number): void => {
      const both = new Set([...inputs[p1]!.set, ...inputs[p2]!.set]);
      // Letters that survive: needed by another term or by the output.
      const kept = new Set<string>();
      inputs.forEach((t, k) => {
        if (k === p1 || k === p2) return;
        for (const c of t.set) if (both.has(c)) kept.add(c);
      });
      for (const c of output.set) if (both.has(c)) kept.add(c);
      const newSize = termSize(kept, dims);
      if (newSize > memoryLimit) return;
      const removed = termSize(inputs[p1]!.set, dims) + termSize(inputs[p2]!.set, dims) - newSize;
      const cost = flopCount(both, both.size > kept.size, 2, dims);
      if (pathCost + cost > costLimit) return;
      candidates.push({ removed, cost, out: kept, dims: both.size, x: p1, y: p2 });
    };

    // Outer products are only considered when nothing else is possible.
    for (const [p1, p2] of pairs) if (!disjoint(inputs[p1]!.set, inputs[p2]!.set)) consider(p1, p2);
    if (candidates.length === 0) for (const [p1, p2] of pairs) consider(p1, p2);

    if (candidates.length === 0) {
      // Nothing fits the limits: one naive step over everything that is left.
      const [cost, scale] = costAndScaling(inputs, output, dims);
      path.push({ inputs: [...inputs], output, positions: inputs.map((_, k) => k) });
      pathCost += cost;
      pathScaling = Math.max(scale, pathScaling);
      break;
    }

    // Largest removed size wins, then the lowest cost; the first one on ties.
    let best = candidates[0]!;
    for (const c of candidates) {
      if (c.removed > best.removed || (c.removed === best.removed && c.cost < best.cost)) best = c;
    }
    pathScaling = Math.max(best.dims, pathScaling);

    // MLX orders the intermediate's letters by dimension size (the order only changes the
    // layout of the intermediate, never the path or the costs); ties go alphabetically here.
    const outStr = [...best.out]
      .sort((a, b) => (dims.get(a) ?? 0) - (dims.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
      .join('');
    const newTerm: Sub = { str: outStr, set: best.out };
    path.push({ inputs: [inputs[best.x]!, inputs[best.y]!], output: newTerm, positions: [best.x, best.y] });
    inputs.splice(best.y, 1);
    inputs.splice(best.x, 1);
    inputs.push(newTerm);

    // Keep the candidates that touch neither chosen term, renumbered; new pairs are only
    // those with the new term.
    const bx = best.x, by = best.y;
    candidates = candidates
      .filter((c) => c.x !== bx && c.x !== by && c.y !== bx && c.y !== by)
      .map((c) => ({
        ...c,
        x: c.x - (c.x > bx ? 1 : 0) - (c.x > by ? 1 : 0),
        y: c.y - (c.y > bx ? 1 : 0) - (c.y > by ? 1 : 0),
      }));
    pairs = [];
    for (let k = 0; k < inputs.length - 1; k++) pairs.push([k, inputs.length - 1]);
    pathCost += best.cost;
  }
  return [path, pathCost, pathScaling];
}

function isLetter(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/** Parses and validates the subscripts against the operand shapes and computes the path. */
function planEinsum(
  subscripts: string,
  shapes: readonly (readonly number[])[],
  fn: string,
): { path: PathNode[]; info: PathInfo; dims: DimMap; output: Sub } {
  if (shapes.length === 0) throw new Error(`[${fn}] At least one operand is required.`);
  const [inSubs, outSubRaw] = parse(subscripts);
  if (shapes.length !== inSubs.length) {
    throw new Error(
      `[${fn}] Number of operands, ${shapes.length}, does not match number of input subscripts, ${inSubs.length}`,
    );
  }

  // Letters for ellipsis axes: the unused ones, lowercase then uppercase; an ellipsis of
  // length n takes the last n so shorter ellipses line up on the right (broadcasting).
  const used = new Set(subscripts);
  let spare = '';
  for (const range of [['a', 'z'], ['A', 'Z']] as const) {
    for (let code = range[0].charCodeAt(0); code <= range[1].charCodeAt(0); code++) {
      const c = String.fromCharCode(code);
      if (!used.has(c)) spare += c;
    }
  }
  let maxEllipsis = 0;
  const expand = (term: string, shape: readonly number[] | null, index: number): string => {
    let hasEllipsis = false;
    let before = 0;
    let after = 0;
    for (let i = 0; i < term.length; i++) {
      const c = term[i]!;
      if (!isLetter(c)) {
        if (i + 2 >= term.length || c !== '.' || term[i + 1] !== '.' || term[i + 2] !== '.') {
          throw new Error(`[${fn}] Subscripts must be letters, but got '${c}'.`);
        }
        if (hasEllipsis) {
          throw new Error(`[${fn}] Only one ellipsis per subscript is allowed but found more in '${term}'.`);
        }
        hasEllipsis = true;
        i += 2;
        continue;
      }
      if (hasEllipsis) after++;
      else before++;
    }
    if (!hasEllipsis) return term;
    let len: number;
    if (shape) {
      len = shape.length - before - after;
      if (len < 0) {
        throw new Error(
          `[${fn}] Operand ${index} with shape ${fmtShape(shape)} has insufficient dimensions for subscript '${term}'. ` +
            `The ellipsis requires at least ${before + after} dimensions but the operand has ${shape.length} dimensions.`,
        );
      }
      maxEllipsis = Math.max(maxEllipsis, len);
    } else {
      len = maxEllipsis;
    }
    if (len > spare.length) {
      throw new Error(`[${fn}] Not enough unused letters to expand the ellipsis in '${term}' to ${len} dimensions.`);
    }
    return term.slice(0, before) + spare.slice(spare.length - len) + term.slice(before + 3);
  };
  const inStrs = inSubs.map((t, i) => expand(t, shapes[i]!, i));
  const outStr = expand(outSubRaw, null, -1);
  const output = sub(outStr);
  if (output.set.size !== outStr.length) throw new Error(`[${fn}] Repeat indices not allowed in output.`);

  const dims: DimMap = new Map();
  const inputs: Sub[] = [];
  inStrs.forEach((term, i) => {
    const shape = shapes[i]!;
    const t = sub(term);
    inputs.push(t);
    if (term.length !== shape.length) {
      throw new Error(`[${fn}] Invalid number of subscripts ${term.length} for input ${i} with ${shape.length} dimensions.`);
    }
    if (t.set.size < term.length) {
      // Repeated letters in one term take a diagonal: their sizes must agree exactly.
      const local = new Map<string, number>();
      for (let j = 0; j < term.length; j++) {
        const prev = local.get(term[j]!);
        if (prev === undefined) local.set(term[j]!, shape[j]!);
        else if (prev !== shape[j]) {
          throw new Error(`[${fn}] Dimensions of repeated subscripts do not have the same size (${prev} != ${shape[j]}).`);
        }
      }
    }
    for (let j = 0; j < term.length; j++) {
      const c = term[j]!;
      const d = shape[j]!;
      const seen = dims.get(c);
      if (seen === undefined) {
        dims.set(c, d);
        continue;
      }
      // Across terms a letter's sizes broadcast (1 against n).
      if (d !== 1 && seen !== 1 && seen !== d) {
        throw new Error(`[${fn}] Cannot broadcast dimension ${j} of input ${i} with shape ${fmtShape(shape)} to size ${seen}.`);
      }
      dims.set(c, Math.max(seen, d));
    }
  });

  let maxSize = termSize(outStr, dims);
  for (const t of inStrs) maxSize = Math.max(maxSize, termSize(t, dims));

  const [naiveCost, naiveScaling] = costAndScaling(inputs, output, dims);
  let path: PathNode[];
  let optimizedCost = naiveCost;
  let optimizedScaling = naiveScaling;
  if (inputs.length <= 2) {
    path = [{ inputs, output, positions: inputs.map((_, k) => k) }];
  } else {
    [path, optimizedCost, optimizedScaling] = greedyPath(inputs, output, dims, naiveCost, maxSize);
    path[path.length - 1]!.output = output; // the last step produces the requested output
  }
  return { path, info: { naiveCost, naiveScaling, optimizedCost, optimizedScaling }, dims, output };
}

function isStreamLike(v: unknown): boolean {
  return v === undefined || v === null || v instanceof Stream || v instanceof Device;
}

/**
 * Operands come either as node-mlx's list (`einsum(s, [a, b], stream?)`) or variadic as in
 * Python (`einsum(s, a, b, stream?)`). A trailing Stream/Device (or mx.cpu/mx.gpu when the
 * subscripts leave one argument over) is the stream.
 */
function splitOperands(fn: string, subscripts: unknown, args: unknown[]): { ops: MxArray[]; s: StreamOrDevice } {
  if (typeof subscripts !== 'string') {
    throw new TypeError(`[${fn}] subscripts must be a string, got ${typeof subscripts}.`);
  }
  const first = args[0];
  if (
    Array.isArray(first) &&
    (args.length === 1 || (args.length === 2 && (isStreamLike(args[1]) || typeof args[1] === 'number'))) &&
    first.length > 0 &&
    first.every((x) => x instanceof MxArray)
  ) {
    return { ops: first.map((x, i) => asArray(x, `operands[${i}]`, fn)), s: args[1] as StreamOrDevice };
  }
  const list = [...args];
  let s: StreamOrDevice;
  const nIn = parse(subscripts)[0].length;
  const last = list[list.length - 1];
  if (list.length > 0 && (isStreamLike(last) || (typeof last === 'number' && list.length === nIn + 1))) {
    s = list.pop() as StreamOrDevice;
  }
  return { ops: list.map((x, i) => asArray(x, `operands[${i}]`, fn)), s };
}

/**
 * MLX's einsum_path: the contraction order (positions into the shrinking operand list, each
 * step's result appended at the end) and a summary of the naive and optimized costs.
 */
export function einsumPath(subscripts: string, ...operands: (ScalarOrArray | StreamOrDevice)[]): [number[][], string] {
  const { ops } = splitOperands('einsum_path', subscripts, operands);
  const { path, info } = planEinsum(
    subscripts,
    ops.map((o) => o._shape),
    'einsum_path',
  );
  const text =
    `  Complete contraction:  ${subscripts}\n` +
    `         Naive scaling:  ${info.naiveScaling}\n` +
    `     Optimized scaling:  ${info.optimizedScaling}\n` +
    `      Naive FLOP count:  ${info.naiveCost}\n` +
    `  Optimized FLOP count:  ${info.optimizedCost}\n`;
  return [path.map((n) => [...n.positions]), text];
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Replaces repeated letters of one term by their diagonal ("ii" -> "i"); updates `t`. */
function collapseRepeats(x: MxArray, t: Sub, s: Stream): MxArray {
  let str = t.str;
  for (;;) {
    let a = -1;
    let b = -1;
    for (let i = 0; i < str.length && a < 0; i++) {
      const j = str.indexOf(str[i]!, i + 1);
      if (j >= 0) [a, b] = [i, j];
    }
    if (a < 0) break;
    // diagonal drops both axes and appends the diagonal as the last axis.
    x = diagonal(x, 0, a, b, s);
    const c = str[a]!;
    str = [...str].filter((_, k) => k !== a && k !== b).join('') + c;
  }
  t.str = str;
  return x;
}

/** Collapses repeats and sums letters that appear in one term only (and not the output). */
function preprocess(node: PathNode, operands: MxArray[], s: Stream): void {
  node.inputs.forEach((t, i) => {
    if (t.set.size < t.str.length) {
      const p = node.positions[i]!;
      operands[p] = collapseRepeats(operands[p]!, t, s);
    }
  });
  const counts = new Map<string, number>();
  for (const t of node.inputs) for (const c of t.set) counts.set(c, (counts.get(c) ?? 0) + 1);
  for (const c of node.output.set) counts.set(c, (counts.get(c) ?? 0) + 1);
  node.inputs.forEach((t, i) => {
    const axes: number[] = [];
    for (let ax = 0; ax < t.str.length; ax++) if (counts.get(t.str[ax]!) === 1) axes.push(ax);
    if (axes.length === 0) return;
    const p = node.positions[i]!;
    operands[p] = sum(operands[p]!, axes, false, s);
    t.str = [...t.str].filter((_, k) => !axes.includes(k)).join('');
    t.set = new Set(t.str);
  });
}

/** A matmul does the work when there are two terms and something is contracted. */
function canDot(inputs: Sub[], output: Sub): boolean {
  if (inputs.length !== 2) return false;
  for (const c of inputs[0]!.set) if (!output.set.has(c)) return true;
  return false;
}

function prod(shape: readonly number[], axes: number[]): number {
  let n = 1;
  for (const a of axes) n *= shape[a]!;
  return n;
}

/** Two terms as one batched matmul: (batch, A-only, contracted) @ (batch, contracted, B-only). */
function dotStep(a: MxArray, b: MxArray, ta: Sub, tb: Sub, out: Sub, s: Stream): MxArray {
  const aContract: number[] = [];
  const aBatch: number[] = [];
  const aFree: number[] = [];
  [...ta.str].forEach((c, i) => {
    if (!out.set.has(c)) aContract.push(i);
    else if (tb.set.has(c)) aBatch.push(i);
    else aFree.push(i);
  });
  const bContract = aContract.map((i) => tb.str.indexOf(ta.str[i]!));
  const bBatch = aBatch.map((i) => tb.str.indexOf(ta.str[i]!));
  const bFree: number[] = [];
  [...tb.str].forEach((c, i) => {
    if (out.set.has(c) && !ta.set.has(c)) bFree.push(i);
  });

  // Shared letters broadcast (size 1 against n) before they are merged by reshape.
  const aShape = [...a._shape];
  const bShape = [...b._shape];
  const share = (ai: number[], bi: number[]): void =>
    ai.forEach((x, k) => {
      const d = Math.max(aShape[x]!, bShape[bi[k]!]!);
      aShape[x] = d;
      bShape[bi[k]!] = d;
    });
  share(aContract, bContract);
  share(aBatch, bBatch);
  a = broadcastTo(a, aShape, s);
  b = broadcastTo(b, bShape, s);

  const group = (x: MxArray, batch: number[], mid: number[], last: number[]): MxArray => {
    const shape = [...batch.map((ax) => x._shape[ax]!), prod(x._shape, mid), prod(x._shape, last)];
    return reshape(transpose(x, [...batch, ...mid, ...last], s), shape, s);
  };
  const outShape = [
    ...aBatch.map((ax) => a._shape[ax]!),
    ...aFree.map((ax) => a._shape[ax]!),
    ...bFree.map((ax) => b._shape[ax]!),
  ];
  const letters = [...aBatch.map((i) => ta.str[i]!), ...aFree.map((i) => ta.str[i]!), ...bFree.map((i) => tb.str[i]!)];
  const r = reshape(matmul(group(a, aBatch, aFree, aContract), group(b, bBatch, bContract, bFree), s), outShape, s);
  return transpose(r, [...out.str].map((c) => letters.indexOf(c)), s);
}

/** Any number of terms: align every term on a common axis order, multiply, sum, transpose. */
function naiveStep(inputs: Sub[], output: Sub, xs: MxArray[], s: Stream): MxArray {
  const order: string[] = [];
  for (const t of inputs) for (const c of t.str) if (!order.includes(c)) order.push(c);
  const aligned = xs.map((x, i) => {
    const str = inputs[i]!.str;
    // Missing letters become trailing size-1 axes, then everything moves to `order`.
    const missing = order.filter((c) => !str.includes(c));
    const full = str + missing.join('');
    let y = x;
    if (missing.length > 0) y = reshape(y, [...y._shape, ...missing.map(() => 1)], s);
    return transpose(y, order.map((c) => full.indexOf(c)), s);
  });
  let out = aligned[0]!;
  for (let i = 1; i < aligned.length; i++) out = multiply(out, aligned[i]!, s);
  const sumAxes = order.map((c, k) => (output.set.has(c) ? -1 : k)).filter((k) => k >= 0);
  if (sumAxes.length > 0) out = sum(out, sumAxes, false, s);
  const kept = order.filter((c) => output.set.has(c));
  return transpose(out, [...output.str].map((c) => kept.indexOf(c)), s);
}

/**
 * Einstein summation (MLX's einsum): `einsum('ij,jk->ik', a, b)` or node-mlx's
 * `einsum('ij,jk->ik', [a, b])`, with an optional stream last.
 */
export function einsum(subscripts: string, ...operands: (ScalarOrArray | StreamOrDevice)[]): MxArray {
  const { ops, s: sArg } = splitOperands('einsum', subscripts, operands);
  const s = toStream(sArg);
  const { path, output } = planEinsum(
    subscripts,
    ops.map((o) => o._shape),
    'einsum',
  );
  // MLX fails later in transpose here; name the problem instead.
  const seen = new Set<string>();
  for (const n of path) for (const t of n.inputs) for (const c of t.set) seen.add(c);
  for (const c of output.str) {
    if (!seen.has(c)) throw new Error(`[einsum] Output subscript '${c}' does not appear in any input subscript.`);
  }

  const list = [...ops];
  for (const original of path) {
    const node: PathNode = {
      inputs: original.inputs.map(cloneSub),
      output: cloneSub(original.output),
      positions: original.positions,
    };
    preprocess(node, list, s);
    let result: MxArray;
    if (canDot(node.inputs, node.output)) {
      const [pa, pb] = node.positions as [number, number];
      result = dotStep(list[pa]!, list[pb]!, node.inputs[0]!, node.inputs[1]!, node.output, s);
    } else {
      result = naiveStep(
        node.inputs,
        node.output,
        node.positions.map((p) => list[p]!),
        s,
      );
    }
    list.push(result);
    // positions are increasing: remove from the back
    for (let k = node.positions.length - 1; k >= 0; k--) list.splice(node.positions[k]!, 1);
  }
  return list[0]!;
}
