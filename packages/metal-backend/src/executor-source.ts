// The GPU executor: plain JavaScript that owns the WebGPU device in a worker thread. It only
// replays command batches (buffers, shader modules, dispatches, reads); every decision (WGSL,
// layouts, batching) is the main thread's. Reads land in SharedArrayBuffers and wake the
// main thread through Atomics.notify, so item()/tolist() can block on them (WebGPU's own
// reads are async: mapAsync); a caller that can't block (a browser's main thread) gets them
// as messages instead.
//
// Kept as source text so that it runs without a file on disk or a bundler step: as a worker_threads
// \`eval\` worker (Node and Bun: Dawn from the webgpu package; Deno: its navigator.gpu) or as a module Web Worker from a Blob URL
// (Deno, browsers: navigator.gpu). Control block (Int32Array over a SharedArrayBuffer): [0]
// state (0 pending, 1 done, 2 failed), [1] message byte length; the message (UTF-8) goes in the
// data buffer.
const nodePrelude = String.raw`
'use strict';
const { parentPort } = require('node:worker_threads');
const post = (m) => parentPort.postMessage(m);
async function getGpu(cfg) {
  // Deno runs this thread too, with its own WebGPU
  if (!cfg.webgpuUrl) {
    if (!globalThis.navigator || !navigator.gpu) throw new Error('navigator.gpu is missing: this runtime has no WebGPU');
    return navigator.gpu;
  }
  const mod = await import(cfg.webgpuUrl);
  Object.assign(globalThis, mod.globals);
  return mod.create(cfg.flags || []);
}
parentPort.on('message', (m) => onMessage(m));
`;

const webPrelude = String.raw`
const post = (m) => self.postMessage(m);
async function getGpu() {
  if (!self.navigator || !self.navigator.gpu) throw new Error('navigator.gpu is missing in this worker: this browser or runtime has no WebGPU (or it is disabled)');
  return self.navigator.gpu;
}
self.onmessage = (e) => onMessage(e.data);
`;

/** The executor for a Node/Bun worker_threads eval worker, or for a module Web Worker. */
export function executorSource(kind: 'node' | 'web'): string {
  return (kind === 'node' ? nodePrelude : webPrelude) + executorBody;
}

const executorBody = String.raw`
let gpu = null; // what create() returned: kept for the life of the thread or Dawn crashes
let device = null;
const buffers = new Map();
const windows = new Map();
const modules = new Map(); // shader id -> { pipeline, layout }
const layouts = new Map(); // number of buffers -> { bgl, pl }
let encoder = null;
let pass = null;
let pendingError = null; // the first error since the last read, reported by the next one
let lost = null;
const enc = new TextEncoder();

function fail(ctrl, data, msg) {
  if (!ctrl) return post({ init: true, error: String(msg) });
  const bytes = enc.encode(String(msg));
  const n = Math.min(bytes.length, data.length);
  data.set(bytes.subarray(0, n));
  Atomics.store(ctrl, 1, n);
  Atomics.store(ctrl, 0, 2);
  Atomics.notify(ctrl, 0);
}
function done(ctrl, n) {
  Atomics.store(ctrl, 1, n);
  Atomics.store(ctrl, 0, 1);
  Atomics.notify(ctrl, 0);
}

async function init(cfg, ctrl, data) {
  try {
    gpu = await getGpu(cfg);
    const adapter = await gpu.requestAdapter(cfg.adapterOptions || undefined);
    if (!adapter) return fail(ctrl, data, 'no WebGPU adapter was found (requestAdapter returned null)');
    const features = [];
    for (const f of ['shader-f16', 'subgroups']) if (adapter.features.has(f)) features.push(f);
    const L = adapter.limits;
    device = await adapter.requestDevice({
      requiredFeatures: features,
      requiredLimits: {
        maxStorageBuffersPerShaderStage: L.maxStorageBuffersPerShaderStage,
        maxStorageBufferBindingSize: L.maxStorageBufferBindingSize,
        maxBufferSize: L.maxBufferSize,
        maxComputeWorkgroupStorageSize: L.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: L.maxComputeInvocationsPerWorkgroup,
        maxComputeWorkgroupSizeX: L.maxComputeWorkgroupSizeX,
        maxComputeWorkgroupSizeY: L.maxComputeWorkgroupSizeY,
        maxComputeWorkgroupSizeZ: L.maxComputeWorkgroupSizeZ,
      },
    });
    device.lost.then((info) => {
      lost = pendingError = 'the GPU device was lost (' + (info.reason || 'unknown') + (info.message ? ': ' + info.message : '') + '); registerWebGPU() again starts a new device (the arrays on this one are gone)';
      post({ lost });
    });
    const info = adapter.info || {};
    const desc = JSON.stringify({
      vendor: info.vendor || '', architecture: info.architecture || '', device: info.device || '', description: info.description || '',
      features, maxStorageBuffersPerShaderStage: L.maxStorageBuffersPerShaderStage,
      maxBufferSize: L.maxBufferSize, maxStorageBufferBindingSize: L.maxStorageBufferBindingSize,
      maxComputeInvocationsPerWorkgroup: L.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSize: [L.maxComputeWorkgroupSizeX, L.maxComputeWorkgroupSizeY, L.maxComputeWorkgroupSizeZ],
      maxComputeWorkgroupsPerDimension: L.maxComputeWorkgroupsPerDimension,
      subgroupMinSize: info.subgroupMinSize || 0, subgroupMaxSize: info.subgroupMaxSize || 0,
    });
    if (!ctrl) return post({ init: true, text: desc });
    const bytes = enc.encode(desc);
    data.set(bytes.subarray(0, data.length));
    done(ctrl, Math.min(bytes.length, data.length));
  } catch (e) {
    fail(ctrl, data, e && e.stack ? e.stack : e);
  }
}

function endPass() {
  if (pass) { pass.end(); pass = null; }
}
function submit() {
  endPass();
  if (encoder) { device.queue.submit([encoder.finish()]); encoder = null; }
}
function layoutFor(n) {
  let l = layouts.get(n);
  if (!l) {
    const entries = [{ binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } }];
    for (let i = 0; i < n; i++) entries.push({ binding: i + 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } });
    const bgl = device.createBindGroupLayout({ entries });
    l = { bgl, pl: device.createPipelineLayout({ bindGroupLayouts: [bgl] }) };
    layouts.set(n, l);
  }
  return l;
}

async function run(cmds) {
  if (lost) {
    // nothing runs on a lost device; its reads answer at once with why
    for (const c of cmds) {
      if (c[0] !== 'r') continue;
      if (c[4]) fail(new Int32Array(c[4]), new Uint8Array(c[5]), lost);
      else post({ token: c[6], error: lost });
    }
    return;
  }
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const temps = [];
  // The readers are answered after the batch's last call into Dawn: an answered reader may end
  // the process at once (process.exit after a read), and a Dawn call made while this thread is
  // being torn down aborts the whole process (napi_throw: FATAL ERROR, exit code 134).
  const answers = [];
  let k = 0;
  try {
    for (; k < cmds.length; k++) {
      const c = cmds[k];
      switch (c[0]) {
        case 'c':
          buffers.set(c[1], device.createBuffer({ size: c[2], usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST }));
          break;
        case 'v':
          // a window [offset, offset + size) of a buffer, bound under its own id
          windows.set(c[1], [c[2], c[3], c[4]]);
          break;
        case 'x':
          windows.delete(c[1]);
          break;
        case 'd': {
          const b = buffers.get(c[1]);
          buffers.delete(c[1]);
          if (b) { submit(); b.destroy(); }
          break;
        }
        case 'w':
          submit(); // earlier dispatches may read what this write replaces
          device.queue.writeBuffer(buffers.get(c[1]), c[2], c[3]);
          break;
        case 's': {
          const { bgl, pl } = layoutFor(c[2]);
          const module = device.createShaderModule({ code: c[3] });
          modules.set(c[1], { pipeline: device.createComputePipeline({ layout: pl, compute: { module, entryPoint: 'main' } }), bgl });
          break;
        }
        case 'k': {
          const m = modules.get(c[1]);
          const metaBytes = c[3];
          const meta = device.createBuffer({ size: Math.max(16, metaBytes.byteLength), usage: GPUBufferUsage.STORAGE, mappedAtCreation: true });
          new Uint8Array(meta.getMappedRange()).set(new Uint8Array(metaBytes.buffer, metaBytes.byteOffset, metaBytes.byteLength));
          meta.unmap();
          temps.push(meta);
          const entries = [{ binding: 0, resource: { buffer: meta } }];
          c[2].forEach((id, i) => {
            const w = windows.get(id);
            entries.push({ binding: i + 1, resource: w ? { buffer: buffers.get(w[0]), offset: w[1], size: w[2] } : { buffer: buffers.get(id) } });
          });
          const bg = device.createBindGroup({ layout: m.bgl, entries });
          if (!encoder) encoder = device.createCommandEncoder();
          if (!pass) pass = encoder.beginComputePass();
          pass.setPipeline(m.pipeline);
          pass.setBindGroup(0, bg);
          pass.dispatchWorkgroups(c[4], c[5], c[6] || 1);
          break;
        }
        case 'r': {
          // [r, id, byteOffset, byteLength, ctrl, data, token]: into shared memory (blocking reader)
          // or back as a message (async reader, ctrl null)
          const [, id, off, len, ctrlBuf, dataBuf, token] = c;
          const ctrl = ctrlBuf ? new Int32Array(ctrlBuf) : null;
          const data = dataBuf ? new Uint8Array(dataBuf) : null;
          try {
            if (pendingError) {
              // reported once (a lost device stays lost: its handler sets it again)
              const msg = pendingError;
              pendingError = lost;
              throw new Error(msg);
            }
            endPass();
            if (!encoder) encoder = device.createCommandEncoder();
            const staging = device.createBuffer({ size: len, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
            encoder.copyBufferToBuffer(buffers.get(id), off, staging, 0, len);
            submit();
            const errV = await device.popErrorScope();
            const errM = await device.popErrorScope();
            device.pushErrorScope('out-of-memory');
            device.pushErrorScope('validation');
            const err = errV || errM;
            if (err) throw new Error(err.message);
            await staging.mapAsync(GPUMapMode.READ);
            const bytes = new Uint8Array(staging.getMappedRange());
            if (ctrl) {
              data.set(bytes);
              answers.push(() => done(ctrl, len));
            } else {
              const copy = bytes.slice();
              answers.push(() => post({ token, bytes: copy }));
            }
            staging.unmap();
            staging.destroy();
          } catch (e) {
            const msg = e && e.message ? e.message : String(e);
            if (ctrl) answers.push(() => fail(ctrl, data, msg));
            else answers.push(() => post({ token, error: msg }));
          }
          break;
        }
        default:
          throw new Error('unknown command ' + c[0]);
      }
    }
    submit();
  } catch (e) {
    pendingError = pendingError || (e && e.message ? e.message : String(e));
    // the reads after the failing command must still answer, or their callers wait forever
    const msg = pendingError;
    for (k++; k < cmds.length; k++) {
      const c = cmds[k];
      if (c[0] !== 'r') continue;
      if (c[4]) answers.push(() => fail(new Int32Array(c[4]), new Uint8Array(c[5]), msg));
      else answers.push(() => post({ token: c[6], error: msg }));
    }
  } finally {
    try {
      const errV = await device.popErrorScope();
      const errM = await device.popErrorScope();
      const err = errV || errM;
      if (err && !pendingError) pendingError = err.message;
      for (const t of temps) t.destroy();
    } finally {
      for (const answer of answers) answer();
    }
  }
}

let chain = Promise.resolve();
function onMessage(msg) {
  if (msg.init) {
    chain = chain.then(() => init(msg.cfg, msg.ctrl ? new Int32Array(msg.ctrl) : null, msg.data ? new Uint8Array(msg.data) : null));
    return;
  }
  if (msg.loseDevice) {
    // test hook: what a driver reset or an unplugged GPU does
    chain = chain.then(async () => { if (device) { device.destroy(); await device.lost; } });
    return;
  }
  // Batches run one after another: a read's await must not interleave the next batch's
  // error scopes.
  // 'done' lets the main thread hold the process open until Dawn has no callbacks pending:
  // ending the thread with one in flight aborts the process.
  chain = chain.then(() => run(msg.cmds)).then(() => post({ done: msg.seq }));
}
`;
