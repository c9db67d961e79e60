// node:worker_threads, compared with Node: workerData, messages both ways (structured clone:
// Map, Set, Date, RegExp, BigInt, typed arrays, errors, cycles), transfer of ArrayBuffers and
// MessagePorts, SharedArrayBuffer + Atomics between threads (wait/notify both ways),
// receiveMessageOnPort, uncaught errors and exit codes, process.exit in a worker, terminate()
// of a worker busy in JS, in wasm or in Atomics.wait, DataCloneError, eval workers.
// Each step waits for the last, so the output's order is fixed.
const { Worker, MessageChannel, receiveMessageOnPort, isMainThread, threadId } = require('worker_threads');

const once = (emitter, name) => new Promise((resolve) => emitter.once(name, (...a) => resolve(a)));
// Each worker's exit is awaited from its start: a worker may end before the step that waits
// for it has seen its last message.
const watch = (w) => Object.assign(w, { exited: once(w, 'exit').then(([code]) => code) });
const run = (code, options = {}) => watch(new Worker(code, { eval: true, ...options }));
const exited = (w) => w.exited;

async function main() {
  console.log('main', isMainThread, threadId);

  // workerData and a reply.
  {
    const data = { n: 1, s: 'x', big: 2n ** 70n, d: new Date(86400000), re: /a+b/gi, m: new Map([['k', [1, 2]]]), set: new Set([1, 'two']), u8: new Uint8Array([1, 2, 3]), f64: new Float64Array([0.5, -0]), nested: { arr: [null, undefined, true] } };
    data.self = data;
    const w = run(`
      const { parentPort, workerData, isMainThread, threadId } = require('worker_threads');
      const d = workerData;
      parentPort.postMessage({ isMainThread, tid: typeof threadId, cyclic: d.self === d, keys: Object.keys(d), big: d.big, re: d.re.flags + d.re.source, m: [...d.m], set: [...d.set], u8: [...d.u8], negZero: Object.is(d.f64[1], -0), date: d.d.toISOString(), nested: d.nested });
    `, { workerData: data });
    const [msg] = await once(w, 'message');
    console.log('workerData', msg);
    console.log('exit', await exited(w));
  }

  // Messages both ways, errors cloned, an ArrayBuffer transferred.
  {
    const w = run(`
      const { parentPort } = require('worker_threads');
      parentPort.on('message', (m) => {
        if (m === 'bye') return parentPort.close();
        const err = new RangeError('bad ' + m.n, { cause: new TypeError('inner') });
        parentPort.postMessage({ got: m.n, len: m.buf.byteLength, first: new Uint8Array(m.buf)[0], err });
      });
    `);
    const buf = new Uint8Array([7, 8, 9]).buffer;
    w.postMessage({ n: 1, buf }, [buf]);
    console.log('transferred: length', buf.byteLength);
    const [reply] = await once(w, 'message');
    console.log('reply', reply.got, reply.len, reply.first, reply.err instanceof RangeError, reply.err.message, reply.err.cause instanceof TypeError, reply.err.cause.message);
    w.postMessage('bye');
    console.log('exit', await exited(w));
  }

  // A SharedArrayBuffer is shared: Atomics between threads, wait/notify both ways.
  {
    const sab = new SharedArrayBuffer(16);
    const ia = new Int32Array(sab);
    const w = run(`
      const { parentPort, workerData } = require('worker_threads');
      const ia = new Int32Array(workerData);
      for (let i = 0; i < 1000; i++) Atomics.add(ia, 1, 1);
      Atomics.store(ia, 0, 1);
      Atomics.notify(ia, 0);
      const r = Atomics.wait(ia, 2, 0, 5000);
      parentPort.postMessage({ r, seen: Atomics.load(ia, 3) });
    `, { workerData: sab });
    for (let i = 0; i < 1000; i++) Atomics.add(ia, 1, 1);
    const r = Atomics.wait(ia, 0, 0, 5000);
    console.log('main waited', r === 'ok' || r === 'not-equal', 'count', Atomics.load(ia, 1));
    const msgP = once(w, 'message');
    await new Promise((r) => setTimeout(r, 50));
    Atomics.store(ia, 3, 42);
    Atomics.store(ia, 2, 1);
    console.log('notified', Atomics.notify(ia, 2));
    const [msg] = await msgP;
    console.log('worker waited', msg);
    console.log('exit', await exited(w));
  }

  // MessageChannel: a port transferred to a worker; receiveMessageOnPort.
  {
    const { port1, port2 } = new MessageChannel();
    const w = run(`
      const { parentPort } = require('worker_threads');
      parentPort.once('message', ({ port }) => {
        port.postMessage('via port');
        port.postMessage({ second: true });
        port.close();
      });
    `);
    w.postMessage({ port: port2 }, [port2]);
    console.log('exit', await exited(w));
    console.log('receive', receiveMessageOnPort(port1), receiveMessageOnPort(port1), receiveMessageOnPort(port1));
    port1.close();
    const c = new MessageChannel();
    c.port1.postMessage({ local: [1, 2] });
    console.log('local', receiveMessageOnPort(c.port2));
    c.port1.close();
  }

  // Values that cannot be cloned: DataCloneError, nothing sent.
  {
    const { port1, port2 } = new MessageChannel();
    for (const bad of [() => 1, Symbol('s'), new WeakMap(), { p: Promise.resolve() }]) {
      try {
        port1.postMessage(bad);
        console.log('cloned?', typeof bad);
      } catch (e) {
        console.log(e.name, e instanceof DOMException, e.code);
      }
    }
    try {
      port1.postMessage(port2);
    } catch (e) {
      console.log('port not in transfer list:', e.name);
    }
    port1.close();
  }

  // An uncaught error in a worker is an 'error' event, then exit code 1.
  {
    const w = run(`throw new TypeError('boom in worker')`);
    const [err] = await once(w, 'error');
    console.log('error event', err instanceof TypeError, err.message);
    console.log('exit', await exited(w));
    const w2 = run(`Promise.reject(new Error('rejected in worker'))`);
    const [err2] = await once(w2, 'error');
    console.log('rejection', err2.message, 'exit', await exited(w2));
  }

  // process.exit(code) ends the worker only; 'exit' listeners in the worker run.
  {
    const w = run(`
      const { parentPort } = require('worker_threads');
      process.on('exit', (c) => parentPort.postMessage('exiting ' + c));
      try { process.exit(7); } finally { parentPort.postMessage('not reached'); }
    `);
    const [m] = await once(w, 'message');
    console.log(m, 'exit', await exited(w));
    const w2 = run(`process.exitCode = 3`);
    console.log('exitCode', await exited(w2));
  }

  // terminate() stops a worker in a JS loop, in a wasm loop and in Atomics.wait.
  {
    const spin = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 8, 1, 4, 115, 112, 105, 110, 0, 0, 10, 9, 1, 7, 0, 3, 64, 12, 0, 11, 11]);
    const workers = [
      run(`require('worker_threads').parentPort.postMessage('js'); for (;;) {}`),
      run(`const i = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(${JSON.stringify([...spin])}))); require('worker_threads').parentPort.postMessage('wasm'); i.exports.spin();`),
      run(`require('worker_threads').parentPort.postMessage('wait'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);`),
    ];
    let errors = 0;
    for (const w of workers) w.on('error', () => errors++);
    const ready = await Promise.all(workers.map((w) => once(w, 'message').then(([m]) => m)));
    console.log('busy', ready);
    console.log('terminated', await Promise.all(workers.map((w) => w.terminate())), 'errors', errors);
  }

  // resourceLimits: a worker past its heap limit ends with ERR_WORKER_OUT_OF_MEMORY; one with a
  // small stack overflows it with a RangeError it can catch.
  {
    const w = run(`const a = []; for (;;) a.push(new Array(100000).fill(1.5));`, { resourceLimits: { maxOldGenerationSizeMb: 16 } });
    // (Node emits this worker's 'exit' before its 'error': wait for both at once.)
    const [[err], code] = await Promise.all([once(w, 'error'), exited(w)]);
    console.log('out of memory', err.name, err.code, 'exit', code);
    const s = run(`function f() { return f() + 1; } try { f(); } catch (e) { require('worker_threads').parentPort.postMessage(e.name); }`, { resourceLimits: { stackSizeMb: 1 } });
    const [m] = await once(s, 'message');
    console.log('stack', m, 'exit', await exited(s));
  }

  // A worker from a file, with argv.
  {
    const w = watch(new Worker(require('path').join(__dirname, 'fixtures', 'worker-echo.js'), { argv: ['a1'], workerData: 'file' }));
    const [m] = await once(w, 'message');
    console.log('file worker', JSON.stringify(m));
    console.log('exit', await exited(w));
  }
}

main().catch((e) => {
  console.log('FAILED', e);
  process.exitCode = 1;
});
