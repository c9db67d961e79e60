// internal/inspect: util.inspect and util.format with Node's output format (the layout
// rules — compact=3, breakLength, array grouping — follow Node's lib/internal/util/inspect.js).
'use strict';

const defaultOptions = {
  showHidden: false,
  depth: 2,
  colors: false,
  customInspect: true,
  maxArrayLength: 100,
  maxStringLength: 10000,
  breakLength: 80,
  compact: 3,
  sorted: false,
  getters: false,
};

const customInspectSymbol = Symbol.for('nodejs.util.inspect.custom');
const keyStrRegExp = /^[a-zA-Z_][a-zA-Z_0-9]*$/;

const meta = [
  '\\x00', '\\x01', '\\x02', '\\x03', '\\x04', '\\x05', '\\x06', '\\x07',
  '\\b', '\\t', '\\n', '\\x0B', '\\f', '\\r', '\\x0E', '\\x0F',
  '\\x10', '\\x11', '\\x12', '\\x13', '\\x14', '\\x15', '\\x16', '\\x17',
  '\\x18', '\\x19', '\\x1A', '\\x1B', '\\x1C', '\\x1D', '\\x1E', '\\x1F',
];

function strEscape(str) {
  let quote = "'";
  if (str.includes("'")) {
    if (!str.includes('"')) quote = '"';
    else if (!str.includes('`') && !str.includes('${')) quote = '`';
  }
  let out = '';
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c === quote.charCodeAt(0) || c === 92 /* \ */) out += '\\' + str[i];
    else if (c < 32) out += meta[c];
    else if (c === 127) out += '\\x7F';
    else out += str[i];
  }
  return quote + out + quote;
}

const colors = {
  number: 33, bigint: 33, boolean: 33, undefined: 90, null: 1, string: 32, symbol: 32,
  date: 35, regexp: 31, special: 36, module: 4,
};

function stylize(ctx, str, type) {
  if (!ctx.colors || colors[type] === undefined) return str;
  return `\x1b[${colors[type]}m${str}\x1b[${type === 'null' ? 22 : type === 'module' ? 24 : 39}m`;
}

function formatNumber(n) {
  return Object.is(n, -0) ? '-0' : `${n}`;
}

function formatPrimitive(ctx, value) {
  switch (typeof value) {
    case 'string': {
      let trailer = '';
      if (value.length > ctx.maxStringLength) {
        const remaining = value.length - ctx.maxStringLength;
        value = value.slice(0, ctx.maxStringLength);
        trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
      }
      // Long strings are split on newlines when nested, as Node does.
      if (ctx.compact !== true && value.length > 16 && value.length > ctx.breakLength - ctx.indentationLvl - 4) {
        const parts = value.split(/(?<=\n)/);
        if (parts.length > 1) {
          return parts.map((l) => stylize(ctx, strEscape(l), 'string')).join(` +\n${' '.repeat(ctx.indentationLvl + 2)}`) + trailer;
        }
      }
      return stylize(ctx, strEscape(value), 'string') + trailer;
    }
    case 'number': return stylize(ctx, formatNumber(value), 'number');
    case 'bigint': return stylize(ctx, `${value}n`, 'bigint');
    case 'boolean': return stylize(ctx, `${value}`, 'boolean');
    case 'undefined': return stylize(ctx, 'undefined', 'undefined');
    case 'symbol': return stylize(ctx, value.toString(), 'symbol');
  }
  return String(value);
}

function getConstructorName(obj) {
  let o = obj;
  while (o !== null && o !== undefined) {
    const desc = Object.getOwnPropertyDescriptor(o, 'constructor');
    if (desc !== undefined && typeof desc.value === 'function' && desc.value.name !== '') {
      return desc.value.name;
    }
    o = Object.getPrototypeOf(o);
  }
  return null;
}

function getPrefix(constructor, tag, fallback, size = '') {
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== '' && constructor !== tag) return `${constructor}${size} [${tag}] `;
  return `${constructor}${size} `;
}

function formatValue(ctx, value, recurseTimes, typedArray) {
  if (typeof value !== 'object' && typeof value !== 'function') {
    return formatPrimitive(ctx, value);
  }
  if (value === null) return stylize(ctx, 'null', 'null');
  if (ctx.customInspect) {
    let maybeCustom;
    try { maybeCustom = value[customInspectSymbol]; } catch { maybeCustom = undefined; }
    if (typeof maybeCustom === 'function' && maybeCustom !== exports.inspect) {
      const depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
      const ret = maybeCustom.call(value, depth, { ...ctx, stylize: (s, t) => stylize(ctx, s, t) }, exports.inspect);
      if (ret !== value) {
        if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes);
        return ret.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`);
      }
    }
  }
  if (ctx.seen.includes(value)) {
    let index = 1;
    if (ctx.circular === undefined) {
      ctx.circular = new Map();
      ctx.circular.set(value, index);
    } else {
      index = ctx.circular.get(value);
      if (index === undefined) {
        index = ctx.circular.size + 1;
        ctx.circular.set(value, index);
      }
    }
    return stylize(ctx, `[Circular *${index}]`, 'special');
  }
  return formatRaw(ctx, value, recurseTimes, typedArray);
}

const kObjectType = 0;
const kArrayType = 1;
const kArrayExtrasType = 2;

const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(typedArrayProto, Symbol.toStringTag).get;
function isTypedArray(v) { return typedArrayTag.call(v) !== undefined; }
function isError(v) { return v instanceof Error || Object.prototype.toString.call(v) === '[object Error]'; }

// How an object is shown: its own keys to list, the braces, the formatter of its entries
// (array items, set members, ...), how extra keys are shown, and the text before the braces.
function shape(keys, braces, formatter = getEmptyFormatArray, extrasType = kObjectType, base = '') {
  return { keys, braces, formatter, extrasType, base };
}

function formatRaw(ctx, value, recurseTimes, typedArray) {
  const constructor = getConstructorName(value);
  let tag = value[Symbol.toStringTag];
  if (typeof tag !== 'string' || (tag !== '' && (ctx.showHidden ? Object.prototype.hasOwnProperty : Object.prototype.propertyIsEnumerable).call(value, Symbol.toStringTag))) {
    tag = '';
  }
  const filter = ctx.showHidden ? (k) => true : (k) => Object.prototype.propertyIsEnumerable.call(value, k);
  const ownKeys = () => {
    const names = ctx.showHidden ? Object.getOwnPropertyNames(value) : Object.keys(value);
    const symbols = Object.getOwnPropertySymbols(value).filter(filter);
    return symbols.length ? names.concat(symbols) : names;
  };
  // A string: the whole text (nothing to list).
  let s;
  if (Symbol.iterator in value || constructor === null) s = iterableShape(ctx, value, constructor, tag, ownKeys);
  if (s === undefined) s = objectShape(ctx, value, recurseTimes, typedArray, constructor, tag, ownKeys());
  if (typeof s === 'string') return s;
  return formatShape(ctx, value, recurseTimes, constructor, tag, s);
}

// Arrays, sets, maps, typed arrays and their iterators; undefined for other iterables.
function iterableShape(ctx, value, constructor, tag, ownKeys) {
  if (Array.isArray(value)) {
    const prefix = (constructor !== 'Array' || tag !== '') ? getPrefix(constructor, tag, 'Array', `(${value.length})`) : '';
    const keys = ownKeys().filter((k) => typeof k === 'symbol' || !isIndex(k));
    if (value.length === 0 && keys.length === 0) return `${prefix}[]`;
    return shape(keys, [`${prefix}[`, ']'], formatArray, kArrayExtrasType);
  }
  if (value instanceof Set || value instanceof Map) {
    const isSet = value instanceof Set;
    const prefix = getPrefix(constructor, tag, isSet ? 'Set' : 'Map', `(${value.size})`);
    const keys = ownKeys();
    if (value.size === 0 && keys.length === 0) return `${prefix}{}`;
    return shape(keys, [`${prefix}{`, '}'], isSet ? formatSet : formatMap);
  }
  if (isTypedArray(value)) {
    const keys = ownKeys().filter((k) => typeof k === 'symbol' || !isIndex(k));
    const prefix = getPrefix(constructor, tag, typedArrayTag.call(value), `(${value.length})`);
    if (value.length === 0 && keys.length === 0 && !ctx.showHidden) return `${prefix}[]`;
    return shape(keys, [`${prefix}[`, ']'], formatTypedArray, kArrayExtrasType);
  }
  if (tag === 'Map Iterator' || tag === 'Set Iterator') {
    return shape(ownKeys(), [`[${tag}] {`, '}'], (ctx, v, rt) => Array.from(v).map((e) => formatValue(ctx, e, rt)));
  }
  return undefined;
}

// Every other object: plain objects, functions, regexps, dates, errors, buffers, promises,
// weak collections, module namespaces, boxed primitives, class instances.
function objectShape(ctx, value, recurseTimes, typedArray, constructor, tag, keys) {
  const s = shape(keys, ['{', '}']);
  if (constructor === 'Object') {
    if (tag !== '') s.braces[0] = `${getPrefix(constructor, tag, 'Object')}{`;
    if (keys.length === 0) return `${s.braces[0]}}`;
  } else if (typeof value === 'function') {
    s.base = getFunctionBase(value, constructor, tag);
    if (keys.length === 0) return stylize(ctx, s.base, 'special');
  } else if (value instanceof RegExp) {
    s.base = RegExp.prototype.toString.call(value);
    const prefix = getPrefix(constructor, tag, 'RegExp');
    if (prefix !== 'RegExp ') s.base = `${prefix}${s.base}`;
    if (keys.length === 0 || recurseTimes > ctx.depth && ctx.depth !== null) return stylize(ctx, s.base, 'regexp');
  } else if (value instanceof Date) {
    s.base = Number.isNaN(value.getTime()) ? Date.prototype.toString.call(value) : Date.prototype.toISOString.call(value);
    const prefix = getPrefix(constructor, tag, 'Date');
    if (prefix !== 'Date ') s.base = `${prefix}${s.base}`;
    if (keys.length === 0) return stylize(ctx, s.base, 'date');
  } else if (isError(value)) {
    s.base = formatError(value, constructor, tag, ctx, keys);
    if (keys.length === 0) return s.base;
  } else if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)) {
    const prefix = getPrefix(constructor, tag, value instanceof ArrayBuffer ? 'ArrayBuffer' : 'SharedArrayBuffer');
    if (typedArray === undefined) {
      s.formatter = formatArrayBuffer;
    } else if (keys.length === 0) {
      return prefix + `{ byteLength: ${formatNumber(value.byteLength)} }`;
    }
    s.braces[0] = `${prefix}{`;
    keys.unshift('byteLength');
  } else if (value instanceof DataView) {
    s.braces[0] = `${getPrefix(constructor, tag, 'DataView')}{`;
    keys.unshift('byteLength', 'byteOffset', 'buffer');
  } else if (value instanceof Promise) {
    s.braces[0] = `${getPrefix(constructor, tag, 'Promise')}{`;
    s.formatter = formatPromise;
  } else if (value instanceof WeakSet || value instanceof WeakMap) {
    s.braces[0] = `${getPrefix(constructor, tag, value instanceof WeakSet ? 'WeakSet' : 'WeakMap')}{`;
    s.formatter = () => [stylize(ctx, '<items unknown>', 'special')];
  } else if (tag === 'Module' || (constructor === null && Object.prototype.toString.call(value) === '[object Module]')) {
    s.braces[0] = '[Module: null prototype] {';
    s.formatter = formatNamespace;
  } else if (isBoxed(value)) {
    s.base = getBoxedBase(value, ctx, keys, constructor, tag);
    if (keys.length === 0) return s.base;
  } else {
    if (keys.length === 0) return `${getCtxName(constructor, tag, 'Object')}{}`;
    s.braces[0] = `${getCtxName(constructor, tag, 'Object')}{`;
  }
  return s;
}

// The entries and keys of an object shown as `s` says, within the depth limit, with its
// circular-reference marker, joined on one line or several.
function formatShape(ctx, value, recurseTimes, constructor, tag, s) {
  const { keys, braces, formatter, extrasType } = s;
  let base = s.base;
  if (ctx.depth !== null && recurseTimes > ctx.depth) {
    let name = getCtxName(constructor, tag, 'Object').slice(0, -1);
    if (constructor !== null) name = `[${name}]`;
    return stylize(ctx, name, 'special');
  }
  recurseTimes += 1;
  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  let output;
  try {
    output = formatter(ctx, value, recurseTimes);
    for (let i = 0; i < keys.length; i++) {
      output.push(formatProperty(ctx, value, recurseTimes, keys[i], extrasType));
    }
  } finally {
    ctx.seen.pop();
  }
  if (ctx.circular !== undefined) {
    const index = ctx.circular.get(value);
    if (index !== undefined) {
      const reference = stylize(ctx, `<ref *${index}>`, 'special');
      if (ctx.compact !== true) base = base === '' ? reference : `${reference} ${base}`;
      else braces[0] = `${reference} ${braces[0]}`;
    }
  }
  if (ctx.sorted) {
    const cmp = ctx.sorted === true ? undefined : ctx.sorted;
    if (extrasType === kObjectType) output.sort(cmp);
  }
  const res = reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
  const budget = ctx.budget[ctx.indentationLvl] || 0;
  ctx.budget[ctx.indentationLvl] = budget + res.length;
  return res;
}

function getCtxName(constructor, tag, fallback) {
  if (constructor === null) return `[${fallback}: null prototype] ${tag !== '' ? `[${tag}] ` : ''}`;
  if (tag !== '' && constructor !== tag) return `${constructor} [${tag}] `;
  return `${constructor} `;
}

function isIndex(k) {
  return typeof k === 'string' && /^(0|[1-9][0-9]*)$/.test(k) && Number(k) < 4294967295;
}

function isBoxed(v) {
  return v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof BigInt || v instanceof Symbol;
}

function getBoxedBase(value, ctx, keys, constructor, tag) {
  let type, fn;
  if (value instanceof Number) { type = 'Number'; fn = Number.prototype.valueOf; }
  else if (value instanceof String) { type = 'String'; fn = String.prototype.valueOf; keys.splice(0, value.length); }
  else if (value instanceof Boolean) { type = 'Boolean'; fn = Boolean.prototype.valueOf; }
  else if (value instanceof BigInt) { type = 'BigInt'; fn = BigInt.prototype.valueOf; }
  else { type = 'Symbol'; fn = Symbol.prototype.valueOf; }
  let base = `[${type}`;
  if (type !== constructor) base += constructor === null ? ' (null prototype)' : ` (${constructor})`;
  base += `: ${formatPrimitive({ ...ctx, compact: true }, fn.call(value))}]`;
  if (tag !== '' && tag !== constructor) base += ` [${tag}]`;
  if (keys.length !== 0 || ctx.stylize === undefined) return base;
  return stylize(ctx, base, type.toLowerCase());
}

function getFunctionBase(value, constructor, tag) {
  const src = Function.prototype.toString.call(value);
  if (src.startsWith('class') && /^class(\s|\{)/.test(src)) {
    let base = `[class ${value.name || '(anonymous)'}`;
    const superName = Object.getPrototypeOf(value).name;
    if (superName) base += ` extends ${superName}`;
    return base + ']';
  }
  let type = 'Function';
  if (constructor === 'AsyncFunction') type = 'AsyncFunction';
  else if (constructor === 'GeneratorFunction') type = 'GeneratorFunction';
  else if (constructor === 'AsyncGeneratorFunction') type = 'AsyncGeneratorFunction';
  let base = `[${type}`;
  if (constructor === null) base += ' (null prototype)';
  base += value.name === '' ? ' (anonymous)' : `: ${value.name}`;
  base += ']';
  if (constructor !== type && constructor !== null) base += ` ${constructor}`;
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
  return base;
}

function formatError(err, constructor, tag, ctx, keys) {
  const name = err.name != null ? String(err.name) : 'Error';
  const message = err.message != null ? String(err.message) : '';
  let stack = typeof err.stack === 'string' ? err.stack.replace(/\n$/, '') : '';
  const header = message ? `${name}: ${message}` : name;
  if (!stack) stack = `[${header}]`;
  // A stack without the header (user-replaced Error.prepareStackTrace) gets it back.
  else if (/^\s+at /.test(stack)) stack = `${header}\n${stack}`;
  // Hide "name"/"message"/"stack" own properties from the key list, as Node does.
  for (const k of ['name', 'message', 'stack']) {
    const i = keys.indexOf(k);
    if (i !== -1 && (k !== 'name' || stack.includes(String(err[k])))) keys.splice(i, 1);
  }
  if ('cause' in err && (keys.length === 0 || !keys.includes('cause'))) keys.push('cause');
  if (Array.isArray(err.errors) && !keys.includes('errors')) keys.push('errors');
  if (ctx.indentationLvl !== 0) {
    const indentation = ' '.repeat(ctx.indentationLvl);
    stack = stack.replaceAll('\n', `\n${indentation}`);
  }
  return stack;
}

function getEmptyFormatArray() { return []; }

function formatArray(ctx, value, recurseTimes) {
  const len = value.length;
  const max = Math.min(Math.max(0, ctx.maxArrayLength), len);
  const remaining = len - max;
  const output = [];
  for (let i = 0; i < max; i++) {
    if (!Object.prototype.hasOwnProperty.call(value, i)) {
      // Count a run of holes.
      let j = i;
      while (j < max && !Object.prototype.hasOwnProperty.call(value, j)) j++;
      const n = j - i;
      output.push(stylize(ctx, `<${n} empty item${n > 1 ? 's' : ''}>`, 'undefined'));
      i = j - 1;
      continue;
    }
    output.push(formatProperty(ctx, value, recurseTimes, i, kArrayType));
  }
  if (remaining > 0) output.push(`... ${remaining} more item${remaining > 1 ? 's' : ''}`);
  return output;
}

function formatTypedArray(ctx, value, recurseTimes) {
  const length = value.length;
  const max = Math.min(Math.max(0, ctx.maxArrayLength), length);
  const remaining = length - max;
  const output = new Array(max);
  const elementFormatter = typeof value[0] === 'bigint' ? (c, n) => stylize(c, `${n}n`, 'bigint') : (c, n) => stylize(c, formatNumber(n), 'number');
  for (let i = 0; i < max; ++i) output[i] = elementFormatter(ctx, value[i]);
  if (remaining > 0) output[max] = `... ${remaining} more item${remaining > 1 ? 's' : ''}`;
  if (ctx.showHidden) {
    ctx.indentationLvl += 2;
    for (const key of ['BYTES_PER_ELEMENT', 'length', 'byteLength', 'byteOffset', 'buffer']) {
      output.push(`[${key}]: ${formatValue(ctx, value[key], recurseTimes, true)}`);
    }
    ctx.indentationLvl -= 2;
  }
  return output;
}

function formatArrayBuffer(ctx, value) {
  let bytes;
  try { bytes = new Uint8Array(value); } catch { return [stylize(ctx, '(detached)', 'special')]; }
  const max = Math.min(ctx.maxArrayLength, bytes.length);
  let str = '';
  for (let i = 0; i < max; i++) str += (i ? ' ' : '') + bytes[i].toString(16).padStart(2, '0');
  const remaining = bytes.length - max;
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  return [`${stylize(ctx, '[Uint8Contents]', 'special')}: <${str}>`];
}

function formatSet(ctx, value, recurseTimes) {
  const output = [];
  ctx.indentationLvl += 2;
  for (const v of value) output.push(formatValue(ctx, v, recurseTimes));
  ctx.indentationLvl -= 2;
  return output;
}

function formatMap(ctx, value, recurseTimes) {
  const output = [];
  ctx.indentationLvl += 2;
  for (const [k, v] of value) {
    output.push(`${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`);
  }
  ctx.indentationLvl -= 2;
  return output;
}

function formatPromise(ctx, value, recurseTimes) {
  const [state, result] = native.promiseState(value);
  if (state === 0) return [stylize(ctx, '<pending>', 'special')];
  ctx.indentationLvl += 2;
  const str = formatValue(ctx, result, recurseTimes);
  ctx.indentationLvl -= 2;
  return [state === 2 ? `${stylize(ctx, '<rejected>', 'special')} ${str}` : str];
}

function formatNamespace(ctx, value, recurseTimes) {
  const output = [];
  for (const key of Object.keys(value)) {
    let v;
    try { v = formatValue(ctx, value[key], recurseTimes); } catch { v = stylize(ctx, '<uninitialized>', 'special'); }
    output.push(`${formatKey(ctx, key)}: ${v}`);
  }
  return output;
}

function formatKey(ctx, key) {
  if (typeof key === 'symbol') return `[${stylize(ctx, key.toString(), 'symbol')}]`;
  if (keyStrRegExp.test(key)) return key;
  return stylize(ctx, strEscape(key), 'string');
}

function formatProperty(ctx, value, recurseTimes, key, type) {
  let name, str;
  let extra = ' ';
  const desc = Object.getOwnPropertyDescriptor(value, key) || { value: value[key], enumerable: true };
  if (desc.value !== undefined || !('get' in desc || 'set' in desc)) {
    const diff = (ctx.compact !== true || type !== kObjectType) ? 2 : 3;
    ctx.indentationLvl += diff;
    str = formatValue(ctx, desc.value, recurseTimes);
    if (diff === 3 && ctx.breakLength < str.length) extra = `\n${' '.repeat(ctx.indentationLvl)}`;
    ctx.indentationLvl -= diff;
  } else if (desc.get !== undefined) {
    const label = desc.set !== undefined ? 'Getter/Setter' : 'Getter';
    if (ctx.getters) {
      try {
        const tmp = desc.get.call(value);
        ctx.indentationLvl += 2;
        str = `${stylize(ctx, `[${label}:`, 'special')} ${formatValue(ctx, tmp, recurseTimes)}${stylize(ctx, ']', 'special')}`;
        ctx.indentationLvl -= 2;
      } catch (err) {
        str = `${stylize(ctx, `[${label}: <Inspection threw (${err.message})>]`, 'special')}`;
      }
    } else {
      str = stylize(ctx, `[${label}]`, 'special');
    }
  } else if (desc.set !== undefined) {
    str = stylize(ctx, '[Setter]', 'special');
  } else {
    str = stylize(ctx, 'undefined', 'undefined');
  }
  if (type === kArrayType) return str;
  if (typeof key === 'symbol') name = `[${stylize(ctx, key.toString(), 'symbol')}]`;
  else if (desc.enumerable === false) name = `[${key}]`;
  else if (keyStrRegExp.test(key)) name = stylize(ctx, key, 'name');
  else name = stylize(ctx, strEscape(key), 'string');
  return `${name}:${extra}${str}`;
}

function groupArrayElements(ctx, output, value) {
  let totalLength = 0;
  let maxLength = 0;
  let i = 0;
  let outputLength = output.length;
  if (ctx.maxArrayLength < output.length) outputLength--;
  const separatorSpace = 2;
  const dataLen = new Array(outputLength);
  for (; i < outputLength; i++) {
    const len = ctx.colors ? output[i].replace(/\x1b\[\d\d?m/g, '').length : output[i].length;
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength &&
      (totalLength / actualMax > 5 || maxLength <= 6)) {
    const approxCharHeights = 2.5;
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(approxCharHeights * biasedMax * outputLength) / biasedMax),
      Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      ctx.compact * 4,
      15,
    );
    if (columns <= 1) return output;
    const tmp = [];
    const maxLineLength = [];
    for (let i = 0; i < columns; i++) {
      let lineLength = 0;
      for (let j = i; j < output.length; j += columns) {
        if (dataLen[j] > lineLength) lineLength = dataLen[j];
      }
      maxLineLength.push(lineLength + separatorSpace);
    }
    let padStart = true;
    if (value !== undefined) {
      for (let i = 0; i < output.length; i++) {
        if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') {
          padStart = false;
          break;
        }
      }
    }
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let str = '';
      let j = i;
      for (; j < max - 1; j++) {
        const padding = maxLineLength[j - i] + output[j].length - dataLen[j];
        str += padStart ? `${output[j]}, `.padStart(padding, ' ') : `${output[j]}, `.padEnd(padding, ' ');
      }
      if (padStart) {
        const padding = maxLineLength[j - i] + output[j].length - dataLen[j] - separatorSpace;
        str += output[j].padStart(padding, ' ');
      } else {
        str += output[j];
      }
      tmp.push(str);
    }
    if (ctx.maxArrayLength < output.length) tmp.push(output[outputLength]);
    output = tmp;
  }
  return output;
}

function isBelowBreakLength(ctx, output, start, base) {
  let totalLength = output.length + start;
  if (totalLength + output.length > ctx.breakLength) return false;
  for (let i = 0; i < output.length; i++) {
    totalLength += ctx.colors ? output[i].replace(/\x1b\[\d\d?m/g, '').length : output[i].length;
    if (totalLength > ctx.breakLength) return false;
  }
  return base === '' || !base.includes('\n');
}

function reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value) {
  if (ctx.compact !== true) {
    if (typeof ctx.compact === 'number' && ctx.compact >= 1) {
      const entries = output.length;
      if (extrasType === kArrayExtrasType && entries > 6) {
        output = groupArrayElements(ctx, output, value);
      }
      if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
        const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
        if (isBelowBreakLength(ctx, output, start, base)) {
          const joined = output.join(', ');
          if (!joined.includes('\n')) {
            return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`;
          }
        }
      }
    }
    const indentation = `\n${' '.repeat(ctx.indentationLvl)}`;
    return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
  }
  if (isBelowBreakLength(ctx, output, 0, base)) {
    return `${braces[0]}${base ? ` ${base}` : ''} ${output.join(', ')} ${braces[1]}`;
  }
  const indentation = `\n${' '.repeat(ctx.indentationLvl)}`;
  const ln = base === '' && braces[0].length === 1 ? ' ' : `${base ? ` ${base}` : ''}\n${indentation}  `;
  return `${braces[0]}${ln}${output.join(`,\n${indentation}  `)} ${braces[1]}`;
}


function inspect(value, opts) {
  const ctx = {
    budget: {},
    indentationLvl: 0,
    seen: [],
    currentDepth: 0,
    stylize,
    ...defaultOptions,
  };
  if (typeof opts === 'boolean') {
    ctx.showHidden = opts;
    if (arguments.length >= 3 && arguments[2] !== undefined) ctx.depth = arguments[2];
    if (arguments.length >= 4 && arguments[3] !== undefined) ctx.colors = arguments[3];
  } else if (opts !== null && typeof opts === 'object') {
    for (const key of Object.keys(opts)) {
      if (key in defaultOptions || key === 'stylize') ctx[key] = opts[key];
    }
  }
  if (ctx.depth === Infinity) ctx.depth = null;
  if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
  if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
  return formatValue(ctx, value, 0);
}
inspect.custom = customInspectSymbol;
inspect.defaultOptions = defaultOptions;

function formatWithOptions(inspectOptions, ...args) {
  const first = args[0];
  let a = 0;
  let str = '';
  let join = '';
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    let tempStr;
    let lastPos = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) === 37) { // '%'
        const nextChar = first.charCodeAt(++i);
        if (a + 1 !== args.length) {
          switch (nextChar) {
            case 115: { // 's'
              const tempArg = args[++a];
              if (typeof tempArg === 'number') tempStr = formatNumber(tempArg);
              else if (typeof tempArg === 'bigint') tempStr = `${tempArg}n`;
              else if (typeof tempArg !== 'object' || tempArg === null || !hasBuiltInToString(tempArg)) tempStr = String(tempArg);
              else tempStr = inspect(tempArg, { ...inspectOptions, depth: 0, colors: false, compact: 3 });
              break;
            }
            case 106: // 'j'
              tempStr = tryStringify(args[++a]);
              break;
            case 100: { // 'd'
              const tempNum = args[++a];
              if (typeof tempNum === 'bigint') tempStr = `${tempNum}n`;
              else if (typeof tempNum === 'symbol') tempStr = 'NaN';
              else tempStr = formatNumber(Number(tempNum));
              break;
            }
            case 79: // 'O'
              tempStr = inspect(args[++a], inspectOptions);
              break;
            case 111: // 'o'
              tempStr = inspect(args[++a], { ...inspectOptions, showHidden: true, showProxy: true, depth: 4 });
              break;
            case 105: { // 'i'
              const tempInteger = args[++a];
              if (typeof tempInteger === 'bigint') tempStr = `${tempInteger}n`;
              else if (typeof tempInteger === 'symbol') tempStr = 'NaN';
              else tempStr = formatNumber(Number.parseInt(tempInteger));
              break;
            }
            case 102: { // 'f'
              const tempFloat = args[++a];
              tempStr = typeof tempFloat === 'symbol' ? 'NaN' : formatNumber(Number.parseFloat(tempFloat));
              break;
            }
            case 99: // 'c'
              a += 1;
              tempStr = '';
              break;
            case 37: // '%'
              str += first.slice(lastPos, i);
              lastPos = i + 1;
              continue;
            default:
              continue;
          }
          if (lastPos !== i - 1) str += first.slice(lastPos, i - 1);
          str += tempStr;
          lastPos = i + 1;
        } else if (nextChar === 37) {
          str += first.slice(lastPos, i);
          lastPos = i + 1;
        }
      }
    }
    if (lastPos !== 0) {
      a++;
      join = ' ';
      if (lastPos < first.length) str += first.slice(lastPos);
    }
  }
  while (a < args.length) {
    const value = args[a];
    str += join;
    str += typeof value !== 'string' ? inspect(value, inspectOptions) : value;
    join = ' ';
    a++;
  }
  return str;
}

function hasBuiltInToString(value) {
  // An object whose toString is its own (not Object/Error's default) prints via String().
  let o = value;
  while (o !== null && typeof o === 'object') {
    if (Object.prototype.hasOwnProperty.call(o, 'toString')) {
      return o === Object.prototype || o === Error.prototype || o === Array.prototype || o === Date.prototype;
    }
    o = Object.getPrototypeOf(o);
  }
  return true;
}

function tryStringify(arg) {
  try {
    return JSON.stringify(arg);
  } catch (err) {
    if (err instanceof TypeError && /circular|cyclic/i.test(err.message)) return '[Circular]';
    throw err;
  }
}

function format(...args) {
  return formatWithOptions(undefined, ...args);
}

exports.inspect = inspect;
exports.format = format;
exports.formatWithOptions = formatWithOptions;
exports.stripVTControlCharacters = (s) => String(s).replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
