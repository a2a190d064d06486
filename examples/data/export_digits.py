# Exports scikit-learn's 8x8 digits (shipped inside the sklearn package, no download) as .npy
# files for the digits examples: pixels scaled to [0, 1], a fixed 80/20 train/test split.
#   usage: python3 examples/data/export_digits.py [OUT_DIR]   (default: examples/data/digits)
import os
import sys

import numpy as np
from sklearn.datasets import load_digits

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "digits")
os.makedirs(out, exist_ok=True)
d = load_digits()
x = (d.data / 16.0).astype(np.float32)
y = d.target.astype(np.int32)
perm = np.random.RandomState(0).permutation(len(y))
n_train = int(0.8 * len(y))
tr, te = perm[:n_train], perm[n_train:]
for name, arr in [("train_x", x[tr]), ("train_y", y[tr]), ("test_x", x[te]), ("test_y", y[te])]:
    np.save(os.path.join(out, f"{name}.npy"), arr)
print(f"digits: {len(tr)} train, {len(te)} test images -> {out}")
