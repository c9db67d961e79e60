// child_process.spawn with live pipes: a conversation with `cat` (each answer read before the
// next line is written), output that arrives while the child still runs, a child piped into
// another, 5 MB through a pipe, a runtime child answering on stdin/stdout, 'yes' killed while
// it writes, event order, an unref'd detached child not holding the parent.
const { spawn, execFileSync } = require('node:child_process');
const log = [];
const out = (...a) => console.log(...a);

function conversation() {
  return new Promise((resolve) => {
    const cat = spawn('cat');
    const lines = ['one', 'two', 'three'];
    let i = 0;
    cat.stdout.setEncoding('utf8');
    cat.stdout.on('data', (d) => {
      out('cat answered', JSON.stringify(d), 'still running:', cat.exitCode === null);
      if (++i < lines.length) cat.stdin.write(lines[i] + '\n');
      else cat.stdin.end();
    });
    cat.on('close', (code) => { out('cat closed', code); resolve(); });
    cat.stdin.write(lines[0] + '\n');
  });
}

function whileRunning() {
  return new Promise((resolve) => {
    const sh = spawn('sh', ['-c', 'echo first; sleep 0.3; echo second >&2; sleep 0.2; echo third']);
    const events = [];
    sh.stdout.on('data', (d) => events.push(`out:${String(d).trim()}:${sh.exitCode === null ? 'running' : 'exited'}`));
    sh.stderr.on('data', (d) => events.push(`err:${String(d).trim()}:${sh.exitCode === null ? 'running' : 'exited'}`));
    let ended = false;
    sh.stdout.on('end', () => { ended = true; });
    sh.on('spawn', () => events.push('spawn'));
    sh.on('exit', (code) => events.push(`exit ${code}`));
    sh.on('close', (code) => { events.push(`close ${code}`); out(events.join(' | '), '| stdout ended before close:', ended); resolve(); });
  });
}

function piped() {
  return new Promise((resolve) => {
    const a = spawn('printf', ['pear\\napple\\nfig\\n']);
    const b = spawn('sort');
    a.stdout.pipe(b.stdin);
    let sorted = '';
    b.stdout.on('data', (d) => { sorted += d; });
    b.on('close', (code) => { out('sorted', JSON.stringify(sorted), code); resolve(); });
  });
}

function bulk() {
  return new Promise((resolve) => {
    const h = spawn('head', ['-c', '5000000', '/dev/zero']);
    let n = 0, chunks = 0;
    h.stdout.on('data', (d) => { n += d.length; chunks++; });
    h.on('close', (code) => { out('bulk bytes', n, 'several chunks:', chunks > 1, code); resolve(); });
  });
}

function runtimeChild() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', "process.stdin.setEncoding('utf8'); process.stdin.on('data', (d) => process.stdout.write(d.toUpperCase())); process.stdin.on('end', () => process.stdout.write('<eof>'));"]);
    let got = '';
    child.stdout.on('data', (d) => {
      got += d;
      if (got === 'HELLO ') child.stdin.end('world');
    });
    child.stdin.write('hello ');
    child.on('close', (code) => { out('runtime child', JSON.stringify(got), code); resolve(); });
  });
}

function killed() {
  return new Promise((resolve) => {
    const y = spawn('yes');
    let seen = 0;
    y.stdout.on('data', (d) => {
      seen += d.length;
      if (seen > 100000 && !y.killed) y.kill();
    });
    y.on('exit', (code, signal) => out('yes exit', code, signal, y.killed));
    y.on('close', (code, signal) => { out('yes close', code, signal, seen > 100000); resolve(); });
  });
}

(async () => {
  await conversation();
  await whileRunning();
  await piped();
  await bulk();
  await runtimeChild();
  await killed();
  // A detached, unref'd child with no pipes does not keep its parent running.
  const started = Date.now();
  execFileSync(process.execPath, ['-e', "require('child_process').spawn('sleep', ['5'], { stdio: 'ignore', detached: true }).unref(); console.log('parent done')"], { stdio: 'inherit' });
  out('parent waited less than 3 s:', Date.now() - started < 3000);
})();
