// ES modules: static and dynamic import, live bindings, JSON modules, CommonJS interop,
// import.meta, top-level await, builtins.
import assert from 'jsrt:assert';
import { strictEqual } from 'node:assert';
import * as path from 'path';
import mul, { add, counter, bump, meta } from './fixtures/esm/math.mjs';
import lib, { greet } from './fixtures/esm/cjs-lib.cjs';
import config from './fixtures/esm/config.json' with { type: 'json' };
import { value } from './fixtures/esm/tla.mjs';
import { readFileSync } from 'jsrt:fs';

strictEqual(add(2, 3), 5);
assert.strictEqual(mul(2, 3), 6);
assert.strictEqual(counter, 0);
bump();
assert.strictEqual(counter, 1); // live binding
assert.strictEqual(lib.version, 3);
assert.strictEqual(greet('x'), 'hi x');
assert.deepStrictEqual(config, { kind: 'json-module' });
assert.strictEqual(value, 'after-await');
assert.strictEqual(typeof readFileSync, 'function');

const here = new URL(import.meta.url).pathname;
assert.ok(import.meta.url.startsWith('file:///'));
assert.ok(here.endsWith('/modules_esm.mjs'));
assert.strictEqual(import.meta.filename, here);
assert.strictEqual(import.meta.dirname, path.dirname(here));
assert.strictEqual(import.meta.main, true);
assert.strictEqual(meta.main, false);
assert.ok(meta.url.endsWith('/fixtures/esm/math.mjs'));
assert.ok(import.meta.resolve('./fixtures/esm/math.mjs').endsWith('/fixtures/esm/math.mjs'));

const dyn = await import('./fixtures/esm/math.mjs');
assert.strictEqual(dyn.add, add);
const dynCjs = await import('./fixtures/cjs/lib/index.js');
assert.strictEqual(dynCjs.default.name, 'lib');
await assert.rejects(import('./fixtures/esm/missing.mjs'), (e) => e.message.includes("'./fixtures/esm/missing.mjs'") && e.message.includes('modules_esm.mjs'));
await assert.rejects(import('jsrt:nope'), /No such built-in module/);
assert.strictEqual(typeof require, 'undefined');
console.log('esm ok');
