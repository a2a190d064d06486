"""Quantized tensors crossing between MLX and mlx-ts through safetensors files, driven by
tests/interop/quantize-python.test.ts.

  python3 quantize_interop.py write DIR    quantizes seeded weights with MLX in every mode (the
                                           affine bit widths and group sizes, float32 / float16 /
                                           bfloat16) and saves, per case, DIR/<case>.safetensors
                                           holding w, wq, scales, [biases], deq (MLX's
                                           dequantize), x and qmm (MLX's quantized_matmul);
                                           prints {"cases": [{"id", "mode", "group_size",
                                           "bits", "transpose"}]}
  python3 quantize_interop.py check DIR    loads each DIR/<case>.safetensors mlx-ts wrote (same
                                           keys, DIR/cases.json lists them) and checks with MLX:
                                           dequantize bit for bit, quantize of w bit for bit,
                                           quantized_matmul within float tolerance; prints
                                           {"results": [{"id", "ok", "error"}]}
"""
import json
import os
import sys

import mlx.core as mx

AFFINE = [(gs, bits) for bits in (1, 2, 3, 4, 5, 6, 8) for gs in (32, 64, 128)]
FP = [("mxfp4", 32, 4), ("mxfp8", 32, 8), ("nvfp4", 16, 4)]
DTYPES = {"float32": mx.float32, "float16": mx.float16, "bfloat16": mx.bfloat16}


def cases():
    out = []
    for i, (gs, bits) in enumerate(AFFINE):
        dt = list(DTYPES)[i % 3]
        out.append({"id": f"affine-{gs}-{bits}-{dt}", "mode": "affine", "group_size": gs, "bits": bits, "dtype": dt, "transpose": i % 2 == 0})
    for j, (mode, gs, bits) in enumerate(FP):
        for k, dt in enumerate(DTYPES):
            out.append({"id": f"{mode}-{dt}", "mode": mode, "group_size": gs, "bits": bits, "dtype": dt, "transpose": (j + k) % 2 == 0})
    return out


def quantized(w, c):
    q = mx.quantize(w, c["group_size"], c["bits"], mode=c["mode"])
    return {"wq": q[0], "scales": q[1], **({"biases": q[2]} if c["mode"] == "affine" else {})}


def qmm(x, q, c):
    return mx.quantized_matmul(x, q["wq"], q["scales"], q.get("biases"), c["transpose"], c["group_size"], c["bits"], c["mode"])


def write(d):
    cs = cases()
    for n, c in enumerate(cs):
        mx.random.seed(1000 + n)
        dt = DTYPES[c["dtype"]]
        w = (mx.random.normal((2, 24, 256)) * mx.exp(mx.random.normal((2, 24, 1)))).astype(dt)
        q = quantized(w, c)
        deq = mx.dequantize(q["wq"], q["scales"], q.get("biases"), c["group_size"], c["bits"], c["mode"])
        k = 256 if c["transpose"] else 24
        x = mx.random.normal((2, 3, k)).astype(dt)
        mx.save_safetensors(os.path.join(d, c["id"] + ".safetensors"), {"w": w, "deq": deq, "x": x, "qmm": qmm(x, q, c), **q})
    print(json.dumps({"cases": cs}))


def check(d):
    with open(os.path.join(d, "cases.json")) as f:
        cs = json.load(f)
    results = []
    for c in cs:
        try:
            a = mx.load(os.path.join(d, c["id"] + ".safetensors"))
            q = {k: a[k] for k in ("wq", "scales", "biases") if k in a}
            deq = mx.dequantize(q["wq"], q["scales"], q.get("biases"), c["group_size"], c["bits"], c["mode"])
            problems = []
            if deq.dtype != a["deq"].dtype or not mx.array_equal(deq, a["deq"], equal_nan=True).item():
                problems.append("dequantize differs")
            mine = quantized(a["w"], c)
            for k, v in mine.items():
                if v.dtype != a[k].dtype or not mx.array_equal(v, a[k]).item():
                    problems.append(f"quantize: {k} differs")
            out = qmm(a["x"], q, c)
            # MLX sums in float32 (or the half dtype), mlx-ts in double: |diff| <= K eps sum|x w|
            eps = {"float32": 2.0**-23, "float16": 2.0**-10, "bfloat16": 2.0**-7}[c["dtype"]]
            w = mx.abs(a["deq"].astype(mx.float32))
            x = a["x"]
            S = mx.abs(x.astype(mx.float32)) @ (mx.swapaxes(w, -1, -2) if c["transpose"] else w)
            diff = mx.abs(out.astype(mx.float32) - a["qmm"].astype(mx.float32))
            if not mx.all(diff <= S * (x.shape[-1] * eps) + 1e-30).item():
                problems.append("quantized_matmul differs beyond tolerance")
            results.append({"id": c["id"], "ok": not problems, "error": "; ".join(problems) or None})
        except Exception as e:  # reported per case
            results.append({"id": c["id"], "ok": False, "error": f"{type(e).__name__}: {e}"})
    print(json.dumps({"results": results}))


if __name__ == "__main__":
    {"write": write, "check": check}[sys.argv[1]](sys.argv[2])
