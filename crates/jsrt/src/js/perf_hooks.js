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

internal.onPerformanceEntry = (entry) => {
  for (const o of observers) o._notify(entry);
};

module.exports = { performance: globalThis.performance, PerformanceObserver, PerformanceObserverEntryList, constants: {} };
