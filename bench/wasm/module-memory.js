// RSS growth per compiled copy of a module (argv[2]): three `new WebAssembly.Module` of the
// same bytes. Run under two jsrt builds to compare what a change costs in memory (bench/README).
const fs = require('node:fs');
const bytes = fs.readFileSync(process.argv[2]);
const before = process.memoryUsage().rss;
const modules = [];
for (let i = 0; i < 3; i++) modules.push(new WebAssembly.Module(bytes));
const after = process.memoryUsage().rss;
console.log(`${(bytes.length / 1048576).toFixed(1)} MiB module: +${((after - before) / 3 / 1048576).toFixed(1)} MiB RSS per compiled copy`);
