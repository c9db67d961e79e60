// jsrt:wasm — jsrt's own WebAssembly extras (not in Node; only `jsrt:wasm` reaches it).
//   withLimits({ timeout }, fn): runs fn(); each call into wasm it makes (directly or through
//   any JS in between) that is not nested in another runs under a wall-clock limit of
//   `timeout` ms (Infinity: none, even under --wasm-timeout). A call that runs past it ends
//   with a WebAssembly.RuntimeError; the instance stays usable, as after any trap.
//   `maxInstructions` likewise gives each such call that many wasm instructions (only under
//   --wasm-max-instructions, which makes modules count them).
//   tierOf(module, { wait }): 'compiled' or 'interpreted', the tier new instances of the
//   WebAssembly.Module run in (--wasm-tier); `wait: true` first waits for the module's
//   background compilation, if one runs (the auto tier).
'use strict';

function withLimits(options, fn) {
  if (options === null || typeof options !== 'object') throw internal.invalidArgType('options', 'object', options);
  if (typeof fn !== 'function') throw internal.invalidArgType('fn', 'function', fn);
  const { timeout } = options;
  let ms = -1;
  if (timeout !== undefined) {
    if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout <= 0) {
      const err = new RangeError(`The "options.timeout" property must be a positive number of milliseconds. Received ${String(timeout)}`);
      err.code = 'ERR_OUT_OF_RANGE';
      throw err;
    }
    ms = timeout === Infinity ? 0 : Math.max(1, Math.min(timeout, 86400000));
  }
  const { maxInstructions } = options;
  if (maxInstructions !== undefined) {
    if (typeof maxInstructions !== 'number' || !Number.isInteger(maxInstructions) || maxInstructions < 1) {
      const err = new RangeError(`The "options.maxInstructions" property must be a positive integer. Received ${String(maxInstructions)}`);
      err.code = 'ERR_OUT_OF_RANGE';
      throw err;
    }
    return native.wasm.runLimited(ms, () => native.wasm.runBudgeted(maxInstructions, fn));
  }
  return native.wasm.runLimited(ms, fn);
}

function tierOf(module, options) {
  const handle = require('internal/wasm/module').handleOf(module, 'tierOf()');
  const wait = options !== undefined && options !== null && options.wait === true;
  return native.wasm.moduleTier(handle, wait);
}

module.exports = { withLimits, tierOf };
