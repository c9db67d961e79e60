// Memory and Table descriptors are read as WebIDL dictionaries: every member in lexicographic
// order (address, element, initial, maximum, minimum, shared), each converted as it is read,
// and only then range-checked; `address` is an enum ("i32" | "i64"), and "i64" needs memory64,
// which WAMR's fast interpreter lacks (a TypeError once the descriptor is read). Node 20 reads
// fewer members and range-checks `initial` before reading the rest.
const assert = require('jsrt:assert');

function reads(make, descriptor) {
  const log = [];
  const proxy = new Proxy(descriptor, { get(t, k) { log.push(String(k)); return t[k]; } });
  let outcome = 'ok';
  try { make(proxy); } catch (e) { outcome = e.constructor.name; }
  return [outcome, log.join(',')];
}
const memory = (d) => new WebAssembly.Memory(d);
const table = (d) => new WebAssembly.Table(d);

assert.deepStrictEqual(reads(memory, { initial: 1, maximum: 2 }), ['ok', 'address,initial,maximum,minimum,shared']);
// A range error comes after every member is read; a conversion error stops the reading.
assert.deepStrictEqual(reads(memory, { initial: 70000, maximum: 2 }), ['RangeError', 'address,initial,maximum,minimum,shared']);
assert.deepStrictEqual(reads(memory, { initial: -1, maximum: 2 }), ['TypeError', 'address,initial']);
assert.deepStrictEqual(reads(memory, { address: 'i32', initial: 1 }), ['ok', 'address,initial,maximum,minimum,shared']);
assert.deepStrictEqual(reads(memory, { address: 'i64', initial: 1 }), ['TypeError', 'address,initial,maximum,minimum,shared']);
assert.deepStrictEqual(reads(memory, { address: 'x', initial: 1 }), ['TypeError', 'address']);
assert.deepStrictEqual(reads(table, { element: 'anyfunc', initial: 1, maximum: 2 }), ['ok', 'address,element,initial,maximum,minimum']);
assert.deepStrictEqual(reads(table, { element: 'bogus', initial: 1 }), ['TypeError', 'address,element']);
assert.deepStrictEqual(reads(table, { address: 'i64', element: 'anyfunc', initial: 1 }), ['TypeError', 'address,element,initial,maximum,minimum']);
assert.deepStrictEqual(reads(table, { address: { toString: () => 'i32' }, element: 'externref', initial: 0 }), ['ok', 'address,element,initial,maximum,minimum']);
// `minimum` (type reflection) stands in for a missing `initial`.
assert.strictEqual(new WebAssembly.Memory({ minimum: 2 }).buffer.byteLength, 2 * 65536);
assert.strictEqual(new WebAssembly.Table({ element: 'anyfunc', minimum: 3 }).length, 3);
assert.throws(() => new WebAssembly.Memory({}), TypeError);
// The namespace (WebIDL): operations enumerable, interfaces not, all writable and configurable.
assert.deepStrictEqual(Object.keys(WebAssembly), ['compile', 'validate', 'instantiate', 'compileStreaming', 'instantiateStreaming']);
for (const name of ['Module', 'Instance', 'Memory', 'Table', 'Global', 'CompileError', 'LinkError', 'RuntimeError']) {
  assert.deepStrictEqual(Object.getOwnPropertyDescriptor(WebAssembly, name), { value: WebAssembly[name], writable: true, enumerable: false, configurable: true });
}
console.log('descriptors ok');

// Several results from a JS import are read with the iterator protocol, step by step in the
// spec's order (GetIterator: @@iterator, then `next`; each step: next(), done, value), as
// Node reads them.
{
  const fs = require('jsrt:fs');
  const log = [];
  const iterable = {
    [Symbol.iterator]() {
      log.push('@@iterator');
      let i = 0;
      return {
        get next() {
          log.push('get next');
          return () => {
            log.push('next()');
            i++;
            return { get done() { log.push('done'); return i > 2; }, get value() { log.push('value'); return i === 1 ? 7 : 5n; } };
          };
        },
      };
    },
  };
  const mod = new WebAssembly.Module(fs.readFileSync(`${__dirname}/fixtures/multi-import.wasm`));
  const { exports } = new WebAssembly.Instance(mod, { env: { pair: () => iterable, see: (a) => a } });
  assert.strictEqual(exports.sumPair(0), 12n);
  assert.strictEqual(log.join(' '), '@@iterator get next next() done value next() done value next() done');
}
console.log('multi-value iteration ok');
