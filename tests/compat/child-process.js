// node:child_process compared with Node (crates/jsrt/tests/compat.rs): the Sync forms, exec
// and execFile with callbacks and util.promisify, spawn's events, exit codes, signals,
// timeouts, cwd/env/input, stdio inherit, and a program that does not exist (ENOENT).
const cp = require('node:child_process');
const util = require('util');
const out = (...a) => console.log(a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' '));

out('execSync', cp.execSync('echo hello; echo "$((6 * 7))"').toString());
out('execSync encoding', cp.execSync('printf abc', { encoding: 'utf8' }));
out('execSync input', cp.execSync('tr a-z A-Z', { input: 'shout' }).toString());
out('execSync cwd/env', cp.execSync('pwd; echo $FOO', { cwd: '/tmp', env: { FOO: 'bar', PATH: process.env.PATH } }).toString());
try { cp.execSync('exit 3', { stdio: 'pipe' }); } catch (e) { out('execSync status', e.status, e.signal, e.message.split('\n')[0]); }
out('execFileSync', cp.execFileSync('printf', ['%s-%s', 'a b', 'c']).toString());
try { cp.execFileSync('/definitely/not/here'); } catch (e) { out('execFileSync ENOENT', e.code, e.errno, e.syscall); }
const s = cp.spawnSync('sh', ['-c', 'echo out; echo err >&2; exit 5']);
out('spawnSync', s.status, s.signal, s.stdout.toString(), s.stderr.toString(), s.output.length, typeof s.pid);
const k = cp.spawnSync('sh', ['-c', 'kill -TERM $$']);
out('spawnSync signal', k.status, k.signal);
const t = cp.spawnSync('sleep', ['5'], { timeout: 100 });
out('spawnSync timeout', t.status, t.signal, t.error && t.error.code);
const missing = cp.spawnSync('no-such-program-jsrt');
out('spawnSync ENOENT', missing.status, missing.error.code, missing.error.syscall, missing.error.path);
out('spawnSync inherit', cp.spawnSync('echo', ['inherited'], { stdio: 'inherit' }).stdout);

(async () => {
  await new Promise((resolve) => cp.exec('echo $((1 + 2)); echo warn >&2', (err, stdout, stderr) => { out('exec', err, stdout, stderr); resolve(); }));
  await new Promise((resolve) => cp.exec('exit 7', (err, stdout) => { out('exec fail', err.code, err.killed, err.signal, err.cmd, stdout); resolve(); }));
  await new Promise((resolve) => cp.execFile('printf', ['%d', '42'], (err, stdout) => { out('execFile', err, stdout); resolve(); }));
  await new Promise((resolve) => cp.execFile('no-such-program-jsrt', (err) => { out('execFile ENOENT', err.code, err.syscall); resolve(); }));
  const { stdout } = await util.promisify(cp.exec)('echo promisified');
  out('promisify exec', stdout);
  try { await util.promisify(cp.execFile)('false'); } catch (e) { out('promisify execFile fail', e.code, e.stdout); }

  await new Promise((resolve) => {
    const child = cp.spawn('sh', ['-c', 'echo spawned; echo oops >&2; exit 2']);
    const seen = [];
    child.stdout.on('data', (d) => seen.push(['stdout', d.toString()]));
    child.stderr.on('data', (d) => seen.push(['stderr', d.toString()]));
    child.on('exit', (code, signal) => seen.push(['exit', code, signal]));
    child.on('close', (code, signal) => { seen.push(['close', code, signal]); out('spawn', seen, typeof child.pid); resolve(); });
  });
  await new Promise((resolve) => {
    const child = cp.spawn('sleep', ['10']);
    child.on('exit', (code, signal) => { out('spawn kill', code, signal, child.killed, child.signalCode); resolve(); });
    setTimeout(() => out('kill sent', child.kill('SIGKILL')), 50);
  });
  await new Promise((resolve) => {
    const child = cp.spawn('no-such-program-jsrt', ['x']);
    child.on('error', (e) => { out('spawn ENOENT', e.code, e.syscall, e.path, e.spawnargs); resolve(); });
  });
})();
