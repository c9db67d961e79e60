// The smallest jsrt program: `./x run examples/hello.js`.
console.log(`Hello from jsrt ${process.versions.jsrt} (QuickJS + WAMR) on ${process.platform}/${process.arch}`);
