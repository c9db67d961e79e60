// node:timers/promises: setTimeout/setImmediate with values and AbortSignals, setInterval as an
// async iterator (ticks missed while the loop body runs are still yielded), scheduler.wait and
// scheduler.yield, an unref'd timer not holding the process.
import { setTimeout as sleep, setImmediate, setInterval, scheduler } from 'node:timers/promises';
import timers from 'node:timers';

console.log(await sleep(5, 'slept'), await setImmediate('immediate'), timers.promises.setTimeout === sleep);
const ac = new AbortController();
const pending = sleep(1000, 'never', { signal: ac.signal });
ac.abort(new Error('stop'));
await pending.catch((e) => console.log(e.name, e.code, e.message, e.cause.message));
await sleep(1, 'x', { signal: AbortSignal.abort() }).catch((e) => console.log('pre-aborted', e.name));
let n = 0;
for await (const v of setInterval(10, 'tick')) {
  n++;
  if (n === 2) await sleep(35);
  if (n === 5) break;
}
console.log('interval ticks', n);
const ac2 = new AbortController();
setTimeout(() => ac2.abort(), 30);
try {
  for await (const v of setInterval(10, 'tick', { signal: ac2.signal })) void v;
} catch (e) {
  console.log('interval aborted', e.name);
}
console.log(await scheduler.wait(5), await scheduler.yield());
sleep(60000, null, { ref: false }).then(() => console.log('never printed'));
console.log('done');
