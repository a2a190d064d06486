"""NumPy runner for the mlx-ts benchmark harness (same line protocol and timing rules as
runners/child.mjs + lib/measure.mjs). NumPy is eager: the timed call is the expression itself."""
import gc
import json
import os
import platform
import sys
import time

import numpy as np


SETTLE_S = 0.02  # the JS runners' SETTLE_MS (lib/measure.mjs): the same wait after the GC


def settle():
    gc.collect()
    time.sleep(SETTLE_S)


def send(msg):
    sys.stdout.write('@@ ' + json.dumps(msg) + '\n')
    sys.stdout.flush()


def hash_data(n, seed, scale=1.0):
    # The same integer hash as hashData in lib/workloads.mjs (uint32 arithmetic wraps).
    i = np.arange(n, dtype=np.uint32)
    s = np.uint32((((seed + 1) * 0x9E3779B1) & 0xFFFFFFFF))
    with np.errstate(over='ignore'):
        h = (i * np.uint32(0x85EBCA6B)) ^ s
        h = (h ^ (h >> np.uint32(16))) * np.uint32(0x7FEB352D)
        h = (h ^ (h >> np.uint32(15))) * np.uint32(0x846CA68B)
        h = h ^ (h >> np.uint32(16))
    v = ((h >> np.uint32(8)).astype(np.float64) / 16777216.0 * 2 - 1) * scale
    return v.astype(np.float32)


def checksum(x):
    x = np.asarray(x, dtype=np.float64).ravel()
    return [float(x.sum()), float(np.abs(x).sum())]


WARM_MS = 300  # lib/measure.mjs WARM_MS
JIT_WARM_MAX_MS = 30  # lib/measure.mjs JIT_WARM_MAX_MS
WAKE_MS = 15  # lib/measure.mjs WAKE_MS: the threads' warm-up with a small matmul before a sample
_WA, _WB = hash_data(256 * 256, 5).reshape(256, 256), hash_data(256 * 256, 6).reshape(256, 256)


def warm_threads():
    t0 = time.perf_counter()
    while (time.perf_counter() - t0) * 1e3 < WAKE_MS:
        _WA @ _WB


def prepare(op, budget_ms, cap_ms, micro):
    """Warm-up and batch calibration (the same rules as prepare() in lib/measure.mjs)."""
    def run(n):
        t0 = time.perf_counter()
        if n == 1:
            out = op()
            t = (time.perf_counter() - t0) * 1e3
            del out
            return t
        for _ in range(n):
            op()
        return (time.perf_counter() - t0) * 1e3 / n
    settle()
    first = run(1)
    if first > cap_ms:
        return dict(status='over-budget', firstMs=first, note='first call took %.1f s (cap %d s)' % (first / 1e3, cap_ms / 1e3)), None
    warm = first
    if first * 3 < budget_ms:
        settle()
        warm = run(1)
    batch = 1
    if micro or warm < 0.1:
        t0 = time.perf_counter()
        while (time.perf_counter() - t0) * 1e3 < WARM_MS:
            run(16)
        while batch < (1 << 20):
            t0 = time.perf_counter()
            run(batch)
            if (time.perf_counter() - t0) * 1e3 >= 2:
                break
            batch *= 2
    elif warm <= JIT_WARM_MAX_MS:
        # as lib/measure.mjs: WARM_MS of untimed calls before the samples
        t0 = time.perf_counter()
        while (time.perf_counter() - t0) * 1e3 < WARM_MS:
            run(1)

    def sample():
        settle()
        if batch == 1:
            warm_threads()
            op()  # the untimed call before a sample, as lib/measure.mjs
        return run(batch)
    return dict(status='ready', firstMs=first, batch=batch), sample


def make(w):
    fam = w['family']
    if fam in ('add', 'fused'):
        a, b = hash_data(w['n'], 1), hash_data(w['n'], 2)
        fn = (lambda: a + b) if fam == 'add' else (lambda: np.exp(a) * b + np.float32(1))
        fn.held = [np.array([i], np.float32) for i in range(w.get('live', 0))]  # as runners/mlx.mjs: alive while fn is
        return fn, lambda: checksum(fn()), None
    if fam == 'sum':
        a = hash_data(w['n'], 1)
        return (lambda: a.sum()), lambda: [float(a.sum())], 'float32 pairwise summation'
    if fam == 'matmul':
        n = w['n']
        A, B = hash_data(n * n, 3).reshape(n, n), hash_data(n * n, 4).reshape(n, n)
        return (lambda: A @ B), lambda: checksum(A @ B), None
    if fam == 'fft':
        x = (hash_data(w['n'], 1) + 1j * hash_data(w['n'], 2)).astype(np.complex64)
        return (lambda: np.fft.fft(x)), lambda: checksum(np.fft.fft(x).view(np.float32)), 'np.fft.fft of complex64 (pocketfft, single precision)'
    if fam in ('sdpa', 'sdpa-ops'):
        shape = (1, w['m'], w['n'], w['k'])
        size = w['m'] * w['n'] * w['k']
        q, k, v = (hash_data(size, s).reshape(shape) for s in (11, 12, 13))
        scale = np.float32(1 / np.sqrt(w['k']))

        def attn():
            s = (q * scale) @ k.swapaxes(-1, -2)
            e = np.exp(s - s.max(-1, keepdims=True))
            return (e / e.sum(-1, keepdims=True)) @ v
        return attn, lambda: checksum(attn()), 'the attention written with NumPy ops (no fused kernel)'
    if fam == 'copy-in':
        src = hash_data(w['n'], 1)
        return (lambda: np.array(src, copy=True)), lambda: checksum(np.array(src, copy=True)), 'np.array(x, copy=True) (a memcpy)'
    if fam == 'copy-out':
        x = hash_data(w['n'], 1)
        return (lambda: x.tobytes()), lambda: checksum(np.frombuffer(x.tobytes(), np.float32)), 'x.tobytes()'
    if fam == 'view':
        x = hash_data(w['n'], 1)
        return (lambda: memoryview(x)), lambda: checksum(np.asarray(memoryview(x))), 'memoryview(x)'
    return None


NOTES = {
    'fused-compiled': 'NumPy has no jit',
    'grad': 'NumPy has no autodiff',
    'grad-compiled': 'NumPy has no autodiff',
    'conv2d': 'NumPy has no multi-channel convolution',
}


def blas_info():
    try:
        cfg = np.show_config(mode='dicts')
        blas = cfg.get('Build Dependencies', {}).get('blas', {})
        return '%s %s' % (blas.get('name', '?'), blas.get('version', ''))
    except Exception:
        return None


def main():
    threads = os.environ.get('OPENBLAS_NUM_THREADS') or os.environ.get('OMP_NUM_THREADS')
    send(dict(type='ready', info=dict(
        library='numpy', backend='cpu', version=np.__version__, python=platform.python_version(),
        blas=blas_info(), threads=int(threads) if threads else os.cpu_count(),
        threadNote=None if threads else 'BLAS default: one thread per core (matmul only; elementwise ops are single-threaded)')))
    sample = None
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        cmd = req.get('cmd')
        try:
            if cmd == 'finish':
                sample = None
                gc.collect()
                send(dict(note=None))
                continue
            if cmd == 'sample':
                send(dict(ms=sample()) if sample else dict(status='error', note='sample before prepare'))
                continue
            sample = None
            w = req['workload']
            m = make(w)
            if m is None:
                send(dict(status='n/a', note=NOTES.get(w['family'], 'no equivalent')))
                continue
            op, check, note = m
            c = check()
            r, sample = prepare(op, req['budgetMs'], req['capMs'], bool(w.get('micro')))
            r['check'] = c
            if note:
                r['note'] = '; '.join(x for x in (r.get('note'), note) if x)
            send(r)
        except Exception as e:  # noqa: BLE001
            sample = None
            send(dict(status='error', note=str(e)[:300]))


if __name__ == '__main__':
    main()
