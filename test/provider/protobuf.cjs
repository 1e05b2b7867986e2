'use strict';
/**
 * A minimal protobuf (proto3) wire codec driven by message tables, enough for the test provider:
 * strings, bytes, bools, enums and small non-negative int64 as varints, nested and repeated
 * messages, and map<string, V>. Unknown fields are skipped, as protobuf requires, so a peer with a
 * newer protocol version interoperates.
 *
 * A message table maps a JS field name to [field number, type, 'repeated'?], where type is one of
 * 'string' | 'bytes' | 'bool' | 'enum' | 'int64', another message table, or { map: valueType }.
 */

function varint(n, out) {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`protobuf: cannot encode ${n} as a varint`);
  while (n > 0x7f) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
}

function encodeField(num, type, value, out) {
  if (type === 'string' || type === 'bytes') {
    const b = type === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
    varint((num << 3) | 2, out);
    varint(b.length, out);
    for (const x of b) out.push(x);
  } else if (type === 'bool' || type === 'enum' || type === 'int64') {
    varint(num << 3, out);
    varint(type === 'bool' ? (value ? 1 : 0) : value, out);
  } else if (type.map) {
    for (const [k, v] of Object.entries(value)) encodeField(num, { key: [1, 'string'], value: [2, type.map] }, { key: k, value: v }, out);
  } else {
    const b = encode(type, value);
    varint((num << 3) | 2, out);
    varint(b.length, out);
    for (const x of b) out.push(x);
  }
}

/** Encodes `obj` by `table`; null, undefined and proto3 defaults ('' , false, 0, empty) are omitted. */
function encode(table, obj) {
  const out = [];
  for (const [name, [num, type, repeated]] of Object.entries(table)) {
    const v = obj == null ? undefined : obj[name];
    if (v === undefined || v === null || v === '' || v === false || v === 0) continue;
    if (repeated) for (const item of v) encodeField(num, type, item, out);
    else if (!(typeof type === 'object' && type.map && Object.keys(v).length === 0)) encodeField(num, type, v, out);
  }
  return Buffer.from(out);
}

/** Decodes a message; absent fields stay undefined (repeated ones become []). */
function decode(table, buf) {
  const byNumber = new Map(Object.entries(table).map(([name, [num, type, repeated]]) => [num, { name, type, repeated }]));
  const obj = {};
  for (const [name, [, type, repeated]] of Object.entries(table)) {
    if (repeated) obj[name] = [];
    else if (typeof type === 'object' && type.map) obj[name] = {};
  }
  let pos = 0;
  const readVarint = () => {
    let result = 0;
    for (let mul = 1; ; mul *= 0x80) {
      if (pos >= buf.length) throw new Error('protobuf: truncated varint');
      const b = buf[pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
    }
  };
  while (pos < buf.length) {
    const key = readVarint();
    const num = Math.floor(key / 8);
    const wire = key & 7;
    let raw;
    if (wire === 0) raw = readVarint();
    else if (wire === 2) {
      const len = readVarint();
      raw = buf.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`protobuf: unsupported wire type ${wire}`);
    const field = byNumber.get(num);
    if (!field || raw === undefined) continue;
    const { name, type, repeated } = field;
    let value;
    if (type === 'string') value = Buffer.from(raw).toString('utf8');
    else if (type === 'bytes') value = Buffer.from(raw);
    else if (type === 'bool') value = raw !== 0;
    else if (type === 'enum' || type === 'int64') value = raw;
    else if (type.map) {
      const entry = decode({ key: [1, 'string'], value: [2, type.map] }, raw);
      obj[name][entry.key ?? ''] = entry.value;
      continue;
    } else value = decode(type, raw);
    if (repeated) obj[name].push(value);
    else obj[name] = value;
  }
  return obj;
}

/** A grpc-js service definition for unary methods: { Name: [requestTable, responseTable] }. */
function service(fullName, methods) {
  return Object.fromEntries(
    Object.entries(methods).map(([name, [req, res]]) => [
      name,
      {
        path: `/${fullName}/${name}`,
        requestStream: false,
        responseStream: false,
        requestSerialize: (v) => encode(req, v),
        requestDeserialize: (b) => decode(req, b),
        responseSerialize: (v) => encode(res, v),
        responseDeserialize: (b) => decode(res, b),
      },
    ]),
  );
}

module.exports = { encode, decode, service };
