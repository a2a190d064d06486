"""JAX side of tests/interop/jax.test.ts: the same cases computed by jax (CPU, float32).

  python3 jax_check.py probe      -> one JSON line: versions of jax, jaxlib, numpy, ml_dtypes (null if missing)
  python3 jax_check.py run DIR    -> reads DIR/manifest.json {"cases": [{"id", "inputs": {name: file}}]},
                                     runs CASES[id] on the inputs (np.load; bfloat16 .npy through ml_dtypes),
                                     writes each output array to DIR/jax_<id>_<name>.npy and prints one JSON line
                                     {"results": [{"id", "ok", "outputs": {name: file}, "meta": {...}, "error"}]}.

mlx-ts writes the inputs with mx.save and reads the outputs with mx.load; the comparison happens in
TypeScript. Float bit patterns travel as uint16/uint32 arrays so that NaN payloads survive.
"""
import json
import os
import sys
import traceback


def probe():
    out = {}
    for name in ["jax", "jaxlib", "numpy", "ml_dtypes"]:
        try:
            mod = __import__(name)
            out[name] = getattr(mod, "__version__", "?")
        except Exception:  # noqa: BLE001 - any import failure means "not usable"
            out[name] = None
    return out


def cases():
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import jax
    import jax.numpy as jnp
    import ml_dtypes
    import numpy as np

    jax.config.update("jax_enable_x64", False)

    def bits16(a):
        return np.asarray(a).view(np.uint16)

    def bits32(a):
        return np.asarray(a, dtype=np.float32).view(np.uint32)

    # ---- (a) conversions ----
    def convert(i):
        x = jnp.asarray(i["bits"].view(np.float32))
        return {"bf16": bits16(x.astype(jnp.bfloat16)), "f16": bits16(x.astype(jnp.float16))}, {}

    def widen(i):
        h = i["h"]
        bf = jnp.asarray(h.view(ml_dtypes.bfloat16))
        f16 = jnp.asarray(h.view(np.float16))
        return {"bf16": bits32(bf.astype(jnp.float32)), "f16": bits32(f16.astype(jnp.float32))}, {}

    # ---- (c) our bfloat16 .npy files read by numpy + ml_dtypes into jax ----
    def bf16_npy(i, d):
        out, meta = {}, {}
        for name in ["plain", "transposed", "scalar"]:
            a = np.load(os.path.join(d, i[name + "_file"]))
            meta[name + "_numpy_dtype"] = str(a.dtype)  # NumPy alone reads bfloat16 as '|V2'
            b = a.view(ml_dtypes.bfloat16)
            j = jnp.asarray(b)
            meta[name + "_jax_dtype"] = str(j.dtype)
            meta[name + "_shape"] = list(j.shape)
            out[name] = bits16(j)
        j = jnp.asarray(np.load(os.path.join(d, i["plain_file"])).view(ml_dtypes.bfloat16))
        out["widened"] = bits32(j.astype(jnp.float32))
        # and the other way: a bfloat16 array jax computed, saved by numpy, read by mlx-ts
        y = (j.astype(jnp.float32) * 2).astype(jnp.bfloat16)
        np.save(os.path.join(d, "jax_written_bf16.npy"), np.asarray(y))
        out["doubled"] = bits16(y)
        return out, meta

    # ---- (b) transforms, float32 ----
    def mlp_loss(W1, b1, W2, x, y):
        return jnp.mean(jnp.square(jnp.tanh(x @ W1 + b1) @ W2 - y))

    def mlp_grad(i):
        v, (g1, g2, g3) = jax.value_and_grad(lambda W1, b1, W2: mlp_loss(W1, b1, W2, i["x"], i["y"]), argnums=(0, 1, 2))(
            i["W1"], i["b1"], i["W2"])
        return {"value": v, "W1": g1, "b1": g2, "W2": g3}, {}

    def mlp_jvp(i):
        p, t = jax.jvp(lambda W1, b1, W2: mlp_loss(W1, b1, W2, i["x"], i["y"]), (i["W1"], i["b1"], i["W2"]),
                       (i["tW1"], i["tb1"], i["tW2"]))
        return {"primal": p, "tangent": t}, {}

    def xent_grad(i):
        lab = i["labels"]

        def f(logits):
            picked = jnp.take_along_axis(logits, lab.reshape(-1, 1), axis=-1).reshape(-1)
            return jnp.mean(jax.nn.logsumexp(logits, axis=-1) - picked)

        def g(logits):
            return -jnp.mean(jnp.sum(i["onehot"] * jnp.log(jax.nn.softmax(logits, axis=-1)), axis=-1))

        return {"logsumexp": jax.grad(f)(i["logits"]), "softmax": jax.grad(g)(i["logits"]), "value": f(i["logits"])}, {}

    def softmax_jvp(i):
        p, t = jax.jvp(lambda x: jax.nn.softmax(x, axis=-1), (i["x"],), (i["t"],))
        p2, t2 = jax.jvp(lambda x: jax.nn.logsumexp(x, axis=0), (i["x"],), (i["t"],))
        return {"primal": p, "tangent": t, "lse": p2, "lse_tangent": t2}, {}

    def matmul_chain_vjp(i):
        out, fn = jax.vjp(lambda A, B, C: (A @ B) @ C, i["A"], i["B"], i["C"])
        gA, gB, gC = fn(i["ct"])
        return {"out": out, "A": gA, "B": gB, "C": gC}, {}

    def matmul_bcast_grad(i):
        f = lambda a, b, c: jnp.sum(jnp.sin(jnp.matmul(a, b) + c))  # noqa: E731
        ga, gb, gc = jax.grad(f, argnums=(0, 1, 2))(i["a"], i["b"], i["c"])
        return {"a": ga, "b": gb, "c": gc}, {}

    def gather_grad(i):
        f = lambda x: jnp.sum(jnp.square(jnp.take(x, i["idx"], axis=0)) * i["w"])  # noqa: E731
        p, t = jax.jvp(lambda x: x[i["rows"], i["cols"]] * 2, (i["x"],), (i["t"],))
        return {"grad": jax.grad(f)(i["x"]), "gather2d": p, "gather2d_tangent": t}, {}

    def scatter_add_vjp(i):
        out, fn = jax.vjp(lambda x, v: jnp.sin(x.at[i["idx"]].add(v * v)), i["x"], i["v"])
        gx, gv = fn(i["ct"])
        return {"out": out, "x": gx, "v": gv}, {}

    def cumsum_vjp(i):
        out, fn = jax.vjp(lambda x: jnp.cumsum(jnp.tanh(x), axis=1), i["x"])
        (g,) = fn(i["ct"])
        rout, rfn = jax.vjp(lambda x: jax.lax.cumsum(x * x, axis=0, reverse=True), i["x"])
        (rg,) = rfn(i["ct"])
        _, t = jax.jvp(lambda x: jnp.cumsum(x * x, axis=0), (i["x"],), (i["ct"],))
        return {"out": out, "grad": g, "reverse_out": rout, "reverse_grad": rg, "jvp": t}, {}

    def sort_vjp(i):
        out, fn = jax.vjp(lambda x: jnp.sort(x, axis=-1) * i["w"], i["x"])
        (g,) = fn(i["ct"])
        _, t = jax.jvp(lambda x: jnp.sort(x, axis=0), (i["x"],), (i["ct"],))
        return {"out": out, "grad": g, "jvp": t}, {}

    def vmap_per_example(i):
        loss1 = lambda W, x, y: jnp.sum(jnp.square(jnp.tanh(x @ W) - y))  # noqa: E731
        return {"grads": jax.vmap(jax.grad(loss1), in_axes=(None, 0, 0))(i["W"], i["X"], i["Y"])}, {}

    def vmap_axes(i):
        f = lambda a, B: jnp.tanh(a @ B)  # noqa: E731
        g = lambda x, y: jax.nn.logsumexp(x * y)  # noqa: E731
        return {"out": jax.vmap(f, in_axes=(1, None), out_axes=1)(i["A"], i["B"]),
                "nested": jax.vmap(jax.vmap(g, in_axes=(0, None)), in_axes=(None, 0))(i["P"], i["Q"])}, {}

    def hvp(i):
        f = lambda x: jnp.sum(jax.nn.logsumexp(jnp.tanh(x @ i["M"]), axis=-1))  # noqa: E731
        _, t = jax.jvp(jax.grad(f), (i["x"],), (i["v"],))
        return {"hvp": t, "grad2": jax.grad(lambda x: jnp.sum(jax.grad(f)(x) * i["v"]))(i["x"])}, {}

    return {
        "convert": convert, "widen": widen, "bf16_npy": bf16_npy,
        "mlp_grad": mlp_grad, "mlp_jvp": mlp_jvp, "xent_grad": xent_grad, "softmax_jvp": softmax_jvp,
        "matmul_chain_vjp": matmul_chain_vjp, "matmul_bcast_grad": matmul_bcast_grad,
        "gather_grad": gather_grad, "scatter_add_vjp": scatter_add_vjp, "cumsum_vjp": cumsum_vjp,
        "sort_vjp": sort_vjp, "vmap_per_example": vmap_per_example, "vmap_axes": vmap_axes, "hvp": hvp,
    }


def run(d):
    import numpy as np

    table = cases()
    manifest = json.load(open(os.path.join(d, "manifest.json")))
    results = []
    for case in manifest["cases"]:
        cid = case["id"]
        try:
            inputs = {}
            for name, file in case["inputs"].items():
                inputs[name] = np.load(os.path.join(d, file))
                inputs[name + "_file"] = file
            fn = table[cid]
            arrays, meta = fn(inputs, d) if cid == "bf16_npy" else fn(inputs)
            outputs = {}
            for name, a in arrays.items():
                a = np.asarray(a)
                file = f"jax_{cid}_{name}.npy"
                np.save(os.path.join(d, file), a)
                outputs[name] = file
            results.append({"id": cid, "ok": True, "outputs": outputs, "meta": meta})
        except Exception as e:  # noqa: BLE001 - reported to the TS side as a failed case
            results.append({"id": cid, "ok": False, "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()[-3000:]})
    return {"results": results}


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "probe"
    if cmd == "probe":
        print(json.dumps(probe()))
    elif cmd == "run":
        print(json.dumps(run(sys.argv[2])))
    else:
        sys.exit(f"unknown command {cmd}")
