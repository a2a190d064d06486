// CommonJS entry: the ES module itself, through require(esm) (Node >= 20.19 / 22.12, Bun, Deno).
try {
  module.exports = require('../dist/index.js');
} catch (e) {
  if (e && (e.code === 'ERR_REQUIRE_ESM' || e.code === 'ERR_REQUIRE_ASYNC_MODULE')) {
    throw new Error("@mlx-ts/metal-backend is ESM only on this runtime (require() of ES modules needs Node >= 20.19 or >= 22.12): use import('@mlx-ts/metal-backend')");
  }
  throw e;
}
