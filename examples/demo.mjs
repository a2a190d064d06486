// The mlx-ts demo: MLX's arrays, dtypes, lazy evaluation and random numbers in plain Node,
// then autograd and a small MLP trained with valueAndGrad. Run with `npm run demo`.
import * as mx from '@mlx-ts/core';

const section = (title) => console.log(`\n=== ${title} ===`);

section('Arrays and dtypes (MLX printing, MLX promotion, node-mlx typing of JS values)');
const a = mx.arange(6, mx.int32).reshape(2, 3);
console.log('a =', String(a));
console.log('a + 1.5 ->', String(mx.add(a, 1.5)));
console.log('a JS number is a float: mx.array([1, 2, 3]) ->', String(mx.array([1, 2, 3])), ' a bigint is an int: mx.array([1n, 2n]) ->', String(mx.array([1n, 2n])));
console.log('weak scalars: float16 + 1 ->', mx.add(mx.array([1, 2], mx.float16), 1).dtype.toString(), ' int8 + 1n ->', mx.add(mx.array([1, 2], mx.int8), 1n).dtype.toString(), ' int32 + 1 ->', mx.add(a, 1).dtype.toString());
console.log('uint64 + int32 ->', mx.promoteTypes(mx.uint64, mx.int32).toString());
console.log('bfloat16(1/3) =', mx.array(1 / 3, mx.bfloat16).item(), ' float16(1/3) =', mx.array(1 / 3, mx.float16).item());
console.log('int64 stays exact:', String(mx.add(mx.array([2n ** 62n], mx.int64), 1n)));

section('Lazy evaluation and views');
const af = a.astype(mx.float32); // matmul needs floats (a is int32), as in MLX
const b = mx.matmul(af, af.T);
console.log('b = af @ af.T is evaluated?', b.isEvaluated);
mx.eval(b);
console.log('after mx.eval(b):', String(b));
const t = a.T;
mx.eval(a, t);
console.log('a.T shares storage with a:', t._data.storage === a._data.storage, ' strides', JSON.stringify(t.strides));
console.log('a.index(mx.Slice(), mx.Slice(null, null, -1)) =', String(a.index(mx.Slice(), mx.Slice(null, null, -1))));

section('Reductions, sorting, indexing updates');
console.log('sum(a, 0) =', String(mx.sum(a, 0)), ' argmax(a, 1) =', String(mx.argmax(a, 1)));
console.log('sort([3,1,2]) =', String(mx.sort(mx.array([3, 1, 2]))));
console.log('zeros(3).at([0, 0, 2]).add(1) =', String(mx.zeros([3]).at(mx.array([0, 0, 2], mx.int32)).add(1)));

section('Random numbers: counter-based threefry, the same numbers as MLX for the same key');
const key = mx.random.key(0);
console.log('random.uniform(shape=[4], key=key(0)) =', String(mx.random.uniform(0, 1, [4], mx.float32, key)));
console.log('random.randint(0, 10, [6], key=key(0)) =', String(mx.random.randint(0, 10, [6], mx.int32, key)));

section('Autograd: grad, higher order, vmap');
const cube = (v) => mx.multiply(mx.multiply(v, v), v);
console.log("d/dx x^3 at 2 =", mx.grad(cube)(mx.array(2.0)).item(), "  d3/dx3 =", mx.grad(mx.grad(mx.grad(cube)))(mx.array(2.0)).item());
const perExample = mx.vmap(mx.grad((w, xi) => mx.sum(mx.square(mx.multiply(w, xi)))), [null, 0]);
console.log('per-example gradients (vmap of grad) =', String(perExample(mx.array([1, 2]), mx.array([[1, 1], [2, 3]]))));

section('A two-layer MLP trained with valueAndGrad on two interleaved spirals');
// Data: two spirals of 200 points each, label 0/1.
const n = 200;
const theta = mx.multiply(mx.sqrt(mx.random.uniform(0, 1, [n], mx.float32, mx.random.key(1))), 2 * Math.PI);
const spiral = (sign) =>
  mx.stack([mx.multiply(mx.multiply(theta, mx.cos(theta)), sign / 10), mx.multiply(mx.multiply(theta, mx.sin(theta)), sign / 10)], 1);
const X = mx.concatenate([spiral(1), spiral(-1)], 0);
const Y = mx.concatenate([mx.zeros([n], mx.int32), mx.ones([n], mx.int32)]);

// Parameters: a tree (plain object) of arrays; valueAndGrad returns gradients of the same shape.
const hidden = 64;
const [k1, k2] = mx.random.split(mx.random.key(7));
let params = {
  w1: mx.multiply(mx.random.normal([2, hidden], mx.float32, 0, 1, k1), 3),
  b1: mx.zeros([hidden]),
  w2: mx.multiply(mx.random.normal([hidden, 2], mx.float32, 0, 1, k2), 1 / Math.sqrt(hidden)),
  b2: mx.zeros([2]),
};
const forward = (p, x) => mx.add(mx.matmul(mx.tanh(mx.add(mx.matmul(x, p.w1), p.b1)), p.w2), p.b2);
// softmax cross-entropy, with the accuracy as an auxiliary output
const lossFn = (p, x, y) => {
  const logits = forward(p, x);
  const picked = mx.takeAlongAxis(logits, mx.expandDims(y, 1), 1);
  const loss = mx.mean(mx.subtract(mx.logsumexp(logits, 1, true), picked));
  const acc = mx.mean(mx.equal(mx.argmax(logits, 1), y).astype(mx.float32));
  return [loss, acc];
};
const step = mx.valueAndGrad(lossFn);
const lr = 0.3;
for (let it = 0; it <= 400; it++) {
  // mx.tidy frees this step's intermediates as soon as it returns; what it returns is kept.
  const next = mx.tidy(() => {
    const [[loss, acc], g] = step(params, X, Y);
    const updated = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, mx.subtract(v, mx.multiply(g[k], lr))]));
    mx.eval(updated, loss, acc);
    return { updated, loss, acc };
  });
  mx.dispose(params); // the previous parameters are no longer needed
  params = next.updated;
  if (it % 50 === 0) console.log(`step ${String(it).padStart(3)}  loss ${next.loss.item().toFixed(4)}  accuracy ${(next.acc.item() * 100).toFixed(1)}%`);
  mx.dispose(next.loss, next.acc);
}
section('Interop, as MLX\'s "Conversion to NumPy and Other Frameworks" page (TypedArrays play NumPy)');
{
  const a = mx.arange(3, mx.int32); // the page's mx.arange(3) (Python ints)
  const b = a.toTypedArray(); // np.array(a): a copy
  const c = mx.array(b); // mx.array(b): a copy
  b[0] = 7;
  console.log('a.toTypedArray() is a copy:', b.constructor.name, Array.from(b), ' a =', String(a), ' c =', String(c));
  try {
    mx.arange(3).astype(mx.bfloat16).toTypedArray();
  } catch (e) {
    console.log('bfloat16 has no TypedArray:', e.message.split('\n')[0]);
  }
  const aView = a.toTypedArray({ copy: false }); // np.array(a, copy=False)
  aView[0] = 1;
  console.log('a_view[0] = 1  ->  a[0].item() =', a.index(0).item(), '(the view aliases the array)');
  mx.setInteropWarningHandler(() => {}); // the walkthrough writes behind mlx-ts's back on purpose
  const f = (x) => {
    const xView = x.toTypedArray({ copy: false });
    for (let i = 0; i < xView.length; i++) xView[i] *= xView[i]; // x_view[:] *= x_view
    return x.sum();
  };
  const [y, df] = mx.valueAndGrad(f)(mx.array([3.0]));
  console.log("f(x) = x^2 =", y.item(), "  f'(x) = 2x !=", df.item(), '(gradients do not see writes made through a view)');
  const g = (x) => mx.array(x.toTypedArray().map((v) => v * v)).sum();
  console.log('gradient of mx.array(x.toTypedArray() squared).sum():', mx.grad(g)(mx.array([3.0])).item());
  mx.setInteropWarningHandler(null);
  const capsule = a.__dlpack__(); // DLPack: zero-copy, the JS protocol mirrors Python's
  const d = mx.fromDlpack(capsule);
  console.log('DLPack round trip shares memory:', String(d), ' device', JSON.stringify(a.__dlpack_device__()));
  const bytes = mx.saveToBytes('safetensors', { w: mx.arange(4).astype(mx.bfloat16) });
  console.log('safetensors bytes round trip:', String(mx.loadFromBytes(bytes, 'safetensors').w));
}

console.log('\nlive memory per backend:', JSON.stringify(mx.memory()));
