// scikit-learn's 8x8 digits for the digits examples: exported once with Python (sklearn ships
// the data in its package) into examples/data/digits, then read with mx.load.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { core as mx } from 'mlx-ts';

const here = dirname(fileURLToPath(import.meta.url));

/** { trainX [1437, 64], trainY [1437], testX [360, 64], testY [360] }: pixels in [0, 1], int32 labels. */
export function loadDigits(dir = join(here, 'data', 'digits')) {
  if (!existsSync(join(dir, 'test_y.npy'))) {
    const r = spawnSync('python3', [join(here, 'data', 'export_digits.py'), dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`Exporting the digits failed (pip install scikit-learn):\n${r.stderr}`);
  }
  const load = (name) => mx.load(join(dir, `${name}.npy`));
  return { trainX: load('train_x'), trainY: load('train_y'), testX: load('test_x'), testY: load('test_y') };
}

/** Yields the shuffled example indices of each minibatch of one epoch. */
export function* batches(numExamples, batchSize) {
  const perm = mx.random.permutation(numExamples);
  for (let i = 0; i < numExamples; i += batchSize) yield perm.index(mx.Slice(i, i + batchSize));
}

/** The fraction of the examples whose highest logit is the label. */
export function accuracy(logits, y) {
  return mx.mean(mx.equal(mx.argmax(logits, -1), y)).item();
}
