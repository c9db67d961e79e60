// Web platform globals: TextEncoder/TextDecoder, atob/btoa, URL, structuredClone, crypto,
// AbortController, EventTarget, performance, fetch of file: URLs.
const assert = require('jsrt:assert');

const enc = new TextEncoder();
assert.deepStrictEqual([...enc.encode('h€')], [0x68, 0xe2, 0x82, 0xac]);
const target = new Uint8Array(3);
assert.deepStrictEqual(enc.encodeInto('h€', target), { read: 1, written: 1 });
const dec = new TextDecoder();
assert.strictEqual(dec.encoding, 'utf-8');
assert.strictEqual(dec.decode(new Uint8Array([0x68, 0xe2, 0x82, 0xac])), 'h€');
assert.strictEqual(dec.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]).buffer), 'A');
assert.strictEqual(new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])), '\ufeffA');
assert.strictEqual(dec.decode(new Uint8Array([0xff])), '\ufffd');
assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])), TypeError);
// Streaming keeps a split character for the next chunk.
const sdec = new TextDecoder();
assert.strictEqual(sdec.decode(new Uint8Array([0xe2, 0x82]), { stream: true }), '');
assert.strictEqual(sdec.decode(new Uint8Array([0xac])), '€');
assert.strictEqual(new TextDecoder('utf-16le').decode(new Uint8Array([0x68, 0, 0x69, 0])), 'hi');
assert.throws(() => new TextDecoder('no-such-encoding'), RangeError);

assert.strictEqual(btoa('hello'), 'aGVsbG8=');
assert.strictEqual(atob('aGVsbG8='), 'hello');
assert.strictEqual(atob(' aGVs bG8 '), 'hello');
assert.throws(() => atob('*'), (e) => e.name === 'InvalidCharacterError');
assert.throws(() => btoa('€'), (e) => e.name === 'InvalidCharacterError');

const u = new URL('https://user:pw@example.com:8080/a/b?x=1&y=2#frag');
assert.strictEqual(u.hostname, 'example.com');
assert.strictEqual(u.port, '8080');
assert.strictEqual(u.pathname, '/a/b');
assert.strictEqual(u.searchParams.get('y'), '2');
assert.strictEqual(u.origin, 'https://example.com:8080');
u.searchParams.append('z', 'a b');
assert.strictEqual(u.search, '?x=1&y=2&z=a+b');
u.pathname = '/c';
assert.strictEqual(u.href, 'https://user:pw@example.com:8080/c?x=1&y=2&z=a+b#frag');
assert.strictEqual(new URL('../x', 'http://h/a/b/c').href, 'http://h/a/x');
assert.throws(() => new URL('not a url'), { code: 'ERR_INVALID_URL', name: 'TypeError' });
assert.strictEqual(URL.canParse('http://x'), true);
assert.strictEqual(new URLSearchParams({ a: '1', b: 'x&y' }).toString(), 'a=1&b=x%26y');
assert.deepStrictEqual([...new URLSearchParams('a=1&a=2&b=3')].length, 3);
assert.strictEqual(JSON.stringify({ u: new URL('http://a.b/') }), '{"u":"http://a.b/"}');

const orig = { a: [1, { b: new Date(3) }], m: new Map([[1, new Set([2])]]), t: new Uint8Array([1, 2]) };
orig.self = orig;
const copy = structuredClone(orig);
assert.notStrictEqual(copy, orig);
assert.strictEqual(copy.self, copy);
assert.deepStrictEqual(copy.a, orig.a);
assert.ok(copy.m.get(1).has(2));
assert.deepStrictEqual([...copy.t], [1, 2]);
assert.throws(() => structuredClone(() => {}), (e) => e.name === 'DataCloneError');

const rnd = crypto.getRandomValues(new Uint8Array(32));
assert.strictEqual(rnd.length, 32);
assert.ok(rnd.some((b) => b !== 0));
assert.match(crypto.randomUUID(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
assert.notStrictEqual(crypto.randomUUID(), crypto.randomUUID());
assert.throws(() => crypto.getRandomValues(new Uint8Array(65537)), (e) => e.name === 'QuotaExceededError');

const ac = new AbortController();
let aborted = 0;
ac.signal.addEventListener('abort', () => aborted++);
ac.abort();
ac.abort();
assert.strictEqual(aborted, 1);
assert.strictEqual(ac.signal.aborted, true);
assert.strictEqual(ac.signal.reason.name, 'AbortError');
assert.throws(() => ac.signal.throwIfAborted(), (e) => e.name === 'AbortError');

const et = new EventTarget();
const got = [];
et.addEventListener('ping', (e) => got.push(e.type), { once: true });
et.dispatchEvent(new Event('ping'));
et.dispatchEvent(new Event('ping'));
assert.deepStrictEqual(got, ['ping']);
const ev = new Event('x', { cancelable: true });
ev.preventDefault();
assert.strictEqual(ev.defaultPrevented, true);

assert.strictEqual(typeof performance.now(), 'number');
assert.ok(performance.timeOrigin > 1.6e12);

(async () => {
  const res = await fetch(__filename);
  assert.strictEqual(res.ok, true);
  assert.strictEqual(res.status, 200);
  assert.match(await res.text(), /Web platform globals/);
  const json = await fetch(new URL('./fixtures/cjs/data.json', `file://${__filename}`));
  assert.deepStrictEqual(await json.json(), { answer: 42, list: [1, 2] });
  assert.strictEqual(json.headers.get('content-type'), 'application/json');
  await assert.rejects(fetch('./missing-file.txt'), TypeError);
  // Relative paths resolve against the current directory (not its parent).
  const cwd = process.cwd();
  process.chdir(__dirname);
  const rel = await fetch('./fixtures/cjs/data.json');
  assert.strictEqual(rel.url, require('url').pathToFileURL(`${__dirname}/fixtures/cjs/data.json`).href);
  assert.deepStrictEqual(await rel.json(), { answer: 42, list: [1, 2] });
  process.chdir(cwd);
  assert.strictEqual(require('url').pathToFileURL('/tmp/dir/').href, 'file:///tmp/dir/');
  assert.strictEqual(require('url').pathToFileURL('/tmp/dir').href, 'file:///tmp/dir');
  assert.strictEqual(require('url').pathToFileURL('/tmp/a b#?%').href, 'file:///tmp/a%20b%23%3F%25');
  const r = new Response('abc', { status: 201, headers: { 'X-A': '1' } });
  assert.strictEqual(r.headers.get('x-a'), '1');
  assert.deepStrictEqual(new Uint8Array(await r.arrayBuffer()), new Uint8Array([97, 98, 99]));
  console.log('web ok');
})();
