// The values JS passes as externref: wasm holds an id, JS gets the very same value back.
// Every distinct value stays alive once passed (WAMR keeps its own index for it too).
'use strict';

const ids = new Map();
const values = [undefined]; // id 0 is never used: WAMR reads a 0 host value as null
let negativeZeroId = 0;

function toId(v) {
  if (Object.is(v, -0)) {
    if (negativeZeroId === 0) {
      negativeZeroId = values.length;
      values.push(-0);
    }
    return negativeZeroId;
  }
  let id = ids.get(v);
  if (id === undefined) {
    id = values.length;
    if (id >= 0xffffffff) throw new RangeError('too many distinct externref values');
    values.push(v);
    ids.set(v, id);
  }
  return id;
}

native.wasm.setExternRegistry(toId, (id) => values[id]);
