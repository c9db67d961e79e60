// internal/events-on — events.on(emitter, name, { signal }): an async iterator of the
// argument arrays of each `name` event; an 'error' event rejects it, `return()` stops
// listening.
'use strict';

module.exports = function on(emitter, name, options = {}) {
  const queued = [];
  const waiting = [];
  let error = null;
  let done = false;
  const settle = (item) => (waiting.length ? waiting.shift().resolve(item) : queued.push(item));
  const onEvent = (...args) => settle({ value: args, done: false });
  const onError = (err) => {
    done = true;
    if (waiting.length) waiting.shift().reject(err);
    else error = err;
    cleanup();
  };
  const cleanup = () => {
    emitter.removeListener(name, onEvent);
    emitter.removeListener('error', onError);
    options.signal?.removeEventListener?.('abort', abort);
  };
  const abort = () => onError(Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' }));
  emitter.on(name, onEvent);
  if (name !== 'error') emitter.on('error', onError);
  options.signal?.addEventListener?.('abort', abort, { once: true });
  return {
    next() {
      if (queued.length) return Promise.resolve(queued.shift());
      if (error) {
        const e = error;
        error = null;
        return Promise.reject(e);
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return() {
      done = true;
      cleanup();
      for (const w of waiting.splice(0)) w.resolve({ value: undefined, done: true });
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(err) {
      onError(err);
      return Promise.reject(err);
    },
    [Symbol.asyncIterator]() { return this; },
  };
};
