// Runs a WASI preview-1 program through Node's `node:wasi` API, so the same command works
// under jsrt and under Node: `jsrt|node wasi-run.mjs program.wasm args...`.
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const [file, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: process.env, preopens: { '.': process.cwd() }, returnOnExit: true });
const { instance } = await WebAssembly.instantiate(readFileSync(file), wasi.getImportObject());
process.exitCode = wasi.start(instance);
