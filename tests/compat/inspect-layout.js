// util.inspect/console.log layout as Node lays it out: when objects, arrays, maps and sets go on one
// line and when each entry gets its own (breakLength 80, compact 3, array grouping).
const util = require('util');
console.log({ a: 1, b: 'two', c: [1, 2, 3], d: { e: { f: { g: 1 } } } });
console.log(new Map([['k', { x: 1 }], ['k2', [1, 2]]]), new Set([1, 'a']));
console.log([ 'aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb', 'cccccccccccccccccccc', 'dddddddddddddddddd', 'eeeeeeeeeeeeeeeee' ]);
console.log({ label: 'x'.repeat(30), nested: { list: Array.from({ length: 30 }, (_, i) => i) } });
class Foo { constructor() { this.x = 1; this.y = { z: [1, 2] }; } }
console.log(new Foo(), [new Foo(), new Foo()]);
console.log(util.inspect('str'), util.inspect(Symbol('s')), util.inspect(123n), util.inspect(-0), [undefined, null, NaN]);
console.log(Buffer.from('hi'), new Uint8Array([1, 2, 3]), new Error('boom').message, Promise.resolve(4));
console.log({ f() {}, g: () => 1, h: class K {} , i: function named() {} });
console.log(Array.from({ length: 120 }, (_, i) => i));
console.log({ date: new Date(0), re: /x+/gi, nul: null, undef: undefined });
console.log('%s is %d years and %o', 'Bob', 42, { a: [1] });
