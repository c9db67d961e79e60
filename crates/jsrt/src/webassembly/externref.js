// The values JS passes as externref: wasm holds an id, JS gets the very same value back.
//
// Ids are reused: when the number of live ids has doubled since the last time (at least
// 1024), and no call into wasm is running, the ids no instance's globals or tables hold any
// more (native.wasm.externLive) are forgotten — except ids used since the last collection,
// which may belong to a conversion in progress (earlier arguments of the same call).
'use strict';

const ids = new Map();
const values = [undefined]; // id 0 is never used: WAMR reads a 0 host value as null
const lastUse = [0];
const free = [];
let epoch = 1;
let negativeZeroId = 0;
let liveAfterCollect = 0;

function collect() {
  const live = native.wasm.externLive();
  if (live === null) return;
  const keep = new Set(live);
  for (let id = 1; id < values.length; id++) {
    if (lastUse[id] === 0 || keep.has(id) || lastUse[id] === epoch) continue;
    const v = values[id];
    if (id === negativeZeroId) negativeZeroId = 0;
    else ids.delete(v);
    values[id] = undefined;
    lastUse[id] = 0;
    free.push(id);
  }
  epoch++;
  liveAfterCollect = values.length - 1 - free.length;
}

function allocate(v) {
  const live = values.length - 1 - free.length;
  if (live >= 1024 && live >= 2 * liveAfterCollect) collect();
  let id = free.pop();
  if (id === undefined) {
    id = values.length;
    if (id >= 0xffffffff) throw new RangeError('too many distinct externref values');
    values.push(v);
    lastUse.push(epoch);
  } else {
    values[id] = v;
    lastUse[id] = epoch;
  }
  return id;
}

function toId(v) {
  if (Object.is(v, -0)) {
    if (negativeZeroId === 0) negativeZeroId = allocate(-0);
    lastUse[negativeZeroId] = epoch;
    return negativeZeroId;
  }
  let id = ids.get(v);
  if (id === undefined) {
    id = allocate(v);
    ids.set(v, id);
  } else {
    lastUse[id] = epoch;
  }
  return id;
}

native.wasm.setExternRegistry(toId, (id) => values[id]);
