// A small convolutional network trained on scikit-learn's 8x8 digits (NHWC images, as MLX's
// convolutions take them): two 3x3 convolutions with max pooling, then a linear classifier.
// Reaches about 99% test accuracy in 10 epochs (the test asserts >= 95%).
//   node examples/digits-cnn.mjs [epochs]
import { fileURLToPath } from 'node:url';
import { core as mx, nn, optimizers as optim } from 'mlx-ts';
import { accuracy, batches, loadDigits } from './digits-data.mjs';

export class CNN extends nn.Module {
  constructor(numClasses = 10) {
    super();
    this.conv1 = new nn.Conv2d(1, 16, 3, 1, 1); // [N, 8, 8, 16]
    this.conv2 = new nn.Conv2d(16, 32, 3, 1, 1); // [N, 4, 4, 32] after the first pooling
    this.pool = new nn.MaxPool2d(2, 2);
    this.fc = new nn.Linear(2 * 2 * 32, numClasses);
  }
  forward(x) {
    x = x.reshape(-1, 8, 8, 1);
    x = this.pool.forward(nn.relu(this.conv1.forward(x)));
    x = this.pool.forward(nn.relu(this.conv2.forward(x)));
    return this.fc.forward(x.reshape(x.shape[0], -1));
  }
}

/** Trains the CNN; returns { model, testAccuracy, losses } (mean loss per epoch). */
export function train({ epochs = 10, batchSize = 32, learningRate = 2e-3, seed = 0, log = console.log } = {}) {
  mx.random.seed(seed);
  const data = loadDigits();
  const model = new CNN();
  mx.eval(model);
  const optimizer = new optim.Adam(learningRate);
  const lossFn = (x, y) => nn.losses.crossEntropy(model.forward(x), y, null, -1, 0, 'mean');
  const lossAndGrad = nn.valueAndGrad(model, lossFn);
  const losses = [];
  let testAccuracy = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    let total = 0, n = 0;
    for (const ids of batches(data.trainY.shape[0], batchSize)) {
      // tidy frees the step's temporaries at once (a synchronous loop never lets the GC run)
      mx.tidy(() => {
        const [x, y] = [mx.take(data.trainX, ids, 0), mx.take(data.trainY, ids, 0)];
        const [loss, grads] = lossAndGrad(x, y);
        optimizer.update(model, grads);
        mx.eval(model, optimizer.state, loss);
        total += loss.item() * ids.shape[0];
        n += ids.shape[0];
        return [model, optimizer.state]; // kept: the new parameters and optimizer state
      });
    }
    losses.push(total / n);
    testAccuracy = mx.tidy(() => accuracy(model.forward(data.testX), data.testY));
    log(`epoch ${epoch + 1}: train loss ${(total / n).toFixed(4)}, test accuracy ${(100 * testAccuracy).toFixed(1)}%`);
  }
  return { model, testAccuracy, losses };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) train({ epochs: Number(process.argv[2] ?? 10) });
