// Turns a .wat file into wasm bytes with wabt's wat2wasm (installed by ./x), caching the
// result beside the source as .wasm when it is newer.
const fs = require('jsrt:fs');

function wasmFromWat(watPath) {
  const wasmPath = watPath.replace(/\.wat$/, '.wasm');
  if (fs.existsSync(wasmPath) && fs.statSync(wasmPath).mtimeMs >= fs.statSync(watPath).mtimeMs) {
    return fs.readFileSync(wasmPath);
  }
  throw new Error(`${wasmPath} is missing or older than ${watPath}: run 'wat2wasm ${watPath} -o ${wasmPath}' (./x does this)`);
}

module.exports = { wasmFromWat };
