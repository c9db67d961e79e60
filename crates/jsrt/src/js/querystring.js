// jsrt:querystring — Node's URL query string parsing and formatting: parse/decode,
// stringify/encode, escape and unescape.
'use strict';

// Characters encodeURIComponent leaves alone: the same set Node's querystring keeps.
function escape(str) {
  return encodeURIComponent(`${str}`);
}

function unescape(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    // Malformed sequences: decode the valid %XX bytes one by one, keep the rest as they are.
    return s.replace(/(%[0-9a-fA-F]{2})+/g, (m) => {
      try {
        return decodeURIComponent(m);
      } catch {
        return m.replace(/%([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
      }
    });
  }
}

function valueString(v) {
  if (typeof v === 'string') return v;
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'bigint' || typeof v === 'boolean') return `${v}`;
  return '';
}

function stringify(obj, sep, eq, options) {
  sep ||= '&';
  eq ||= '=';
  const enc = options?.encodeURIComponent ?? escape;
  if (obj === null || typeof obj !== 'object') return '';
  const parts = [];
  for (const key of Object.keys(obj)) {
    const k = enc(valueString(key));
    const v = obj[key];
    if (Array.isArray(v)) {
      for (const item of v) parts.push(`${k}${eq}${enc(valueString(item))}`);
    } else {
      parts.push(`${k}${eq}${enc(valueString(v))}`);
    }
  }
  return parts.join(sep);
}

function parse(qs, sep, eq, options) {
  sep ||= '&';
  eq ||= '=';
  const out = Object.create(null);
  if (typeof qs !== 'string' || qs.length === 0) return out;
  const maxKeys = options?.maxKeys ?? 1000;
  const dec = options?.decodeURIComponent ?? unescape;
  let pairs = qs.split(sep);
  if (maxKeys > 0) pairs = pairs.slice(0, maxKeys);
  for (const pair of pairs) {
    if (pair === '') continue;
    const at = pair.indexOf(eq);
    const rawKey = at >= 0 ? pair.slice(0, at) : pair;
    const rawValue = at >= 0 ? pair.slice(at + eq.length) : '';
    const key = dec(rawKey.replace(/\+/g, ' '));
    const value = dec(rawValue.replace(/\+/g, ' '));
    if (!(key in out)) out[key] = value;
    else if (Array.isArray(out[key])) out[key].push(value);
    else out[key] = [out[key], value];
  }
  return out;
}

module.exports = { parse, stringify, escape, unescape, decode: parse, encode: stringify };
