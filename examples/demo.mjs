// The mlx-ts demo: MLX's arrays, dtypes, lazy evaluation and random numbers in plain Node,
// then a small model fitted by gradient descent. Run with `npm run demo`.
import * as mx from '@mlx-ts/core';

const section = (title) => console.log(`\n=== ${title} ===`);

section('Arrays and dtypes (MLX printing, MLX promotion)');
const a = mx.arange(6).reshape(2, 3);
console.log('a =', String(a));
console.log('a + 1.5 ->', String(mx.add(a, 1.5)));
console.log('int8 array + 1 stays int8 ->', mx.add(mx.array([1, 2], mx.int8), 1).dtype.toString());
console.log('uint64 + int32 ->', mx.promoteTypes(mx.uint64, mx.int32).toString());
console.log('bfloat16(1/3) =', mx.array(1 / 3, mx.bfloat16).item(), ' float16(1/3) =', mx.array(1 / 3, mx.float16).item());
console.log('int64 stays exact:', String(mx.add(mx.array([2n ** 62n], mx.int64), 1)));

section('Lazy evaluation and views');
const af = a.astype(mx.float32); // matmul needs floats, as in MLX
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
console.log('zeros(3).at([0, 0, 2]).add(1) =', String(mx.zeros([3]).at(mx.array([0, 0, 2])).add(1)));

section('Random numbers: counter-based threefry, the same numbers as MLX for the same key');
const key = mx.random.key(0);
console.log('random.uniform(shape=[4], key=key(0)) =', String(mx.random.uniform(0, 1, [4], mx.float32, key)));
console.log('random.randint(0, 10, [6], key=key(0)) =', String(mx.random.randint(0, 10, [6], mx.int32, key)));

section('Fitting y = 3x - 2 + noise by gradient descent (hand-written gradient)');
// mx.grad arrives with the transforms issue; here the gradient of the mean squared error is
// written out: d/dw mean((xw + b - y)^2) = 2 mean((xw + b - y) x).
const [kx, kn] = mx.random.split(mx.random.key(42));
const x = mx.random.uniform(-1, 1, [256, 1], mx.float32, kx);
const y = mx.add(mx.subtract(mx.multiply(x, 3), 2), mx.multiply(mx.random.normal([256, 1], mx.float32, 0, 1, kn), 0.1));
let w = mx.zeros([1, 1]);
let bias = mx.zeros([1]);
const lr = 0.5;
for (let step = 0; step <= 60; step++) {
  const err = mx.subtract(mx.add(mx.matmul(x, w), bias), y);
  const loss = mx.mean(mx.square(err));
  const gw = mx.multiply(mx.matmul(x.T, err), 2 / 256);
  const gb = mx.multiply(mx.mean(err, 0), 2);
  w = mx.subtract(w, mx.multiply(gw, lr));
  bias = mx.subtract(bias, mx.multiply(gb, lr));
  mx.eval(w, bias, loss);
  if (step % 10 === 0) console.log(`step ${String(step).padStart(2)}  loss ${loss.item().toFixed(5)}`);
}
console.log(`fitted w = ${w.item().toFixed(3)}, b = ${bias.item().toFixed(3)} (true: 3, -2)`);
console.log('\nlive memory per backend:', JSON.stringify(mx.memory()));
