// jsrt:timers/promises — setTimeout/setImmediate as promises (with AbortSignals and
// `ref: false`), setInterval as an async iterator, and `scheduler`; on the global timers.
'use strict';

// timers/promises: Node's AbortError when `signal` aborts (the signal's reason as its cause).
function timerAbortError(signal) {
  const err = new Error('The operation was aborted', { cause: signal.reason });
  err.name = 'AbortError';
  err.code = 'ABORT_ERR';
  return err;
}

// A promise of `value` once `schedule(resolve)` calls back, cancelled (`cancel(handle)`) and
// rejected when `options.signal` aborts; `options.ref === false` does not hold the loop.
function abortableTimer(schedule, cancel, value, options = {}) {
  const { signal, ref = true } = options ?? {};
  if (signal?.aborted) return Promise.reject(timerAbortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      cancel(handle);
      reject(timerAbortError(signal));
    };
    const handle = schedule(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    });
    if (!ref) handle?.unref?.();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

module.exports = {
  setTimeout: (delay, value, options) => abortableTimer((cb) => setTimeout(cb, delay), clearTimeout, value, options),
  setImmediate: (value, options) => abortableTimer((cb) => setImmediate(cb), clearImmediate, value, options),
  // An async iterator yielding `value` every `delay` ms (ticks that come while nobody waits
  // are counted, as in Node).
  async *setInterval(delay, value, options = {}) {
    const { signal, ref = true } = options ?? {};
    if (signal?.aborted) throw timerAbortError(signal);
    let pending = 0;
    let wake = null;
    const handle = setInterval(() => {
      pending++;
      wake?.();
    }, delay);
    if (!ref) handle.unref();
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (pending === 0) await new Promise((resolve) => { wake = resolve; });
        wake = null;
        if (signal?.aborted) throw timerAbortError(signal);
        for (; pending > 0; pending--) yield value;
      }
    } finally {
      clearInterval(handle);
      signal?.removeEventListener('abort', onAbort);
    }
  },
  scheduler: {
    wait: (delay, options) => abortableTimer((cb) => setTimeout(cb, delay), clearTimeout, undefined, options),
    yield: () => new Promise((resolve) => setImmediate(resolve)),
  },
};
