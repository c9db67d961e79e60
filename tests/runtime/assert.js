// jsrt:assert behaves like Node's assert.
const assert = require('jsrt:assert');
const { AssertionError } = assert;

function fails(fn, check) {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof AssertionError)) throw e;
    check(e);
    return;
  }
  throw new Error(`did not throw: ${fn}`);
}

assert.ok(true);
assert(1);
fails(() => assert.ok(0), (e) => {
  assert.strictEqual(e.code, 'ERR_ASSERTION');
  assert.strictEqual(e.name, 'AssertionError');
  assert.strictEqual(e.operator, '==');
  assert.strictEqual(e.actual, 0);
  assert.strictEqual(e.expected, true);
});
fails(() => assert.strictEqual(1, 2), (e) => {
  assert.strictEqual(e.message, 'Expected values to be strictly equal:\n\n1 !== 2\n');
  assert.strictEqual(e.operator, 'strictEqual');
  assert.ok(e.stack.startsWith('AssertionError [ERR_ASSERTION]: Expected values'));
});
fails(() => assert.strictEqual(1, 2, 'custom'), (e) => assert.strictEqual(e.message, 'custom'));
assert.equal(1, '1');
fails(() => assert.equal(1, 2), (e) => assert.strictEqual(e.message, '1 == 2'));
assert.notEqual(1, 2);
fails(() => assert.notEqual(1, '1'), (e) => assert.strictEqual(e.message, "1 != '1'"));
assert.notStrictEqual(1, '1');
assert.strictEqual(NaN, NaN);

// Deep equality, loose and strict.
assert.deepEqual({ a: 1, b: [1, 2] }, { a: '1', b: ['1', 2] });
assert.deepStrictEqual({ a: 1, b: [1, 2, { c: new Map([[1, new Set([2])]]) }] }, { a: 1, b: [1, 2, { c: new Map([[1, new Set([2])]]) }] });
assert.deepStrictEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]));
assert.deepStrictEqual(new Date(5), new Date(5));
assert.deepStrictEqual(/a/g, /a/g);
assert.notDeepStrictEqual({ a: 1 }, { a: '1' });
assert.notDeepStrictEqual([1], { 0: 1, length: 1 });
assert.notDeepStrictEqual(0, -0);
assert.deepEqual(0, -0);
const cyc1 = { x: 1 }; cyc1.self = cyc1;
const cyc2 = { x: 1 }; cyc2.self = cyc2;
assert.deepStrictEqual(cyc1, cyc2);
fails(() => assert.deepStrictEqual({ a: 1, b: 2 }, { a: 1, b: 3 }), (e) => {
  assert.strictEqual(e.message, 'Expected values to be strictly deep-equal:\n+ actual - expected\n\n  {\n    a: 1,\n+   b: 2\n-   b: 3\n  }');
  assert.deepStrictEqual(e.actual, { a: 1, b: 2 });
  assert.strictEqual(e.operator, 'deepStrictEqual');
});

// throws / doesNotThrow with every kind of expectation.
assert.throws(() => { throw new TypeError('bad thing'); });
assert.throws(() => { throw new TypeError('bad thing'); }, TypeError);
assert.throws(() => { throw new TypeError('bad thing'); }, /bad/);
assert.throws(() => { throw new TypeError('bad thing'); }, { name: 'TypeError', message: 'bad thing' });
assert.throws(() => { throw new TypeError('bad thing'); }, { message: /thing$/ });
assert.throws(() => { throw new TypeError('bad thing'); }, (e) => e instanceof TypeError);
fails(() => assert.throws(() => {}), (e) => assert.strictEqual(e.message, 'Missing expected exception.'));
fails(() => assert.throws(() => { throw new Error('x'); }, /y/), (e) => assert.match(e.message, /did not match/));
assert.throws(() => assert.throws(() => { throw new Error('x'); }, RangeError), AssertionError);
assert.doesNotThrow(() => 1);
fails(() => assert.doesNotThrow(() => { throw new Error('oops'); }), (e) => assert.match(e.message, /Got unwanted exception\.\nActual message: "oops"/));

assert.match('abc', /b/);
fails(() => assert.match('abc', /x/), (e) => assert.strictEqual(e.message, "The input did not match the regular expression /x/. Input:\n\n'abc'\n"));
assert.doesNotMatch('abc', /x/);
fails(() => assert.fail('boom'), (e) => assert.strictEqual(e.message, 'boom'));
fails(() => assert.fail(), (e) => assert.strictEqual(e.message, 'Failed'));
assert.ifError(null);
fails(() => assert.ifError(new Error('e1')), (e) => assert.strictEqual(e.message, 'ifError got unwanted exception: e1'));

// strict mode: equal is strictEqual.
assert.throws(() => assert.strict.equal(1, '1'), AssertionError);
assert.throws(() => assert.strict.deepEqual({ a: 1 }, { a: '1' }), AssertionError);

const err = new AssertionError({ actual: 1, expected: 2, operator: 'strictEqual' });
assert.strictEqual(err.actual, 1);
assert.ok(err instanceof Error);

(async () => {
  await assert.rejects(Promise.reject(new RangeError('r')), RangeError);
  await assert.rejects(async () => { throw new Error('async'); }, /async/);
  await assert.doesNotReject(Promise.resolve(1));
  let threw = false;
  try { await assert.rejects(Promise.resolve(1)); } catch (e) { threw = e instanceof AssertionError && e.message === 'Missing expected rejection.'; }
  assert.ok(threw);
  console.log('assert ok');
})();
