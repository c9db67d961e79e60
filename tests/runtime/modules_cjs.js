// CommonJS require: resolution, caching, cycles, JSON, builtins, errors.
const assert = require('jsrt:assert');
const path = require('path');

const a = require('./fixtures/cjs/a');
assert.strictEqual(a.loaded, true);
assert.strictEqual(a.fromB, 'b');
assert.strictEqual(a.bSawA, false); // b saw a's partial exports during the cycle

const lib = require('./fixtures/cjs/lib');
assert.strictEqual(lib.name, 'lib');
assert.strictEqual(lib.file, path.join(__dirname, 'fixtures/cjs/lib/index.js'));
assert.strictEqual(lib.dir, path.join(__dirname, 'fixtures/cjs/lib'));
assert.strictEqual(lib.isMain, false);
assert.strictEqual(require.main, module);

assert.deepStrictEqual(require('./fixtures/cjs/data.json'), { answer: 42, list: [1, 2] });
assert.strictEqual(require('./fixtures/cjs/data'), require('./fixtures/cjs/data.json'));

// The cache returns the same instance.
require('./fixtures/cjs/counter').next();
assert.strictEqual(require('./fixtures/cjs/counter.js').next(), 2);
assert.ok(require.cache[require.resolve('./fixtures/cjs/counter')]);

// Builtins under jsrt:, node: and bare names are the same objects.
assert.strictEqual(require('jsrt:path'), require('node:path'));
assert.strictEqual(require('path'), require('jsrt:path'));
assert.strictEqual(require('jsrt:assert').strict, require('assert/strict'));
assert.strictEqual(require('fs').promises, require('fs/promises'));

// Missing modules name the specifier and the requiring file.
assert.throws(() => require('./nope'), (e) => e.code === 'MODULE_NOT_FOUND' && e.message.includes("'./nope'") && e.message.includes(__filename));
assert.throws(() => require('jsrt:nope'), /No such built-in module: jsrt:nope/);
// A module that throws is not cached.
assert.throws(() => require('./fixtures/cjs/throws'), /module init failed/);
assert.throws(() => require('./fixtures/cjs/throws'), /module init failed/);
assert.strictEqual(typeof module.exports, 'object');
assert.strictEqual(exports, module.exports);
assert.strictEqual(this, module.exports);
console.log('cjs ok');
