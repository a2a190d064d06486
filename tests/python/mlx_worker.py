"""Differential-test worker: evaluates MLX expressions for the TS harness.

Protocol (one JSON object per line, both ways):
  request  {"id": int, "expr": str, "inputs": [{"dtype": str, "shape": [int], "data": base64}]}
           `expr` is a Python expression over `mx` and the inputs bound as a0, a1, ...
  reply    {"id": int, "ok": true, "outs": [{"dtype": str, "shape": [int], "data": base64}]}
           or {"id": int, "ok": false, "error": str} when MLX raises.
Array bytes are raw little-endian element bytes in row-major order (bool: 1 byte; bfloat16 and
float16: 16-bit patterns; complex64: interleaved float32). A result that is a Python scalar or
bool is sent as a 0-d array; tuples and lists of arrays as several outputs.
"""
import base64
import json
import os
import sys

import mlx.core as mx
import numpy as np


def decode(spec):
    raw = np.frombuffer(base64.b64decode(spec["data"]), dtype=np.uint8)
    dtype = mx.bool_ if spec["dtype"] == "bool" else getattr(mx, spec["dtype"])
    flat = mx.array(raw, dtype=mx.uint8)
    if dtype != mx.uint8:
        flat = mx.view(flat, dtype)
    return flat.reshape(spec["shape"])


def encode(x):
    if not isinstance(x, mx.array):
        x = mx.array(x)
    flat = x.reshape(-1)
    raw = flat if x.dtype == mx.uint8 else mx.view(flat, mx.uint8)
    data = np.array(raw, copy=True).tobytes()
    return {"dtype": str(x.dtype).replace("mlx.core.", ""), "shape": list(x.shape), "data": base64.b64encode(data).decode()}


def handle(req):
    env = {"mx": mx}
    for i, spec in enumerate(req.get("inputs", [])):
        env[f"a{i}"] = decode(spec)
    try:
        out = eval(req["expr"], env)  # noqa: S307 - expressions come from our own test table
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        mx.eval([o for o in outs if isinstance(o, mx.array)])
        return {"id": req["id"], "ok": True, "outs": [encode(o) for o in outs]}
    except Exception as e:  # MLX raising is a result too: mlx-ts must raise as well
        return {"id": req["id"], "ok": False, "error": f"{type(e).__name__}: {e}"}


def main():
    # MLX_WORKER_TRACE=file logs each request before it runs (to find an input that hangs MLX)
    trace = open(os.environ["MLX_WORKER_TRACE"], "a") if os.environ.get("MLX_WORKER_TRACE") else None
    for line in sys.stdin:
        if trace:
            trace.write(line)
            trace.flush()
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        sys.stdout.write(json.dumps(handle(req)) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
