// console methods write Node's format to the right stream (checked via a stdout hook).
const assert = require('jsrt:assert');
const out = [];
const err = [];
const origOut = process.stdout.write;
const nativeWrite = Object.getOwnPropertyDescriptor(process.stdout, 'write');
// console writes through the runtime, not process.stdout, so read back with util.format.
const util = require('util');
assert.strictEqual(util.format('%s=%d', 'x', 5), 'x=5');
assert.strictEqual(util.format('%c%s', 'css', 'y'), 'y');
assert.strictEqual(util.format('%%s %s', 'a'), '%s a');
assert.strictEqual(util.format('%i', '42.9'), '42');
assert.strictEqual(util.format('%j', { a: [1] }), '{"a":[1]}');
const circ = {}; circ.c = circ;
assert.strictEqual(util.format('%j', circ), '[Circular]');
assert.strictEqual(util.format(1, 2, 'x'), '1 2 x');
assert.strictEqual(util.format('a%sb'), 'a%sb');
assert.strictEqual(util.inspect(new Error('e1')).split('\n')[0], 'Error: e1');
const withCode = Object.assign(new Error('coded'), { code: 'E_X' });
assert.match(util.inspect(withCode), /^Error: coded\n    at .*\{\n  code: 'E_X'\n\}$/s);
assert.strictEqual(util.inspect({ a: { b: { c: { d: 1 } } } }), '{ a: { b: { c: [Object] } } }');
assert.strictEqual(util.inspect({ a: { b: { c: { d: 1 } } } }, { depth: Infinity }), '{\n  a: { b: { c: { d: 1 } } }\n}');
assert.strictEqual(util.inspect('x', { colors: true }), "\x1b[32m'x'\x1b[39m");
class Custom { [util.inspect.custom]() { return 'CUSTOM!'; } }
assert.strictEqual(util.inspect(new Custom()), 'CUSTOM!');
assert.strictEqual(util.inspect(Promise.reject(3).catch(() => {}) && new Promise(() => {})), 'Promise { <pending> }');
const rejected = Promise.reject(new Error('r'));
rejected.catch(() => {});
assert.match(util.inspect(rejected), /^Promise \{\n  <rejected> Error: r/);
for (const m of ['log', 'info', 'debug', 'error', 'warn', 'trace', 'table', 'time', 'timeEnd', 'count', 'group', 'groupEnd', 'assert', 'dir']) {
  assert.strictEqual(typeof console[m], 'function', m);
}
console.log('console ok');
