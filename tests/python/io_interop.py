"""File-format interop checks for mlx-ts, driven by tests/interop/io-python.test.ts.

  python3 io_interop.py probe          -> {"numpy": version | null, "ml_dtypes": ..., ...}
  python3 io_interop.py check DIR      reads DIR/manifest.json (files mlx-ts wrote and what they
                                       hold) and loads each file with the named Python reader;
                                       prints {"results": [{"id", "ok", "error"}]}
  python3 io_interop.py write DIR      writes files with NumPy, MLX, safetensors and gguf into
                                       DIR and DIR/expected.json describing them
  python3 io_interop.py write DIR --only mlx,numpy   the same, for the named writers only
  python3 io_interop.py verdicts DIR   loads each file DIR/verdicts.json lists ({"files": [{"id",
                                       "file", "format"}]}) with its format's reference reader
                                       (NumPy, safetensors, gguf); prints {"verdicts": {id: null
                                       where it loads, else the error}}

An array travels as {"dtype": mlx dtype name, "shape": [...], "b64": raw little-endian
row-major bytes}; bool is one byte, bfloat16 its 16-bit pattern, complex64 two float32.
"""
import base64
import importlib
import json
import os
import sys
import traceback

PACKAGES = ["numpy", "ml_dtypes", "mlx", "safetensors", "gguf", "torch"]


def probe():
    out = {}
    for name in PACKAGES:
        try:
            mod = importlib.import_module("mlx.core" if name == "mlx" else name)
            out[name] = getattr(mod, "__version__", "unknown")
        except Exception:  # missing or broken: reported as absent
            out[name] = None
    return out


# ---- arrays on the wire ----

def np_dtype(name):
    import numpy as np

    if name == "bfloat16":
        import ml_dtypes

        return np.dtype(ml_dtypes.bfloat16)
    return np.dtype("bool" if name == "bool" else name)


def dtype_name(dt):
    import numpy as np

    dt = np.dtype(dt)
    if dt.name == "bfloat16" or (dt.kind == "V" and dt.itemsize == 2):
        return "bfloat16"
    return dt.newbyteorder("=").name


def le_bytes(a):
    """Raw little-endian C-order bytes of a NumPy array (any layout, any byte order)."""
    import numpy as np

    a = np.ascontiguousarray(a)
    if a.dtype.byteorder == ">":
        a = a.byteswap().view(a.dtype.newbyteorder("<"))
    return a.tobytes()


def encode_np(a):
    return {"dtype": dtype_name(a.dtype), "shape": list(a.shape), "b64": base64.b64encode(le_bytes(a)).decode()}


def decode_np(spec):
    import numpy as np

    raw = base64.b64decode(spec["b64"])
    return np.frombuffer(raw, dtype=np_dtype(spec["dtype"])).reshape(spec["shape"]).copy()


def mx_to_spec(x):
    import mlx.core as mx
    import numpy as np

    name = str(x.dtype).replace("mlx.core.", "")
    flat = x.reshape(-1)
    raw = flat if x.dtype == mx.uint8 else mx.view(flat, mx.uint8)
    return {"dtype": name, "shape": list(x.shape), "b64": base64.b64encode(np.array(raw).tobytes()).decode()}


def mx_from_spec(spec):
    import mlx.core as mx
    import numpy as np

    raw = np.frombuffer(base64.b64decode(spec["b64"]), dtype=np.uint8)
    dt = mx.bool_ if spec["dtype"] == "bool" else getattr(mx, spec["dtype"])
    flat = mx.array(raw, dtype=mx.uint8)
    if dt != mx.uint8:
        flat = mx.view(flat, dt)
    return flat.reshape(spec["shape"])


def same(spec_got, spec_want, what):
    for k in ("dtype", "shape", "b64"):
        if spec_got[k] != spec_want[k]:
            detail = "" if k == "b64" else f": got {spec_got[k]}, want {spec_want[k]}"
            raise AssertionError(f"{what}: {k} differs{detail}")


def same_arrays(got, want, what):
    if sorted(got) != sorted(want):
        raise AssertionError(f"{what}: names {sorted(got)} != {sorted(want)}")
    for k in want:
        same(got[k], want[k], f"{what} '{k}'")


# ---- check: Python reads files mlx-ts wrote ----

def gguf_fields(reader):
    """GGUF metadata as the wire format: strings, lists of strings, arrays as specs."""
    import numpy as np
    from gguf import GGUFValueType as T

    scalar_dtypes = {
        T.UINT8: "uint8", T.INT8: "int8", T.UINT16: "uint16", T.INT16: "int16", T.UINT32: "uint32",
        T.INT32: "int32", T.FLOAT32: "float32", T.BOOL: "bool", T.UINT64: "uint64", T.INT64: "int64",
        T.FLOAT64: "float64",
    }
    out = {}
    for key, f in reader.fields.items():
        if key.startswith("GGUF."):
            continue
        t = f.types[0]
        if t == T.STRING:
            out[key] = bytes(f.parts[f.data[0]]).decode()
        elif t == T.ARRAY:
            sub = f.types[1] if len(f.types) > 1 else T.STRING
            if sub == T.STRING:
                out[key] = [bytes(f.parts[i]).decode() for i in f.data]
            else:
                vals = np.concatenate([np.asarray(f.parts[i]).reshape(-1) for i in f.data])
                out[key] = {"type": scalar_dtypes[sub], "value": encode_np(vals.astype(np.dtype(scalar_dtypes[sub])))}
        else:
            v = np.asarray(f.parts[f.data[0]]).reshape(())
            out[key] = {"type": scalar_dtypes[t], "value": encode_np(v.astype(np.dtype(scalar_dtypes[t])))}
    return out


def check_case(case, d):
    import numpy as np

    path = os.path.join(d, case["file"])
    want = case["arrays"]
    reader = case["reader"]
    if reader == "numpy-npy":
        a = np.load(path)
        spec = encode_np(a)
        if case.get("bfloat16"):
            # NumPy reads '<V2'; ml_dtypes gives it its meaning
            import ml_dtypes

            if a.dtype.kind != "V" or a.dtype.itemsize != 2:
                raise AssertionError(f"bfloat16 .npy read by NumPy as {a.dtype}, expected V2")
            b = a.view(ml_dtypes.bfloat16)
            bits = np.frombuffer(le_bytes(a), dtype=np.uint16).reshape(a.shape).astype(np.uint32) << 16
            f32 = b.astype(np.float32)
            ref = bits.view(np.float32)
            if not np.array_equal(np.isnan(f32), np.isnan(ref)) or not np.array_equal(f32[~np.isnan(f32)], ref[~np.isnan(ref)]):
                raise AssertionError("ml_dtypes bfloat16 values differ")
        same(spec, want["x"], "numpy .npy")
    elif reader == "numpy-npz":
        with np.load(path) as z:
            same_arrays({k: encode_np(z[k]) for k in z.files}, want, "numpy .npz")
    elif reader == "mlx":
        import mlx.core as mx

        fmt = case["format"]
        if fmt == "npy":
            same(mx_to_spec(mx.load(path)), want["x"], "mx.load .npy")
        elif fmt == "npz":
            same_arrays({k: mx_to_spec(v) for k, v in mx.load(path).items()}, want, "mx.load .npz")
        else:
            arrays, meta = mx.load(path, return_metadata=True)
            same_arrays({k: mx_to_spec(v) for k, v in arrays.items()}, want, f"mx.load .{fmt}")
            if fmt == "gguf":
                meta = {
                    k: (v if isinstance(v, (str, list)) else {"type": str(v.dtype).replace("mlx.core.", ""), "value": mx_to_spec(v)})
                    for k, v in meta.items()
                }
            if meta != case["metadata"]:
                raise AssertionError(f"mx.load metadata {meta} != {case['metadata']}")
    elif reader == "mlx-same-bytes":
        # mx.save of the same array must write exactly the bytes mlx-ts wrote
        import mlx.core as mx
        import tempfile

        x = mx_from_spec(want["x"])
        if case.get("transpose"):
            x = mx.transpose(mx_from_spec(case["transpose"]))
        with tempfile.TemporaryDirectory() as t:
            p = os.path.join(t, "m.npy")
            mx.save(p, x)
            mine, theirs = open(path, "rb").read(), open(p, "rb").read()
            if mine != theirs:
                raise AssertionError(f"bytes differ from mx.save: ours {mine[:90]!r}... theirs {theirs[:90]!r}...")
    elif reader == "safetensors-numpy":
        import ml_dtypes  # noqa: F401  registers bfloat16 with NumPy for safetensors
        from safetensors import safe_open

        with safe_open(path, "np") as f:
            got = {k: encode_np(f.get_tensor(k)) for k in f.keys()}
            meta = f.metadata() or {}
        same_arrays(got, want, "safetensors (numpy)")
        if meta != (case["metadata"] or {}):
            raise AssertionError(f"safetensors metadata {meta} != {case['metadata']}")
    elif reader == "safetensors-torch":
        import torch
        from safetensors import safe_open

        with safe_open(path, "pt") as f:
            got = {}
            for k in f.keys():
                t = f.get_tensor(k)
                name = str(t.dtype).replace("torch.", "")
                raw = t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
                got[k] = {"dtype": "bool" if name == "bool" else name, "shape": list(t.shape), "b64": base64.b64encode(raw).decode()}
            meta = f.metadata() or {}
        same_arrays(got, want, "safetensors (torch)")
        if meta != (case["metadata"] or {}):
            raise AssertionError(f"safetensors metadata {meta} != {case['metadata']}")
    elif reader == "gguf":
        from gguf import GGUFReader

        r = GGUFReader(path)
        got = {}
        for t in r.tensors:
            data = np.asarray(t.data)
            shape = [int(x) for x in reversed(list(t.shape))]
            got[t.name] = {"dtype": dtype_name(data.dtype), "shape": shape, "b64": base64.b64encode(le_bytes(data)).decode()}
        same_arrays(got, want, "gguf reader")
        fields = gguf_fields(r)
        if fields != case["metadata"]:
            raise AssertionError(f"gguf metadata {fields} != {case['metadata']}")
    else:
        raise ValueError(f"unknown reader {reader}")


def check(d):
    cases = json.load(open(os.path.join(d, "manifest.json")))["cases"]
    results = []
    for case in cases:
        try:
            check_case(case, d)
            results.append({"id": case["id"], "ok": True})
        except Exception as e:
            results.append({"id": case["id"], "ok": False, "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()[-800:]})
    return {"results": results}


# ---- write: Python writes files for mlx-ts to read ----

ALL = ["bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
       "float16", "float32", "float64", "bfloat16", "complex64"]


def pattern(name, shape, seed):
    import numpy as np

    dt = np_dtype(name)
    n = int(np.prod(shape)) if shape else 1
    raw = np.random.default_rng(seed).integers(0, 256, size=n * dt.itemsize, dtype=np.uint8)
    if name == "bool":
        raw &= 1
    return raw.view(dt).reshape(shape)


def write(d, only):
    import numpy as np

    cases = []

    def add(file, fmt, writer, arrays, metadata=None):
        cases.append({"id": f"{writer}:{file}", "file": file, "format": fmt, "writer": writer, "arrays": arrays, "metadata": metadata})

    if "numpy" in only:
        for i, name in enumerate(ALL):
            a = pattern(name, [2, 3, 4], 100 + i)
            np.save(os.path.join(d, f"np_{name}.npy"), a)
            add(f"np_{name}.npy", "npy", "numpy", {"x": encode_np(a)})
            f = np.asfortranarray(a)
            np.save(os.path.join(d, f"np_{name}_F.npy"), f)
            add(f"np_{name}_F.npy", "npy", "numpy", {"x": encode_np(a)})
            if np_dtype(name).itemsize > 1 and name != "bfloat16":
                be = a.byteswap().view(a.dtype.newbyteorder(">"))
                np.save(os.path.join(d, f"np_{name}_BE.npy"), be)
                add(f"np_{name}_BE.npy", "npy", "numpy", {"x": encode_np(a)})
                np.save(os.path.join(d, f"np_{name}_BEF.npy"), np.asfortranarray(be))
                add(f"np_{name}_BEF.npy", "npy", "numpy", {"x": encode_np(a)})
            s = pattern(name, [], 200 + i)
            np.save(os.path.join(d, f"np_{name}_scalar.npy"), s)
            add(f"np_{name}_scalar.npy", "npy", "numpy", {"x": encode_np(s)})
        arrays = {name: pattern(name, [3, 2], 300 + i) for i, name in enumerate(ALL)}
        np.savez(os.path.join(d, "np_all.npz"), **arrays)
        add("np_all.npz", "npz", "numpy", {k: encode_np(v) for k, v in arrays.items()})
        np.savez_compressed(os.path.join(d, "np_all_c.npz"), *arrays.values())
        add("np_all_c.npz", "npz", "numpy", {f"arr_{i}": encode_np(v) for i, v in enumerate(arrays.values())})
        e = np.zeros((0, 3), dtype=np.float32)
        np.save(os.path.join(d, "np_empty.npy"), e)
        add("np_empty.npy", "npy", "numpy", {"x": encode_np(e)})

    if "mlx" in only:
        import mlx.core as mx

        specs = {name: encode_np(pattern(name, [2, 3, 4], 400 + i)) for i, name in enumerate(ALL)}
        for name, spec in specs.items():
            x = mx_from_spec(spec)
            mx.save(os.path.join(d, f"mx_{name}.npy"), x)
            add(f"mx_{name}.npy", "npy", "mlx", {"x": spec})
            t = mx.transpose(x, (2, 0, 1))
            mx.save(os.path.join(d, f"mx_{name}_T.npy"), t)
            add(f"mx_{name}_T.npy", "npy", "mlx", {"x": mx_to_spec(mx.array(t))})
        mx.savez(os.path.join(d, "mx_all.npz"), **{k: mx_from_spec(v) for k, v in specs.items()})
        add("mx_all.npz", "npz", "mlx", specs)
        mx.savez_compressed(os.path.join(d, "mx_all_c.npz"), *[mx_from_spec(v) for v in specs.values()])
        add("mx_all_c.npz", "npz", "mlx", {f"arr_{i}": v for i, v in enumerate(specs.values())})
        st = {k: v for k, v in specs.items() if k != "float64"}
        meta = {"format": "mlx", "empty": "", "unicode": "\u00e9\u4e2d"}
        mx.save_safetensors(os.path.join(d, "mx_all.safetensors"), {k: mx_from_spec(v) for k, v in st.items()}, metadata=meta)
        add("mx_all.safetensors", "safetensors", "mlx", st, meta)
        gg = {k: v for k, v in specs.items() if k in ("float32", "float16", "int8", "int16", "int32")}
        gmeta_in = {
            "s": "text", "l": ["a", "bc", ""], "f": mx.array([1.5, -2.0]), "i": mx.array(7),
            "u64": mx.array(np.array([2**63 + 1], dtype=np.uint64)), "b": mx.array(True), "u8": mx.array([1, 255], dtype=mx.uint8),
        }
        mx.save_gguf(os.path.join(d, "mx_all.gguf"), {k: mx_from_spec(v) for k, v in gg.items()}, gmeta_in)
        gmeta = {k: (v if isinstance(v, (str, list)) else {"type": str(v.dtype).replace("mlx.core.", ""), "value": mx_to_spec(v)}) for k, v in gmeta_in.items()}
        add("mx_all.gguf", "gguf", "mlx", gg, gmeta)

    if "safetensors" in only:
        import ml_dtypes  # noqa: F401
        from safetensors.numpy import save_file

        arrays = {name: pattern(name, [4, 3], 500 + i) for i, name in enumerate(ALL) if name != "float64"}
        meta = {"producer": "safetensors.numpy", "n": "3"}
        save_file(arrays, os.path.join(d, "st_all.safetensors"), metadata=meta)
        add("st_all.safetensors", "safetensors", "safetensors", {k: encode_np(v) for k, v in arrays.items()}, meta)

    if "gguf" in only:
        import ml_dtypes
        from gguf import GGUFWriter, GGMLQuantizationType, GGUFValueType as T

        w = GGUFWriter(os.path.join(d, "gg_all.gguf"), "test")
        arrays = {}
        for i, name in enumerate(["float32", "float16", "int8", "int16", "int32"]):
            a = pattern(name, [3, 5], 600 + i)
            w.add_tensor(name, a)
            arrays[name] = encode_np(a)
        # BF16 tensors load as float16, as MLX loads them (finite values: NaN payloads differ)
        vals = np.array([1.0, -2.5, 3.140625, 1e-3, 60000.0, -0.0], dtype=np.float32)
        bf = vals.astype(ml_dtypes.bfloat16)
        w.add_tensor("bf16", bf.view(np.uint16), raw_shape=[6], raw_dtype=GGMLQuantizationType.BF16)
        arrays["bf16"] = encode_np(bf.astype(np.float32).astype(np.float16))
        meta = {}
        for t, name, v in [(T.UINT8, "uint8", 200), (T.INT8, "int8", -5), (T.UINT16, "uint16", 60000), (T.INT16, "int16", -300),
                           (T.UINT32, "uint32", 4000000000), (T.INT32, "int32", -7), (T.UINT64, "uint64", 2**64 - 2),
                           (T.INT64, "int64", -(2**62)), (T.FLOAT32, "float32", 0.25), (T.BOOL, "bool", True)]:
            w.add_key_value(f"k.{name}", v, t)
            meta[f"k.{name}"] = {"type": name, "value": encode_np(np.array(v, dtype=np.dtype(name)))}
        w.add_key_value("k.float64", 0.1, T.FLOAT64)  # loads as float32, as in MLX
        meta["k.float64"] = {"type": "float32", "value": encode_np(np.array(0.1, dtype=np.float32))}
        w.add_key_value("k.str", "h\u00e9llo", T.STRING)
        meta["k.str"] = "h\u00e9llo"
        w.add_key_value("k.strs", ["x", "yz"], T.ARRAY, T.STRING)
        meta["k.strs"] = ["x", "yz"]
        w.add_key_value("k.ints", [1, -2, 3], T.ARRAY, T.INT32)
        meta["k.ints"] = {"type": "int32", "value": encode_np(np.array([1, -2, 3], dtype=np.int32))}
        w.add_key_value("k.f64s", [0.5, 0.1], T.ARRAY, T.FLOAT64)
        meta["k.f64s"] = {"type": "float32", "value": encode_np(np.array([0.5, 0.1], dtype=np.float32))}
        w.write_header_to_file()
        w.write_kv_data_to_file()
        w.write_tensors_to_file()
        w.close()
        meta["general.architecture"] = "test"
        add("gg_all.gguf", "gguf", "gguf", arrays, meta)

    if "gguf-quant" in only:
        # Q4_0 / Q4_1 / Q8_0 tensors: expected is what MLX's mx.load makes of them
        import mlx.core as mx
        from gguf import GGUFWriter, GGMLQuantizationType as Q, quants

        path = os.path.join(d, "gg_quant.gguf")
        w = GGUFWriter(path, "test")
        x = np.random.default_rng(7).standard_normal((3, 64)).astype(np.float32) * 4
        for name, t in [("a.weight", Q.Q4_0), ("b.weight", Q.Q4_1), ("c.weight", Q.Q8_0)]:
            w.add_tensor(name, quants.quantize(x, t), raw_dtype=t)
        w.write_header_to_file()
        w.write_kv_data_to_file()
        w.write_tensors_to_file()
        w.close()
        arrays = {k: mx_to_spec(v) for k, v in mx.load(path).items()}
        add("gg_quant.gguf", "gguf", "gguf-quant", arrays, None)

    json.dump({"cases": cases}, open(os.path.join(d, "expected.json"), "w"))
    return {"written": len(cases)}


# ---- verdicts: does the format's reference reader load a (hand-made) file? ----

def reference_load(path, fmt):
    if fmt == "npz":
        import numpy as np

        with np.load(path) as z:
            for k in z.files:
                z[k]  # reads the entry to its end: zipfile checks the CRC-32 there
    elif fmt == "safetensors":
        from safetensors.numpy import load_file

        load_file(path)
    elif fmt == "gguf":
        from gguf import GGUFReader

        for t in GGUFReader(path).tensors:
            bytes(t.data)
    else:
        raise ValueError(f"no reference reader for {fmt}")


def verdicts(d):
    out = {}
    for f in json.load(open(os.path.join(d, "verdicts.json")))["files"]:
        try:
            reference_load(os.path.join(d, f["file"]), f["format"])
            out[f["id"]] = None
        except Exception as e:
            out[f["id"]] = f"{type(e).__name__}: {e}"
    return {"verdicts": out}


def main():
    cmd = sys.argv[1]
    if cmd == "probe":
        out = probe()
    elif cmd == "check":
        out = check(sys.argv[2])
    elif cmd == "write":
        only = set(sys.argv[4].split(",")) if len(sys.argv) > 4 and sys.argv[3] == "--only" else {"numpy", "mlx", "safetensors", "gguf", "gguf-quant"}
        out = write(sys.argv[2], only)
    elif cmd == "verdicts":
        out = verdicts(sys.argv[2])
    else:
        raise SystemExit(f"unknown command {cmd}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
