// jsrt:assert — Node's assert API: ok/equal/strictEqual/deepEqual/deepStrictEqual (and the
// negations), throws/doesNotThrow/rejects/doesNotReject, match/doesNotMatch, fail, ifError,
// AssertionError with actual/expected/operator and a +/- diff message; assert.strict.
'use strict';

const { inspect } = require('internal/inspect');

const kReadableOperator = {
  deepStrictEqual: 'Expected values to be strictly deep-equal:',
  strictEqual: 'Expected values to be strictly equal:',
  deepEqual: 'Expected values to be loosely deep-equal:',
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
  notIdentical: 'Values identical but not reference-equal:',
};

const show = (v) => inspect(v, { depth: 1000, compact: false, sorted: true, getters: true, breakLength: Infinity, customInspect: false });

function diff(actual, expected) {
  const a = show(actual).split('\n');
  const e = show(expected).split('\n');
  // Longest common subsequence over lines, then a unified listing.
  const n = a.length, m = e.length;
  const dp = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) {
    dp[i][j] = a[i] === e[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  }
  const out = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === e[j]) { out.push(`  ${a[i]}`); i++; j++; }
    else if (i < n && (j >= m || dp[i + 1][j] >= dp[i][j + 1])) { out.push(`+ ${a[i]}`); i++; }
    else { out.push(`- ${e[j]}`); j++; }
  }
  return out.join('\n');
}

class AssertionError extends Error {
  constructor(options) {
    if (options === null || typeof options !== 'object') {
      const err = new TypeError('The "options" argument must be of type object.');
      err.code = 'ERR_INVALID_ARG_TYPE';
      throw err;
    }
    const { message, actual, expected, operator } = options;
    let msg;
    if (message != null) {
      msg = String(message);
    } else if (operator === 'deepStrictEqual' || operator === 'strictEqual' || operator === 'deepEqual') {
      const sa = show(actual), se = show(expected);
      if (!sa.includes('\n') && !se.includes('\n') && (operator === 'strictEqual' || typeof actual !== 'object' || actual === null)) {
        msg = `${kReadableOperator[operator]}\n\n${sa} !== ${se}\n`;
      } else if (sa === se) {
        msg = `${kReadableOperator.notIdentical}\n\n${sa}\n`;
      } else {
        msg = `${kReadableOperator[operator]}\n+ actual - expected\n\n${diff(actual, expected)}`;
      }
    } else if (kReadableOperator[operator]) {
      msg = `${kReadableOperator[operator]}\n\n${show(actual)}\n`;
      if (operator === 'notStrictEqual' && typeof actual !== 'object') msg = `${kReadableOperator[operator]} ${show(actual)}`;
    } else if (operator === '==' || operator === '!=') {
      msg = `${show(actual)} ${operator} ${show(expected)}`;
    } else {
      msg = `${show(actual)} ${operator} ${show(expected)}`;
    }
    super(msg);
    this.generatedMessage = message == null;
    // Node's stack header is "AssertionError [ERR_ASSERTION]: message".
    Object.defineProperty(this, 'name', { value: 'AssertionError [ERR_ASSERTION]', enumerable: false, writable: true, configurable: true });
    if (Error.captureStackTrace) Error.captureStackTrace(this, options.stackStartFn || AssertionError);
    // Stacks are formatted when first read (as in V8): read it now, with the name above in
    // its header, as Node's assert does.
    this.stack; // eslint-disable-line no-unused-expressions
    Object.defineProperty(this, 'name', { value: 'AssertionError', enumerable: false, writable: true, configurable: true });
    this.code = 'ERR_ASSERTION';
    this.actual = actual;
    this.expected = expected;
    this.operator = operator;
  }
  toString() { return `${this.name} [${this.code}]: ${this.message}`; }
}

function innerFail(obj) {
  if (obj.message instanceof Error) throw obj.message;
  throw new AssertionError(obj);
}

// ---------------------------------------------------------------- deep equality
function isDeepEqual(a, b, strict, memos) {
  if (a === b) return a !== 0 || !strict || Object.is(a, b);
  if (strict) {
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
      return typeof a === 'number' && typeof b === 'number' ? Number.isNaN(a) && Number.isNaN(b) : false;
    }
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  } else {
    if (a === null || typeof a !== 'object') {
      if (b === null || typeof b !== 'object') return a == b || (Number.isNaN(a) && Number.isNaN(b));
      return false;
    }
    if (b === null || typeof b !== 'object') return false;
  }
  const tagA = Object.prototype.toString.call(a);
  if (tagA !== Object.prototype.toString.call(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Date) {
    if (!(b instanceof Date) || a.getTime() !== b.getTime()) return false;
  } else if (a instanceof RegExp) {
    if (!(b instanceof RegExp) || a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
  } else if (a instanceof Error) {
    if (!(b instanceof Error) || a.message !== b.message || a.name !== b.name) return false;
  } else if (ArrayBuffer.isView(a)) {
    if (!ArrayBuffer.isView(b) || a.byteLength !== b.byteLength) return false;
    if (!(a instanceof DataView)) {
      if (a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) {
        if (strict ? !Object.is(a[i], b[i]) : a[i] != b[i]) return false;
      }
    } else {
      for (let i = 0; i < a.byteLength; i++) if (a.getUint8(i) !== b.getUint8(i)) return false;
    }
  } else if (a instanceof ArrayBuffer) {
    if (!(b instanceof ArrayBuffer) || a.byteLength !== b.byteLength) return false;
    const x = new Uint8Array(a), y = new Uint8Array(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  } else if (a instanceof Number || a instanceof String || a instanceof Boolean || a instanceof BigInt || a instanceof Symbol) {
    if (!Object.is(a.valueOf(), b.valueOf())) return false;
  }
  // Cycle detection: a pair being compared is assumed equal.
  if (memos === undefined) memos = { a: new Map(), pos: 0 };
  const seen = memos.a.get(a);
  if (seen !== undefined && seen.has(b)) return true;
  if (seen === undefined) memos.a.set(a, new Set([b])); else seen.add(b);

  const keysA = ownKeys(a, strict);
  const keysB = ownKeys(b, strict);
  if (keysA.length !== keysB.length) return false;
  const setB = new Set(keysB);
  for (const k of keysA) if (!setB.has(k)) return false;
  if (Array.isArray(a) && a.length !== b.length) return false;
  if (a instanceof Set) {
    if (!(b instanceof Set) || a.size !== b.size) return false;
    outer: for (const v of a) {
      if (b.has(v)) continue;
      if (typeof v === 'object' || !strict) {
        for (const w of b) if (isDeepEqual(v, w, strict, memos)) continue outer;
      }
      return false;
    }
  } else if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    outer: for (const [k, v] of a) {
      if (b.has(k)) {
        if (!isDeepEqual(v, b.get(k), strict, memos)) return false;
        continue;
      }
      for (const [k2, v2] of b) {
        if (isDeepEqual(k, k2, strict, memos) && isDeepEqual(v, v2, strict, memos)) continue outer;
      }
      return false;
    }
  }
  for (const k of keysA) {
    if (!isDeepEqual(a[k], b[k], strict, memos)) return false;
  }
  return true;
}

function ownKeys(o, strict) {
  const keys = Object.keys(o).filter((k) => !(ArrayBuffer.isView(o) && /^\d+$/.test(k)));
  if (strict) {
    for (const s of Object.getOwnPropertySymbols(o)) if (Object.prototype.propertyIsEnumerable.call(o, s)) keys.push(s);
  }
  return keys;
}

// ---------------------------------------------------------------- assertions
function ok(...args) {
  if (args.length === 0) {
    innerFail({ message: 'No value argument passed to `assert.ok()`', actual: undefined, expected: true, operator: '==' });
  }
  const [value, message] = args;
  if (!value) {
    innerFail({ actual: value, expected: true, operator: '==', message: message ?? `The expression evaluated to a falsy value:\n\n  assert.ok(${show(value)})\n` });
  }
}
function assert(...args) { ok(...args); }

assert.ok = ok;
assert.AssertionError = AssertionError;
assert.fail = function fail(message) {
  if (message instanceof Error) throw message;
  const err = new AssertionError({ message: message ?? 'Failed', operator: 'fail' });
  err.generatedMessage = message === undefined;
  throw err;
};
assert.equal = function equal(actual, expected, message) {
  if (!(actual == expected || (Number.isNaN(actual) && Number.isNaN(expected)))) {
    innerFail({ actual, expected, message, operator: '==' });
  }
};
assert.notEqual = function notEqual(actual, expected, message) {
  if (actual == expected || (Number.isNaN(actual) && Number.isNaN(expected))) {
    innerFail({ actual, expected, message, operator: '!=' });
  }
};
assert.strictEqual = function strictEqual(actual, expected, message) {
  if (!Object.is(actual, expected)) innerFail({ actual, expected, message, operator: 'strictEqual' });
};
assert.notStrictEqual = function notStrictEqual(actual, expected, message) {
  if (Object.is(actual, expected)) innerFail({ actual, expected, message, operator: 'notStrictEqual' });
};
assert.deepEqual = function deepEqual(actual, expected, message) {
  if (!isDeepEqual(actual, expected, false)) innerFail({ actual, expected, message, operator: 'deepEqual' });
};
assert.notDeepEqual = function notDeepEqual(actual, expected, message) {
  if (isDeepEqual(actual, expected, false)) innerFail({ actual, expected, message, operator: 'notDeepEqual' });
};
assert.deepStrictEqual = function deepStrictEqual(actual, expected, message) {
  if (!isDeepEqual(actual, expected, true)) innerFail({ actual, expected, message, operator: 'deepStrictEqual' });
};
assert.notDeepStrictEqual = function notDeepStrictEqual(actual, expected, message) {
  if (isDeepEqual(actual, expected, true)) innerFail({ actual, expected, message, operator: 'notDeepStrictEqual' });
};

function checkError(actual, expected, message, fnName) {
  if (expected === undefined) return;
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && actual instanceof expected) return;
    if (Error.isPrototypeOf(expected) || expected === Error) {
      const err = new AssertionError({
        actual, expected, operator: fnName,
        message: message ?? `The error is expected to be an instance of "${expected.name}". Received "${actual?.constructor?.name ?? typeof actual}"\n\nError message:\n\n${actual?.message}`,
      });
      throw err;
    }
    const res = expected.call({}, actual);
    if (res !== true) {
      throw new AssertionError({ actual, expected, operator: fnName, message: message ?? `The ${expected.name ? `"${expected.name}" ` : ''}validation function is expected to return "true". Received ${show(res)}\n\nCaught error:\n\n${actual}` });
    }
    return;
  }
  if (expected instanceof RegExp) {
    const str = String(actual);
    if (expected.test(str)) return;
    throw new AssertionError({ actual, expected, operator: fnName, message: message ?? `The input did not match the regular expression ${expected}. Input:\n\n${show(str)}\n` });
  }
  if (typeof expected === 'object' && expected !== null) {
    const keys = Object.keys(expected);
    if (expected instanceof Error) keys.push('name', 'message');
    for (const k of keys) {
      const want = expected[k];
      const got = actual == null ? undefined : actual[k];
      if (want instanceof RegExp && typeof got === 'string' ? want.test(got) : isDeepEqual(got, want, true)) continue;
      throw new AssertionError({
        actual, expected, operator: fnName,
        message: message ?? `Expected values to be strictly deep-equal:\n+ actual - expected\n\n  Comparison {\n+   ${k}: ${show(got)}\n-   ${k}: ${show(want)}\n  }`,
      });
    }
    return;
  }
  const err = new TypeError(`The "expected" argument must be of type function or an instance of Error, RegExp, or Object. Received ${show(expected)}`);
  err.code = 'ERR_INVALID_ARG_TYPE';
  throw err;
}

const NO_EXCEPTION = Symbol('no exception');

function getActual(fn) {
  if (typeof fn !== 'function') {
    const err = new TypeError(`The "fn" argument must be of type function. Received ${show(fn)}`);
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
  try {
    fn();
  } catch (e) {
    return e;
  }
  return NO_EXCEPTION;
}

function expectsError(fnName, actual, error, message) {
  if (typeof error === 'string') {
    message = error;
    error = undefined;
  }
  if (actual === NO_EXCEPTION) {
    let details = '';
    if (error && error.name) details += ` (${error.name})`;
    details += message ? `: ${message}` : '.';
    const fnType = fnName === 'rejects' ? 'rejection' : 'exception';
    innerFail({ actual: undefined, expected: error, operator: fnName, message: `Missing expected ${fnType}${details}` });
  }
  checkError(actual, error, message, fnName);
}

function expectsNoError(fnName, actual, error, message) {
  if (actual === NO_EXCEPTION) return;
  if (typeof error === 'string') {
    message = error;
    error = undefined;
  }
  if (!error || (typeof error === 'function' && actual instanceof error) || (error instanceof RegExp && error.test(String(actual)))) {
    const details = message ? `: ${message}` : '.';
    const fnType = fnName === 'doesNotReject' ? 'rejection' : 'exception';
    innerFail({ actual, expected: error, operator: fnName, message: `Got unwanted ${fnType}${details}\nActual message: "${actual && actual.message}"` });
  }
  throw actual;
}

assert.throws = function throws(fn, error, message) {
  expectsError('throws', getActual(fn), error, message);
};
assert.doesNotThrow = function doesNotThrow(fn, error, message) {
  expectsNoError('doesNotThrow', getActual(fn), error, message);
};

async function waitForActual(promiseFn) {
  let resultPromise;
  if (typeof promiseFn === 'function') {
    resultPromise = promiseFn();
    if (!resultPromise || typeof resultPromise.then !== 'function') {
      const err = new TypeError(`Expected instance of Promise to be returned from the "promiseFn" function but got ${show(resultPromise)}.`);
      err.code = 'ERR_INVALID_RETURN_VALUE';
      throw err;
    }
  } else if (promiseFn && typeof promiseFn.then === 'function') {
    resultPromise = promiseFn;
  } else {
    const err = new TypeError(`The "promiseFn" argument must be of type function or an instance of Promise. Received ${show(promiseFn)}`);
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
  try {
    await resultPromise;
  } catch (e) {
    return e;
  }
  return NO_EXCEPTION;
}

assert.rejects = async function rejects(promiseFn, error, message) {
  expectsError('rejects', await waitForActual(promiseFn), error, message);
};
assert.doesNotReject = async function doesNotReject(promiseFn, error, message) {
  expectsNoError('doesNotReject', await waitForActual(promiseFn), error, message);
};

function internalMatch(string, regexp, message, fn) {
  if (!(regexp instanceof RegExp)) {
    const err = new TypeError(`The "regexp" argument must be an instance of RegExp. Received ${show(regexp)}`);
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
  const match = fn === 'match';
  if (typeof string !== 'string' || regexp.test(string) !== match) {
    if (message instanceof Error) throw message;
    const generated = !message;
    message = message || (typeof string !== 'string'
      ? `The "string" argument must be of type string. Received type ${typeof string} (${show(string)})`
      : (match ? 'The input did not match the regular expression ' : 'The input was expected to not match the regular expression ') + `${show(regexp)}. Input:\n\n${show(string)}\n`);
    const err = new AssertionError({ actual: string, expected: regexp, message, operator: fn });
    err.generatedMessage = generated;
    throw err;
  }
}
assert.match = (string, regexp, message) => internalMatch(string, regexp, message, 'match');
assert.doesNotMatch = (string, regexp, message) => internalMatch(string, regexp, message, 'doesNotMatch');
assert.ifError = function ifError(err) {
  if (err !== null && err !== undefined) {
    let message = 'ifError got unwanted exception: ';
    message += typeof err === 'object' && typeof err.message === 'string' ? (err.message.length === 0 && err.constructor ? err.constructor.name : err.message) : show(err);
    const newErr = new AssertionError({ actual: err, expected: null, operator: 'ifError', message });
    newErr.origin = err;
    throw newErr;
  }
};

function strict(...args) { ok(...args); }
Object.assign(strict, assert, {
  equal: assert.strictEqual,
  deepEqual: assert.deepStrictEqual,
  notEqual: assert.notStrictEqual,
  notDeepEqual: assert.notDeepStrictEqual,
});
assert.strict = strict;
assert.strict.strict = strict;
assert.isDeepStrictEqual = (a, b) => isDeepEqual(a, b, true);

module.exports = assert;
