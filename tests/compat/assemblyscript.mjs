// assemblyscript (the AssemblyScript compiler: TypeScript-like source to wasm, running on binaryen
// compiled to wasm): compile a program with asc's API in memory, instantiate the output with
// its generated bindings' conventions, call it; a type error reported with its location.
import asc from 'assemblyscript/asc';

const source = `
export function fib(n: i32): i64 {
  let a: i64 = 0, b: i64 = 1;
  for (let i = 0; i < n; i++) { const t = a + b; a = b; b = t; }
  return a;
}
export function sumSquares(n: i32): f64 {
  let s = 0.0;
  for (let i = 1; i <= n; i++) s += <f64>i * <f64>i;
  return Math.sqrt(s);
}
export function countPrimes(limit: i32): i32 {
  const sieve = new StaticArray<bool>(limit + 1);
  let count = 0;
  for (let i = 2; i <= limit; i++) {
    if (!sieve[i]) { count++; for (let j = i * i; j <= limit; j += i) sieve[j] = true; }
  }
  return count;
}
`;
const outputs = {};
const { error, stderr } = await asc.main(['input.ts', '--outFile', 'out.wasm', '--textFile', 'out.wat', '--optimize', '--runtime', 'stub'], {
  readFile: (name) => (name === 'input.ts' ? source : null),
  writeFile: (name, contents) => { outputs[name] = contents; },
  listFiles: () => [],
});
if (error) throw new Error(stderr.toString());
console.log(Object.keys(outputs).sort().join(), outputs['out.wasm'].length > 100);
const { instance } = await WebAssembly.instantiate(outputs['out.wasm'], { env: { abort: () => { throw new Error('abort'); } } });
console.log(instance.exports.fib(90), instance.exports.sumSquares(1000).toFixed(6));
console.log(instance.exports.countPrimes(10000));
console.log(outputs['out.wat'].split('\n').filter((l) => l.trim().startsWith('(func ')).map((l) => l.trim().split(' ').slice(0, 2).join(' ')).join(' | '));
const bad = await asc.main(['bad.ts', '--outFile', 'bad.wasm'], {
  readFile: (name) => (name === 'bad.ts' ? 'export function f(): i32 { return "str"; }' : null),
  writeFile: () => {},
  listFiles: () => [],
});
console.log('type error:', bad.error?.message, bad.stderr.toString().split('\n').filter((l) => /TS\d+|ERROR/.test(l)).map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim()).join(' / '));
