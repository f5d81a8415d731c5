/**
 * Compact canonical binary encoding driven by a shape description (shape.ts), and a 64-bit
 * fingerprint of it. Injective on the values the shape admits: records are written field by
 * field in the description's order, every variable-length part carries its length, unions and
 * enums their case index, optional fields a presence byte. Anything the shape does not admit
 * (an unknown own key, a key present with `undefined`, bigint, Map, Set, NaN, ±Infinity, -0, a
 * number outside u32 where u32 is described, an enum value not listed, uppercase hex) throws an
 * `EncodingError` naming the path: two states are never merged silently.
 */
import type { PartInterner } from "./intern.js";
import type { KeptParts } from "./kept-parts.js";
import type { Shape } from "./shape.js";

export class EncodingError extends Error {
  /** Path from the root, built as the error unwinds (no string work on the hot path). */
  readonly segments: string[] = [];
  constructor(readonly what: string) {
    super(`state encoding: (root): ${what}`);
  }
}

/** Prepend a path segment to an EncodingError passing through. */
const within = (e: unknown, segment: string): never => {
  if (e instanceof EncodingError) {
    e.segments.unshift(segment);
    e.message = `state encoding: ${e.segments.join("").replace(/^\./, "")}: ${e.what}`;
  }
  throw e;
};

/** A growable byte buffer the encoders write into (reused across states: no allocation per state). */
export class Writer {
  buf = new Uint8Array(4096);
  pos = 0;
  private readonly f64 = new Float64Array(1);
  private readonly f64b = new Uint8Array(this.f64.buffer);

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
  }
  byte(x: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = x;
  }
  /** LEB128, at most 5 bytes for a u32. */
  varint(x: number): void {
    this.ensure(5);
    const b = this.buf;
    let p = this.pos;
    while (x >= 0x80) {
      b[p++] = (x & 0x7f) | 0x80;
      x = Math.floor(x / 128);
    }
    b[p++] = x;
    this.pos = p;
  }
  float(x: number): void {
    this.ensure(8);
    this.f64[0] = x;
    this.buf.set(this.f64b, this.pos);
    this.pos += 8;
  }
  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }
  /** Length in UTF-16 units, then each unit as LEB128 (1 byte for ASCII, at most 3). */
  string(s: string): void {
    this.varint(s.length);
    this.ensure(3 * s.length);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      while (c >= 0x80) {
        b[p++] = (c & 0x7f) | 0x80;
        c >>>= 7;
      }
      b[p++] = c;
    }
    this.pos = p;
  }
}

export type Encode = (w: Writer, v: unknown) => void;

const fail = (what: string): never => {
  throw new EncodingError(what);
};

const describe = (v: unknown): string => {
  if (v === undefined) return "undefined";
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "bigint") return `bigint ${v}n`;
  if (typeof v === "object" && v !== null) return Object.getPrototypeOf(v)?.constructor?.name ?? "object without prototype";
  return typeof v === "string" ? JSON.stringify(v.slice(0, 40)) : typeof v;
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v) as unknown;
  return p === Object.prototype || p === null;
};

const HEX_VALUE = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) t[97 + i] = 10 + i;
  return t;
})();

const encodeU32: Encode = (w, v) => {
  if (typeof v !== "number" || !(v >= 0 && v <= 0xffffffff) || Math.floor(v) !== v || Object.is(v, -0)) fail(`not a u32: ${describe(v)}`);
  w.varint(v as number);
};

const encodeNum: Encode = (w, v) => {
  if (typeof v !== "number" || !Number.isFinite(v) || Object.is(v, -0)) return fail(`not a finite number (or -0): ${describe(v)}`);
  if (v >= 0 && v <= 0xffffffff && Math.floor(v) === v) {
    w.byte(0);
    w.varint(v);
  } else {
    w.byte(1);
    w.float(v);
  }
};

const encodeBool: Encode = (w, v) => {
  if (v === true) w.byte(1);
  else if (v === false) w.byte(0);
  else fail(`not a boolean: ${describe(v)}`);
};

const encodeStr: Encode = (w, v) => {
  if (typeof v !== "string") return fail(`not a string: ${describe(v)}`);
  w.string(v);
};

const encodeHex: Encode = (w, v) => {
  if (typeof v !== "string" || (v.length & 1) !== 0) return fail(`not hex of whole bytes: ${describe(v)}`);
  const n = v.length >> 1;
  w.varint(n);
  w.ensure(n);
  const b = w.buf;
  let p = w.pos;
  for (let i = 0; i < v.length; i += 2) {
    const c1 = v.charCodeAt(i);
    const c2 = v.charCodeAt(i + 1);
    const hi = c1 < 128 ? HEX_VALUE[c1]! : -1;
    const lo = c2 < 128 ? HEX_VALUE[c2]! : -1;
    if (hi < 0 || lo < 0) return fail(`not lowercase hex at ${i}: ${describe(v)}`);
    b[p++] = (hi << 4) | lo;
  }
  w.pos = p;
};

/** Plain data: tag byte, then the value; object keys sorted (canonical like canonicalKey, but strict). */
const encodePlain: Encode = (w, v) => {
  if (v === null) return w.byte(0);
  switch (typeof v) {
    case "boolean":
      return w.byte(v ? 2 : 1);
    case "number":
      w.byte(3);
      return encodeNum(w, v);
    case "string":
      w.byte(4);
      return w.string(v);
    case "object": {
      if (Array.isArray(v)) {
        w.byte(5);
        w.varint(v.length);
        let i = 0;
        try {
          for (; i < v.length; i++) encodePlain(w, v[i]);
        } catch (e) {
          within(e, `[${i}]`);
        }
        return;
      }
      if (!isPlainObject(v)) return fail(`not plain data: ${describe(v)}`);
      const keys = Object.keys(v).sort();
      w.byte(6);
      w.varint(keys.length);
      for (const k of keys) {
        w.string(k);
        try {
          encodePlain(w, v[k]);
        } catch (e) {
          within(e, `.${k}`);
        }
      }
      return;
    }
    default:
      return fail(`not plain data: ${describe(v)}`);
  }
};

const unknownKey = (v: Record<string, unknown>, known: (k: string) => boolean): never => {
  const extra = Object.keys(v).filter((k) => !known(k));
  return fail(extra.length ? `unknown key(s) ${extra.join(", ")}: the state description (src/explore/state-shape.ts) must list every field` : "key count differs from the description");
};

/**
 * A record's encoder, generated as straight-line code (one block per field) rather than a loop
 * over the field names: `v["name"]` with a constant name is a property load V8 caches per object
 * layout, where `v[names[i]]` is a generic keyed load (the checker's most frequent operation; a
 * third of the encoder's time). Field names enter the code only as JSON string literals.
 * The behaviour is the loop's: presence bytes for optional fields, "missing"/"present but
 * undefined" for absent ones, the path of the failing field, and the count of own enumerable keys
 * against the fields present (an unknown key is an error, never dropped).
 */
const compileRecord = (shape: Extract<Shape, { k: "record" }>, tag: string | undefined, interner: PartInterner | undefined, kept?: KeptParts): Encode => {
  const names = Object.keys(shape.fields);
  const optional = new Set(shape.optional ?? []);
  const enc = names.map((n) => compile(shape.fields[n]!, interner, kept));
  const known = (k: string): boolean => k === tag || Object.prototype.hasOwnProperty.call(shape.fields, k);
  const base = tag === undefined ? 0 : 1;
  const has = (v: object, name: string): boolean => Object.prototype.hasOwnProperty.call(v, name);
  const absent = (v: object, name: string): never => fail(has(v, name) ? "present but undefined" : "missing");
  const notRecord = (v: unknown): never => fail(`not a record: ${describe(v)}`);
  const body = names
    .map((n, i) => {
      const key = JSON.stringify(n);
      const field = `i = ${i}; x = v[${key}]; if (x === undefined) absent(v, ${key}); present++; enc[${i}](w, x);`;
      return optional.has(n) ? `if (!has(v, ${key})) { w.byte(0); } else { w.byte(1); ${field} }` : field;
    })
    .join("\n      ");
  const source = `return function encodeRecord(w, v) {
    if (!isPlainObject(v)) return notRecord(v);
    let present = ${base};
    let i = 0;
    let x;
    try {
      ${body}
    } catch (e) {
      within(e, "." + names[i]);
    }
    let count = 0;
    for (const _ in v) count++;
    if (count !== present) unknownKey(v, known);
  };`;
  return new Function("isPlainObject", "notRecord", "absent", "has", "enc", "names", "within", "unknownKey", "known", source)(isPlainObject, notRecord, absent, has, enc, names, within, unknownKey, known) as Encode;
};

/**
 * The encoder of a shape. With an `interner` (the queue's encoding, intern.ts), strings, hex and
 * `memo` parts are written as the id of their interned value instead of their bytes.
 */
export const compile = (shape: Shape, interner?: PartInterner, kept?: KeptParts): Encode => {
  if (interner) {
    const interned = compileInterned(shape, interner);
    if (interned) return interned;
  }
  switch (shape.k) {
    case "u32":
      return encodeU32;
    case "num":
      return encodeNum;
    case "bool":
      return encodeBool;
    case "str":
      return encodeStr;
    case "hex":
      return encodeHex;
    case "plain":
      return encodePlain;
    case "enum": {
      const index = new Map(shape.values.map((x, i) => [x, i]));
      return (w, v) => {
        const i = typeof v === "string" ? index.get(v) : undefined;
        if (i === undefined) return fail(`not one of ${shape.values.join("|")}: ${describe(v)}`);
        w.byte(i);
      };
    }
    case "nullable": {
      const of = compile(shape.of, interner, kept);
      return (w, v) => {
        if (v === null) return w.byte(0);
        w.byte(1);
        of(w, v);
      };
    }
    case "array": {
      const of = compile(shape.of, interner, kept);
      return (w, v) => {
        if (!Array.isArray(v)) return fail(`not an array: ${describe(v)}`);
        w.varint(v.length);
        let i = 0;
        try {
          for (; i < v.length; i++) of(w, v[i]);
        } catch (e) {
          within(e, `[${i}]`);
        }
      };
    }
    case "record":
      return compileRecord(shape, undefined, interner, kept);
    case "union": {
      const tags = Object.keys(shape.cases);
      const cases = new Map(
        tags.map((t, i) => {
          const c = shape.cases[t]!;
          if (c.k !== "record") throw new Error(`union case ${t} must be a record shape`);
          return [t, { index: i, enc: compileRecord(c, shape.tag, interner, kept) }] as const;
        }),
      );
      return (w, v) => {
        if (!isPlainObject(v)) return fail(`not a record: ${describe(v)}`);
        const t = v[shape.tag];
        const c = typeof t === "string" ? cases.get(t) : undefined;
        if (!c) return within(new EncodingError(`not one of ${tags.join("|")}: ${describe(t)}`), `.${shape.tag}`);
        w.byte(c.index);
        c.enc(w, v);
      };
    }
    case "memo": {
      // Length-prefixed (a reader can skip a part); its bytes remembered per object.
      const of = compile(shape.of);
      const cache = new WeakMap<object, Uint8Array>();
      const scratch = new Writer();
      return (w, v) => {
        let bytes = typeof v === "object" && v !== null ? cache.get(v) : undefined;
        if (!bytes) {
          scratch.pos = 0;
          of(scratch, v);
          bytes = scratch.buf.slice(0, scratch.pos);
          if (typeof v === "object" && v !== null) cache.set(v, bytes);
        }
        w.varint(bytes.length);
        w.bytes(bytes);
      };
    }
    case "kept": {
      const of = compile(shape.of, interner, kept);
      if (!kept) return of;
      // The part of the state being expanded, met again in a successor: its bytes (kept-parts.ts).
      const reg = kept.of(shape);
      return (w, v) => {
        if (v !== reg.obj) return of(w, v);
        reg.hits++;
        const n = reg.len;
        w.ensure(n);
        const to = w.buf;
        const from = reg.buf;
        let p = w.pos;
        for (let i = 0; i < n; i++) to[p++] = from[i]!;
        w.pos = p;
      };
    }
  }
};

/** Strings, hex and memo parts as interned ids (undefined: the shape is encoded as usual). */
const compileInterned = (shape: Shape, interner: PartInterner): Encode | undefined => {
  switch (shape.k) {
    case "str":
    case "hex":
      // Interned by value: the decoder gives back the same string, so no further check is needed here.
      return (w, v) => {
        if (typeof v !== "string") return fail(`not a string: ${describe(v)}`);
        w.varint(interner.string(v));
      };
    case "memo": {
      const of = compile(shape.of, interner);
      const part = interner.part(shape);
      const scratch = new Writer();
      return (w, v) => {
        // A plain part may be a number, a string or null: interned by content like any other (never written inline: the decoder reads an id).
        let id = typeof v === "object" && v !== null ? part.ids.get(v) : undefined;
        if (id === undefined) {
          scratch.pos = 0;
          of(scratch, v);
          id = interner.object(part, v, scratch.buf, scratch.pos);
        }
        w.varint(id);
      };
    }
    default:
      return undefined;
  }
};

/** The version of the encoding's layout (not of the state description): files that hold encodings say which (frontier-file.ts). 2: memo parts are length-prefixed. */
export const ENCODING_VERSION = 2;

export { fingerprint64 } from "./fingerprint64.js";

/** An encoder for one state type: `encode(state)` leaves the bytes in `writer.buf[0, writer.pos)`. */
export interface StateEncoder {
  readonly writer: Writer;
  readonly encode: (state: unknown) => void;
  /** The value whose encoding the writer holds now (the last one encoded). */
  readonly last: () => unknown;
}

export const stateEncoder = (shape: Shape, interner?: PartInterner, kept?: KeptParts): StateEncoder => {
  const writer = new Writer();
  const enc = compile(shape, interner, kept);
  let last: unknown;
  return {
    writer,
    encode: (state) => {
      writer.pos = 0;
      last = undefined;
      enc(writer, state);
      last = state;
    },
    last: () => last,
  };
};

/** The bytes of one value (tests, run files). */
export const encodeToBytes = (e: StateEncoder, state: unknown): Uint8Array => {
  e.encode(state);
  return e.writer.buf.slice(0, e.writer.pos);
};
