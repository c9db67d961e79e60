// AsyncLocalStorage (node:async_hooks) compared with Node (crates/jsrt/tests/compat.rs): the
// store follows await, then, timers, immediates, next ticks, promises settled later by native
// work (fs.promises), nested and concurrent runs, exit, enterWith, bind/snapshot, AsyncResource.
const { AsyncLocalStorage, AsyncResource } = require('node:async_hooks');
const fsp = require('fs').promises;
const als = new AsyncLocalStorage();
const other = new AsyncLocalStorage();
const seen = [];
const note = (label) => seen.push(`${label}=${JSON.stringify(als.getStore() ?? null)}/${JSON.stringify(other.getStore() ?? null)}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function task(id, delay) {
  note(`start${id}`);
  await sleep(delay);
  note(`afterSleep${id}`);
  await fsp.readFile(__filename);
  note(`afterRead${id}`);
  await Promise.resolve().then(() => note(`then${id}`));
  return als.getStore();
}

(async () => {
  note('outside');
  const results = await Promise.all([
    als.run({ id: 1 }, () => task(1, 10)),
    als.run({ id: 2 }, () => task(2, 5)),
  ]);
  // The two tasks interleave by timing: their lines are compared in sorted order.
  seen.sort();
  seen.push(`results=${JSON.stringify(results)}`);
  note('after all');
  await new Promise((done) => als.run('cb', () => {
    setTimeout(() => { note('timeout'); setImmediate(() => { note('immediate'); process.nextTick(() => { note('tick'); done(); }); }); }, 1);
  }));
  als.run('outer', () => other.run('inner', () => {
    note('nested');
    als.exit(() => note('exited'));
  }));
  const bound = als.run('bound', () => AsyncLocalStorage.bind(() => note('bound call')));
  bound();
  const snap = als.run('snap', () => AsyncLocalStorage.snapshot());
  snap(() => note('snapshot'));
  const resource = als.run('res', () => new AsyncResource('X'));
  resource.runInAsyncScope(() => note('resource'));
  await als.run('chain', () => Promise.resolve(1).then(() => sleep(1)).then(() => note('chained')));
  als.enterWith('entered');
  note('enterWith');
  await sleep(1);
  note('enterWith after await');
  for (const s of seen) console.log(s);
})();
