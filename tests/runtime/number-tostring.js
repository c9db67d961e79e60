// Number to string is the shortest form that reads back as the same double (ECMAScript
// Number::toString): every power of two as Node prints it (fixtures/powers-of-two.txt was
// written by Node 20), and random doubles checked against the definition itself.
const assert = require('jsrt:assert');
const fs = require('jsrt:fs');

const expected = fs.readFileSync(`${__dirname}/fixtures/powers-of-two.txt`, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
assert.strictEqual(expected.length, 2098);
const wrong = [];
for (let k = -1074; k <= 1023; k++) {
  const x = 2 ** k;
  const want = expected[k + 1074];
  if (String(x) !== want || `${x}` !== want || x.toString() !== want || JSON.stringify(x) !== want) wrong.push(`2^${k}: ${String(x)} (want ${want})`);
}
assert.deepStrictEqual(wrong, []);
assert.strictEqual(String(2 ** -140), '7.174648137343064e-43');
assert.strictEqual(String(-(2 ** -140)), '-7.174648137343064e-43');

// Random doubles (fixed seed): String(x) must read back as x, and no string with fewer
// significant digits may: the nearest shorter rounding and its neighbours are tried.
let seed = 0x2545f491;
function next32() {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed;
}
const view = new DataView(new ArrayBuffer(8));
const bad = [];
for (let i = 0; i < 20000; i++) {
  view.setUint32(0, next32());
  view.setUint32(4, next32());
  const x = view.getFloat64(0);
  if (!Number.isFinite(x)) continue;
  const s = String(Math.abs(x));
  if (Number(s) !== Math.abs(x)) { bad.push(`${s} does not read back`); continue; }
  const mantissa = s.replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  const k = mantissa.length;
  if (k <= 1) continue;
  // Candidates with k-1 significant digits around x.
  const [, lead, frac = '', exp] = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(Math.abs(x).toExponential(k - 2));
  const base = BigInt(lead + frac);
  for (const d of [-1n, 0n, 1n]) {
    const digits = (base + d).toString();
    const candidate = Number(`${digits[0]}.${digits.slice(1)}e${exp}`);
    if (candidate === Math.abs(x) && digits.replace(/0+$/, '').length < k) bad.push(`${s}: ${digits}e${exp} is shorter`);
  }
}
assert.deepStrictEqual(bad, []);
console.log('number tostring ok');
