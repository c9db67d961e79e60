// util.inspect / util.format against the output Node 20 prints for the same values.
const assert = require('jsrt:assert');
const util = require('util');
const cases = [
  () => util.inspect({ a: 1, b: 'two', c: [1, 2, { d: 3 }], e: { f: { g: { h: 1 } } } }),
  () => util.inspect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]),
  () => util.inspect(new Map([['a', 1], ['b', { c: 2 }]])),
  () => util.inspect(new Set(['x', 'y'])),
  () => util.inspect(new Uint8Array([1, 2, 3])),
  () => util.inspect(-0),
  () => util.inspect(10n),
  () => util.inspect(Symbol('s')),
  () => util.inspect("it's"),
  () => util.inspect(function foo() {}),
  () => util.inspect(class Bar {}),
  () => util.inspect(null),
  () => util.inspect(undefined),
  () => util.inspect([undefined, null, , 3]),
  () => { const o = { name: 'o' }; o.self = o; return util.inspect(o); },
  () => util.inspect(Object.create(null)),
  () => util.inspect({ 'a-b': 1, [Symbol('k')]: 2 }),
  () => util.inspect(new Date(0)),
  () => util.inspect(/ab+c/gi),
  () => util.inspect({ get x() { return 1; } }),
  () => util.inspect(new (class Foo { constructor() { this.a = 1; } })()),
  () => util.inspect(Promise.resolve(4)),
  () => util.inspect(new ArrayBuffer(3)),
  () => util.inspect([[1, [2, [3, [4]]]]]),
  () => util.inspect('a'.repeat(5)),
  () => util.inspect({ long: 'x'.repeat(100), other: 'y'.repeat(40) }),
  () => util.format('%s is %d years and %i, %f, %j %o %%', 'Bob', 42.5, 42.5, '1.5', { a: 1 }, [1]),
  () => util.format('a', 1, 'b', { c: 2 }),
  () => util.format('%s', { a: { b: { c: 1 } } }),
  () => util.inspect(Object.assign(() => {}, { x: 1 })),
  () => util.inspect(new Number(3)),
  () => util.inspect([1.5, -2, 'a', true]),
  () => util.inspect({ a: [ { b: 1, c: 'x' }, { b: 2, c: 'y' } ] }),
  () => util.inspect(Array.from({ length: 120 }, (_, i) => i)).split('\n').slice(-3).join('\n'),
  () => util.inspect({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10, k: 11, l: 12, m: 13, n: 14, o: 15, p: 16, q: 17, r: 18, s: 19, t: 20, u: 21, v: 22, w: 23, x: 24, y: 25 }),
];
// Recorded from `node` (v20) running these same cases.
const expected = ["{ a: 1, b: 'two', c: [ 1, 2, { d: 3 } ], e: { f: { g: [Object] } } }","[\n   1,  2,  3,  4,  5,  6,  7,  8,\n   9, 10, 11, 12, 13, 14, 15, 16,\n  17, 18, 19, 20, 21, 22, 23, 24,\n  25, 26, 27\n]","Map(2) { 'a' => 1, 'b' => { c: 2 } }","Set(2) { 'x', 'y' }","Uint8Array(3) [ 1, 2, 3 ]","-0","10n","Symbol(s)","\"it's\"","[Function: foo]","[class Bar]","null","undefined","[ undefined, null, <1 empty item>, 3 ]","<ref *1> { name: 'o', self: [Circular *1] }","[Object: null prototype] {}","{ 'a-b': 1, [Symbol(k)]: 2 }","1970-01-01T00:00:00.000Z","/ab+c/gi","{ x: [Getter] }","Foo { a: 1 }","Promise { 4 }","ArrayBuffer { [Uint8Contents]: <00 00 00>, byteLength: 3 }","[ [ 1, [ 2, [Array] ] ] ]","'aaaaa'","{\n  long: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',\n  other: 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy'\n}","Bob is 42.5 years and 42, 1.5, {\"a\":1} [ 1, [length]: 1 ] %","a 1 b { c: 2 }","{ a: [Object] }","[Function (anonymous)] { x: 1 }","[Number: 3]","[ 1.5, -2, 'a', true ]","{ a: [ { b: 1, c: 'x' }, { b: 2, c: 'y' } ] }","  96, 97, 98, 99,\n  ... 20 more items\n]","{\n  a: 1,\n  b: 2,\n  c: 3,\n  d: 4,\n  e: 5,\n  f: 6,\n  g: 7,\n  h: 8,\n  i: 9,\n  j: 10,\n  k: 11,\n  l: 12,\n  m: 13,\n  n: 14,\n  o: 15,\n  p: 16,\n  q: 17,\n  r: 18,\n  s: 19,\n  t: 20,\n  u: 21,\n  v: 22,\n  w: 23,\n  x: 24,\n  y: 25\n}"];
assert.strictEqual(cases.length, expected.length);
cases.forEach((f, i) => assert.strictEqual(f(), expected[i], `case ${i}: ${f}`));
console.log(`inspect: ${cases.length} cases match Node`);
