// Runs a WASI program that traps and prints its stack's wasm frames (tests/compat.rs).
'use strict';
const { WASI } = require('node:wasi');
const fs = require('fs');
const wasi = new WASI({ version: 'preview1', args: [process.argv[2]] });
const wasm = new WebAssembly.Module(fs.readFileSync(process.argv[2]));
const instance = new WebAssembly.Instance(wasm, { wasi_snapshot_preview1: wasi.wasiImport });
try {
  wasi.start(instance);
} catch (e) {
  console.log(e.constructor.name);
  for (const line of e.stack.split('\n').slice(1)) {
    if (!line.includes('stack-run.js') && !line.includes('node:')) console.log(line.trim());
  }
}
