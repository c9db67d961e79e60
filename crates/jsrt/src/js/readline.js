// jsrt:readline — createInterface over a readable stream (process.stdin or any Readable):
// 'line' events split on \n or \r\n, question(), prompt(), async iteration of lines, close();
// readline/promises' question() returns a promise. No terminal editing (history, cursor keys).
'use strict';

const EventEmitter = require('events');

class Interface extends EventEmitter {
  constructor(input, output, completer, terminal) {
    super();
    // createInterface(options) or createInterface(input, output, completer, terminal).
    const options = input?.input !== undefined ? input : { input, output, completer, terminal };
    this.input = options.input;
    this.output = options.output ?? null;
    this.terminal = !!options.terminal;
    this.closed = false;
    this.line = '';
    this._prompt = options.prompt ?? '> ';
    this._partial = '';
    this._questions = [];
    this._crlfDelay = options.crlfDelay ?? 100;
    this._onData = (chunk) => this._take(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    this._onEnd = () => {
      if (this._partial) this._line(this._partial);
      this._partial = '';
      this.close();
    };
    this.input.on('data', this._onData);
    this.input.on('end', this._onEnd);
    this.input.resume?.();
  }

  _take(text) {
    const lines = (this._partial + text).split(/\r?\n/);
    this._partial = lines.pop();
    for (const l of lines) {
      if (this.closed) break;
      this._line(l);
    }
  }

  _line(line) {
    const answer = this._questions.shift();
    if (answer) answer(line);
    else this.emit('line', line);
  }

  setPrompt(p) { this._prompt = `${p}`; }
  getPrompt() { return this._prompt; }
  prompt() { this.output?.write(this._prompt); }
  write(data) { if (typeof data === 'string') this._take(data); }

  question(query, options, cb) {
    if (typeof options === 'function') [options, cb] = [{}, options];
    if (this.closed) {
      const err = new Error('readline was closed');
      err.code = 'ERR_USE_AFTER_CLOSE';
      throw err;
    }
    this.output?.write(`${query}`);
    this._questions.push(cb);
  }

  pause() { this.input.pause?.(); this.emit('pause'); return this; }
  resume() { this.input.resume?.(); this.emit('resume'); return this; }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.input.removeListener('data', this._onData);
    this.input.removeListener('end', this._onEnd);
    this.input.pause?.();
    this.emit('close');
  }

  [Symbol.asyncIterator]() {
    const queued = [];
    let wake = null;
    let done = this.closed;
    const onLine = (l) => { queued.push(l); wake?.(); };
    const onClose = () => { done = true; wake?.(); };
    this.on('line', onLine);
    this.once('close', onClose);
    const rl = this;
    return {
      async next() {
        while (!queued.length && !done) await new Promise((r) => { wake = r; });
        wake = null;
        if (queued.length) return { value: queued.shift(), done: false };
        rl.removeListener('line', onLine);
        return { value: undefined, done: true };
      },
      async return() {
        rl.removeListener('line', onLine);
        rl.close();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() { return this; },
    };
  }
}

function createInterface(input, output, completer, terminal) {
  return new Interface(input, output, completer, terminal);
}

class PromisesInterface extends Interface {
  question(query, options) {
    return new Promise((resolve) => super.question(query, options ?? {}, resolve));
  }
}

const promises = {
  Interface: PromisesInterface,
  createInterface: (input, output, completer, terminal) => new PromisesInterface(input, output, completer, terminal),
};

module.exports = {
  Interface, createInterface, promises,
  clearLine: (stream, dir, cb) => { cb?.(); return true; },
  clearScreenDown: (stream, cb) => { cb?.(); return true; },
  cursorTo: (stream, x, y, cb) => { (typeof y === 'function' ? y : cb)?.(); return true; },
  moveCursor: (stream, dx, dy, cb) => { cb?.(); return true; },
  emitKeypressEvents: () => {},
};
