// Node builtins that npm packages commonly require, compared with Node
// (crates/jsrt/tests/compat.rs): string_decoder, querystring, util/types, perf_hooks, tty,
// events.once/events.on.
const out = (...a) => console.log(a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' '));

// string_decoder: characters split across writes come out whole.
const { StringDecoder } = require('node:string_decoder');
const euro = Buffer.from('€😀é', 'utf8'); // 3 + 4 + 2 bytes
for (const enc of ['utf8', 'utf16le', 'base64', 'hex', 'latin1']) {
  const bytes = enc === 'utf16le' ? Buffer.from('€😀é', 'utf16le') : euro;
  const d = new StringDecoder(enc);
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += d.write(bytes.subarray(i, i + 1));
  s += d.end();
  out('string_decoder', enc, s, d.encoding);
}
const trunc = new StringDecoder('utf8');
out('string_decoder truncated', trunc.write(Buffer.from([0xe2, 0x82])), trunc.end(), new StringDecoder('UCS-2').encoding);
try { new StringDecoder('nope'); } catch (e) { out('string_decoder bad', e.name, e.code); }

// querystring
const qs = require('querystring');
out('qs parse', qs.parse('a=1&b=x+y&a=2&c&d=%E2%82%AC&e=%ZZ&=v'));
out('qs parse sep', qs.parse('a:1;b:2', ';', ':'), qs.parse('a=1&b=2&c=3', null, null, { maxKeys: 2 }));
out('qs stringify', qs.stringify({ a: [1, 2], b: 'x y', c: '€', d: true, e: null, f: undefined, g: NaN, h: 10n }));
out('qs stringify sep', qs.stringify({ a: 1, b: 2 }, ';', ':'), qs.escape("a b&c=d/é!'()*~"), qs.unescape('%41%2'));
out('qs proto', Object.getPrototypeOf(qs.parse('a=1')) === null, qs.decode === qs.parse, qs.encode === qs.stringify);

// util/types
const types = require('node:util/types');
out('util/types', [
  types.isUint8Array(new Uint8Array()), types.isFloat64Array(new Float64Array()), types.isBigInt64Array(new BigInt64Array()),
  types.isSharedArrayBuffer(new SharedArrayBuffer(1)), types.isMapIterator(new Map().keys()), types.isSetIterator(new Set().values()),
  types.isGeneratorObject((function* () {})()), types.isNumberObject(Object(1)), types.isStringObject(Object('a')),
  types.isBigIntObject(Object(1n)), types.isSymbolObject(Object(Symbol('s'))), types.isArgumentsObject((function () { return arguments; })()),
  types.isPromise(Promise.resolve()), types.isDate(new Date()), types.isRegExp(/x/), types.isAsyncFunction(async () => {}),
  types.isUint8Array([]), types.isNumberObject(1), require('util').types === types,
]);

// perf_hooks: marks, measures, PerformanceObserver.
const { performance, PerformanceObserver } = require('perf_hooks');
out('perf_hooks same', performance === globalThis.performance, typeof performance.now());
const seen = [];
const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) seen.push([e.name, e.entryType]); });
obs.observe({ entryTypes: ['mark', 'measure'] });
performance.mark('a', { detail: { x: 1 } });
performance.mark('b');
const m = performance.measure('a-b', 'a', 'b');
out('perf measure', m.name, m.entryType, m.duration >= 0, performance.getEntriesByName('a')[0].detail);
out('perf entries', performance.getEntriesByType('mark').map((e) => e.name), performance.getEntries().length);
performance.clearMarks('a');
out('perf cleared', performance.getEntriesByType('mark').map((e) => e.name));
try { performance.measure('x', 'nope'); } catch (e) { out('perf bad mark', e.name); }

// tty
const tty = require('tty');
out('tty', tty.isatty(-1), tty.isatty(99), typeof tty.isatty(0), tty.isatty('x'));

// events.once and events.on
const EventEmitter = require('events');
(async () => {
  const ee = new EventEmitter();
  setTimeout(() => ee.emit('go', 1, 2), 1);
  out('events.once', await EventEmitter.once(ee, 'go'));
  const it = EventEmitter.on(ee, 'tick');
  setTimeout(() => { ee.emit('tick', 'a'); ee.emit('tick', 'b'); ee.emit('tick', 'c'); }, 1);
  const got = [];
  for await (const args of it) {
    got.push(args[0]);
    if (got.length === 3) break;
  }
  out('events.on', got, ee.listenerCount('tick'), ee.listenerCount('error'));
  const failing = EventEmitter.on(ee, 'data');
  setTimeout(() => ee.emit('error', new Error('boom')), 1);
  try { for await (const x of failing) out('unexpected', x); } catch (e) { out('events.on error', e.message); }
  await new Promise((r) => setTimeout(r, 5));
  out('observer', seen);
  obs.disconnect();
})();
