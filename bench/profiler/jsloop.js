// A JS-only computation for the profiler benchmark (bench/profiler/run): a loop with calls.
function step(s, i) {
  return (s + i * i) % 1000003;
}
const n = Number(process.argv[2] ?? 5000000);
let s = 0;
for (let i = 0; i < n; i++) s = step(s, i);
console.log(s);
