// The web's Worker (as in browsers and Deno; Node has none, so this is checked here and not
// against Node): classic and module workers, onmessage/addEventListener, importScripts,
// errors as ErrorEvents, close(), terminate(), MessageChannel ports across a worker.
const assert = require('jsrt:assert');
const path = require('jsrt:path');
const fixture = (f) => path.join(__dirname, 'fixtures', f);
const next = (target, type) => new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));

(async () => {
  assert.strictEqual(typeof Worker, 'function');
  assert.throws(() => new Worker(fixture('web-worker-classic.js'), { type: 'bogus' }), TypeError);

  const classic = new Worker(fixture('web-worker-classic.js'), { name: 'w1' });
  classic.postMessage({ a: [1, 2] });
  const e1 = await next(classic, 'message');
  assert.ok(e1 instanceof MessageEvent);
  assert.deepStrictEqual(e1.data, { echo: { a: [1, 2] }, helper: 'from helper', isSelf: true, name: 'w1' });

  // An uncaught error in the worker is an ErrorEvent on the Worker; handled, it goes no further.
  let seen;
  classic.onerror = (ev) => { seen = ev; ev.preventDefault(); };
  classic.postMessage('throw');
  await next(classic, 'error');
  assert.ok(seen.error instanceof RangeError);
  assert.strictEqual(seen.message, 'Uncaught RangeError: thrown in worker');

  const mod = new Worker(fixture('web-worker-module.mjs'), { type: 'module' });
  const got = next(mod, 'message');
  mod.postMessage(1);
  assert.strictEqual((await got).data, 42);

  // A port of a MessageChannel carried to a worker; terminate() ends a busy worker.
  const { port1, port2 } = new MessageChannel();
  const viaPort = next(port1, 'message');
  classic.postMessage({ port: port2 }, [port2]);
  assert.strictEqual((await viaPort).data, 'through the port');
  port1.close();
  classic.terminate();
  console.log('web worker ok');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
