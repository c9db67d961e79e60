// jsrt:perf_hooks — the `performance` object (also a global) and PerformanceObserver for
// marks and measures.
'use strict';

const observers = new Set();

class PerformanceObserverEntryList {
  #entries;
  constructor(entries) { this.#entries = entries; }
  getEntries() { return [...this.#entries]; }
  getEntriesByType(type) { return this.#entries.filter((e) => e.entryType === type); }
  getEntriesByName(name, type) { return this.#entries.filter((e) => e.name === name && (type === undefined || e.entryType === type)); }
}

class PerformanceObserver {
  #callback;
  #types = new Set();
  constructor(callback) {
    if (typeof callback !== 'function') throw new TypeError('The "callback" argument must be of type function');
    this.#callback = callback;
  }
  observe(options = {}) {
    const types = options.entryTypes ?? (options.type ? [options.type] : []);
    for (const t of types) this.#types.add(t);
    observers.add(this);
  }
  disconnect() { observers.delete(this); this.#types.clear(); }
  static get supportedEntryTypes() { return ['mark', 'measure']; }
  #buffer = [];
  // Entries come in batches, in the order of their start times (as Node delivers them).
  _notify(entry) {
    if (!this.#types.has(entry.entryType)) return;
    if (this.#buffer.push(entry) > 1) return;
    queueMicrotask(() => {
      const batch = this.#buffer.splice(0).sort((a, b) => a.startTime - b.startTime);
      this.#callback(new PerformanceObserverEntryList(batch), this);
    });
  }
}

// User Timing: marks and measures (the global `performance` delegates here), seen by
// PerformanceObservers.
const perfEntries = [];
function perfEntry(name, entryType, startTime, duration, detail) {
  const entry = { name: `${name}`, entryType, startTime, duration, detail: detail ?? null };
  perfEntries.push(entry);
  for (const o of observers) o._notify(entry);
  return entry;
}
function markTime(m) {
  if (typeof m === 'number') return m;
  const found = perfEntries.findLast((e) => e.entryType === 'mark' && e.name === m);
  if (!found) throw new DOMException(`The "${m}" performance mark has not been set`, 'SyntaxError');
  return found.startTime;
}
const timing = {
  mark(name, options = {}) { return perfEntry(name, 'mark', options.startTime ?? native.now(), 0, options.detail); },
  measure(name, start, end) {
    const o = start !== null && typeof start === 'object' ? start : { start, end };
    const to = o.end !== undefined ? markTime(o.end) : o.duration !== undefined && o.start !== undefined ? markTime(o.start) + o.duration : native.now();
    const from = o.start !== undefined ? markTime(o.start) : o.duration !== undefined ? to - o.duration : 0;
    return perfEntry(name, 'measure', from, to - from, o.detail);
  },
  getEntries() { return [...perfEntries]; },
  getEntriesByName(name, type) { return perfEntries.filter((e) => e.name === name && (type === undefined || e.entryType === type)); },
  getEntriesByType(type) { return perfEntries.filter((e) => e.entryType === type); },
  clearMarks(name) { remove('mark', name); },
  clearMeasures(name) { remove('measure', name); },
};
function remove(type, name) {
  for (let i = perfEntries.length - 1; i >= 0; i--) {
    if (perfEntries[i].entryType === type && (name === undefined || perfEntries[i].name === name)) perfEntries.splice(i, 1);
  }
}

module.exports = { performance: globalThis.performance, PerformanceObserver, PerformanceObserverEntryList, constants: {}, _timing: timing };
