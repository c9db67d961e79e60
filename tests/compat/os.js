// node:os read from /proc (cpus, memory, release, hostname, load, uptime, user), os.constants,
// fs.constants and process.binding('constants') (old emscripten's NODEFS reads it). Compared with Node.
const os = require('os');
console.log(typeof os.cpus()[0].model, os.cpus().length === os.availableParallelism() || os.cpus().length >= 1, Object.keys(os.cpus()[0].times).join());
console.log(os.totalmem() > 1e8, os.freemem() > 0 && os.freemem() <= os.totalmem(), os.release() === require('child_process').execSync('uname -r').toString().trim(), os.hostname() === require('child_process').execSync('hostname').toString().trim());
console.log(os.loadavg().length, os.uptime() > process.uptime(), os.machine(), os.devNull, os.userInfo().username === require('child_process').execSync('id -un').toString().trim());
console.log(JSON.stringify(os.constants.signals) , Object.keys(os.constants.errno).length, os.constants.priority.PRIORITY_HIGH);
console.log(JSON.stringify(require('fs').constants));
const b = process.binding('constants'); console.log(Object.keys(b).join(), b.fs.O_APPEND, b.os.signals.SIGTERM);
try { process.binding('nope'); } catch (e) { console.log(e.message); }
