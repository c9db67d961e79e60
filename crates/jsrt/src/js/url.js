// jsrt:url — the WHATWG URL classes (from internal/web) and Node's file URL helpers.
'use strict';

const web = require('internal/web');
module.exports = {
  URL: web.URL,
  URLSearchParams: web.URLSearchParams,
  fileURLToPath(u) { return native.fileURLToPath(typeof u === 'string' ? u : u.href); },
  pathToFileURL(p) {
    let resolved = require('path').resolve(p);
    // resolve() drops a trailing slash; Node keeps it (a directory URL, usable as a base).
    if (`${p}`.endsWith('/') && !resolved.endsWith('/')) resolved += '/';
    return new web.URL(native.pathToFileURL(resolved));
  },
  format(u) { return typeof u === 'string' ? u : u.href ?? String(u); },
  parse(s) {
    const u = new web.URL(s);
    return { protocol: u.protocol, host: u.host, hostname: u.hostname, port: u.port, pathname: u.pathname, search: u.search, hash: u.hash, href: u.href, query: u.search.slice(1), path: u.pathname + u.search };
  },
};
