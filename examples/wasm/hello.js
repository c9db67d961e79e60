// jsrt examples/wasm/hello.js: a module that calls back into JavaScript through an import.
const path = require('jsrt:path');
const { wasmFromWat } = require('./wat.js');

WebAssembly.instantiate(wasmFromWat(path.join(__dirname, 'hello.wat')), {
  env: { log: (i) => console.log(`hello from WebAssembly, call #${i}`) },
}).then(({ instance }) => instance.exports.hello(3));
