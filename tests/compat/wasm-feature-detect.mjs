// wasm-feature-detect (hand-written probe modules): what WebAssembly.validate and compilation
// say of each proposal's smallest module, for every probe the package has. Two answers differ
// from Node 20's and are left out: extendedConst (jsrt has it, Node 20 not) and exceptions (the
// legacy exception-handling proposal: WAMR's fast interpreter has none; Node has it).
import * as detect from 'wasm-feature-detect';

const differ = ['exceptions', 'extendedConst'];
console.log(Object.keys(detect).length);
for (const name of Object.keys(detect).sort()) if (!differ.includes(name)) console.log(name, await detect[name]());
