// Reads a .cpuprofile (argv[2]) and prints what the CPU profiler test compares between jsrt's
// and Node's profiles of hot.cjs: the file is a well-formed profile, and the functions it shows
// with where they are and who calls them — not the counts, which differ between engines.
'use strict';
const fs = require('fs');
const p = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
const ok = (what, cond) => console.log(`${what}: ${cond ? 'ok' : 'WRONG'}`);
ok('ids unique', byId.size === p.nodes.length);
ok('children exist', p.nodes.every((n) => (n.children || []).every((c) => byId.has(c))));
ok('one root', p.nodes.filter((n) => !parent.has(n.id)).length === 1 && p.nodes[0].callFrame.functionName === '(root)');
ok('samples are nodes', p.samples.every((s) => byId.has(s)));
ok('a delta per sample', p.samples.length === p.timeDeltas.length && p.timeDeltas.every((d) => d >= 0));
ok('times', p.endTime >= p.startTime && p.startTime + p.timeDeltas.reduce((a, b) => a + b, 0) <= p.endTime);


// Self samples per function, and the caller chain of each of hot.cjs's and the wasm functions.
// A function as both engines name it. JS columns are left out: V8 puts a function at its
// parameter list, QuickJS at its start.
const key = (cf) => {
  if (cf.url.startsWith('wasm://')) return `${cf.functionName} ${cf.url.replace(/-?[0-9a-f]{8}$/, '-HASH')}:${cf.lineNumber}:${cf.columnNumber}`;
  return `${cf.functionName} ${cf.url.replace(/^.*\//, '')}:${cf.lineNumber}`;
};
const self = new Map();
for (const s of p.samples) {
  const k = key(byId.get(s).callFrame);
  self.set(k, (self.get(k) || 0) + 1);
}
const mine = (cf) => cf.url.endsWith('hot.cjs') || cf.url.startsWith('wasm://');
const callers = new Map();
for (const n of p.nodes) {
  if (!mine(n.callFrame) || !n.callFrame.functionName) continue;
  const chain = [];
  for (let id = parent.get(n.id); id !== undefined; id = parent.get(id)) {
    const cf = byId.get(id).callFrame;
    if (mine(cf) && cf.functionName !== n.callFrame.functionName) { chain.push(cf.functionName || '(top level)'); break; }
  }
  const k = key(n.callFrame);
  if (!callers.has(k)) callers.set(k, new Set());
  for (const c of chain) callers.get(k).add(c);
}
const total = p.samples.length;
const busy = total - (self.get('(idle) :-1') || 0) - (self.get('(program) :-1') || 0);
console.log('sampled:', total > 100, 'idle seen:', (self.get('(idle) :-1') || 0) > 10);
for (const k of [...callers.keys()].sort()) {
  // Hot: at least 5% of the samples taken running JS or wasm.
  const hot = (self.get(k) || 0) >= busy * 0.05;
  console.log(`${k} called by ${[...callers.get(k)].sort().join(', ') || '-'}${hot ? ' (hot)' : ''}`);
}
