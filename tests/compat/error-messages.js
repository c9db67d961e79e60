// The errors of everyday mistakes read as in Node (V8's words; vendor/rquickjs-sys/JSRT.md,
// patch 0008). Calling what is not a function names the callee ("x is not a function",
// "o.foo is not a function", "this.m is not a function", "f(...).g is not a function", "x is
// not a constructor", "Class constructor K cannot be invoked without 'new'"); a callback
// that is not a function is named by its value ("undefined is not a function"); reading a
// property of undefined says "Cannot read properties of undefined (reading 'x')"; and
// "Cannot access 'x' before initialization", "Assignment to constant variable.", "5 is not
// iterable", "Cannot destructure property 'a' of 'null' as it is null.", "Reduce of empty
// array with no initial value", "URI malformed" and others.
// QuickJS said "not a function", "cannot read property 'x' of undefined", "x is not
// initialized", "'c' is read-only"... Compared with Node.

function check(label, f) {
  try {
    f();
    console.log(`${label}: no error`);
  } catch (e) {
    // (V8 adds lines to some messages, a circular structure's path: the first is compared)
    console.log(`${label}: ${e.constructor.name}: ${e.message.split('\n')[0]}`);
  }
}

let x = 42;
var gv = 'a string';
const o = { inner: { deep: {} }, list: [1, 2], n: null, s: 'text' };

check('local', () => x());
check('global var', () => gv());
check('member', () => o.foo());
check('member with arguments', () => o.foo(1, 'two', [3]));
check('member chain', () => o.inner.deep.nothing());
check('null member', () => o.n());
check('string member', () => o.s());
check('index', () => o.list[0]());
check('index by a variable', () => { const i = 1; return o.list[i](); });
check('length', () => o.list.length());
check('this', function () { return this.m(); }.bind({}));
check('global object', () => globalThis.nothing());
check('console typo', () => console.lag('hi'));
check('argument', ((f) => () => f(1))(undefined));
check('closure', (() => { let c = 'str'; return () => c(); })());
check('call result', () => { function f() { return {}; } return f().g(); });
check('inner call first', () => o.foo(o.bar(1)));
check('conditional argument', () => o.foo(x ? 1 : 2));
check('spread-free many arguments', () => o.foo(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
check('inside try/finally', () => { try { o.nope(); } finally { x = 42; } });
check('class method', () => { class K { m() { return this.missing(); } } return new K().m(); });
check('strict tail position', () => { 'use strict'; return x(); });
check('loop', () => { for (let i = 0; i < 3; i++) { if (i === 2) o.list[i](); } });
check('spread call', () => o.foo(...o.list));
check('string key', () => o['k']());
check('super method', () => { class A {} class B extends A { m() { return super.nope(); } } return new B().m(); });
check('set then call', () => { function f() { return {}; } return f().g(); });
check('class without new', () => { class K {} return K(); });
check('anonymous class without new', () => (class {})());
check('new of a number', () => new x());
check('new of an object', () => new o.inner());
check('new of undefined', () => new o.missing());
// A callback that is not a function, named by its value (no JavaScript runs for it).
class Foo {}
check('undefined callback', () => [1].map(undefined));
check('missing callback', () => [1].forEach());
check('number callback', () => [1].filter(5));
check('string callback', () => [1].some('abc'));
check('object callback', () => [1].every({}));
check('array callback', () => [1].find([1, 2]));
check('instance callback', () => [1].map(new Foo()));
check('error callback', () => [1].map(new RangeError('r')));
check('typed array callback', () => [1].map(new Uint8Array(1)));
check('symbol callback', () => [1].map(Symbol('s')));
check('promise executor', () => new Promise(5));
check('sort comparator', () => [2, 1].sort(5));

// The other TypeErrors of everyday mistakes, in V8's words too.
const none = undefined;
check('read of undefined', () => none.x);
check('read of null', () => o.n.x);
check('index of undefined', () => none[0]);
check('deep read', () => o.inner.missing.x);
check('write to undefined', () => { none.x = 1; });
check('write to null', () => { o.n.y = 2; });
check('before initialization', () => { early; let early = 1; });
check('assignment to a constant', () => { const c = 1; c = 2; });
check('invalid array length', () => new Array(-1));
check('number not iterable', () => { for (const v of 5) {} });
check('null not iterable', () => { const [a] = null; });
check('symbol to string', () => `${Symbol('s')}`);
check('reduce of empty array', () => [].reduce((a, b) => a));
check('circular JSON', () => { const c = {}; c.self = c; JSON.stringify(c); });
check('weak map key', () => new WeakMap().set(1, 1));
check('weak set value', () => new WeakSet().add('s'));
check('malformed URI', () => decodeURIComponent('%'));
check('destructure null', () => { const { a } = null; });
check('destructure nothing from null', () => { const {} = null; });
check('destructure a variable', () => { const { a } = none; });
check('destructure a property', () => { const { a: b } = o.n; });
check('destructure with rest', () => { const { a, ...rest } = none; });
check('destructure a call result', () => { function g() {} const { a } = g(); });
check('destructuring assignment', () => { let a; ({ a } = none); });
check('destructure a missing argument', () => { function g({ a }) { return a; } return g(); });
check('with undefined', new Function('with (undefined) {}'));
check('BigInt plus number', () => 1n + 1);
check('number times BigInt', () => 2 * 3n);
check('BigInt bitwise with number', () => 1n | 1);
check('unary plus of a BigInt', () => +1n);
check('Math of a BigInt', () => Math.abs(1n));
check('unsigned shift of BigInts', () => 5n >>> 1n);
check('still works', () => { if (o.list.map((v) => v * 2).join() !== '2,4') throw new Error('wrong'); });

async function later() {
  await null;
  o.afterAwait();
}
later().catch((e) => console.log(`after await: ${e.constructor.name}: ${e.message}`));
