/**
 * The inverse of encoding.ts, compiled from the same shape description: bytes → the value whose
 * encoding they are. The checker keeps the states waiting in its breadth-first queue as these
 * bytes (queue.ts) and decodes each one when it is expanded, so the queue holds no live objects.
 *
 * Total on its input: bytes that are not the encoding of a value the shape admits (an index out
 * of range, a truncated field, trailing bytes, a u32 past 0xFFFFFFFF, a non-canonical varint)
 * throw a `DecodingError` naming the path and the offset — never a wrong value. Records come back
 * with their keys in the description's order (the tag of a union first); key order is not part
 * of a state (the encoding does not depend on it).
 */
import type { PartInterner } from "./intern.js";
import type { KeptParts } from "./kept-parts.js";
import type { Shape } from "./shape.js";

export class DecodingError extends Error {
  readonly segments: string[] = [];
  constructor(
    readonly what: string,
    readonly offset: number,
  ) {
    super(`state decoding: (root) at byte ${offset}: ${what}`);
  }
}

const within = (e: unknown, segment: string): never => {
  if (e instanceof DecodingError) {
    e.segments.unshift(segment);
    e.message = `state decoding: ${e.segments.join("").replace(/^\./, "")} at byte ${e.offset}: ${e.what}`;
  }
  throw e;
};

/** A cursor over encoded bytes. */
export class Reader {
  pos = 0;
  end = 0;
  buf: Uint8Array = new Uint8Array(0);
  private readonly f64 = new Float64Array(1);
  private readonly f64b = new Uint8Array(this.f64.buffer);

  reset(buf: Uint8Array, start: number, end: number): void {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }
  fail(what: string): never {
    throw new DecodingError(what, this.pos);
  }
  /** The byte just read is not allowed here. */
  badByte(what: string): never {
    throw new DecodingError(what, this.pos - 1);
  }
  byte(): number {
    if (this.pos >= this.end) this.fail("truncated");
    return this.buf[this.pos++]!;
  }
  /** LEB128 as Writer.varint writes it: at most 5 bytes, no redundant trailing zero group, ≤ 0xFFFFFFFF. */
  varint(): number {
    let x = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      const b = this.byte();
      x += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (b === 0 && i > 0) this.fail("non-canonical varint");
        if (x > 0xffffffff) this.fail("varint past 0xFFFFFFFF");
        return x;
      }
      scale *= 128;
    }
    return this.fail("varint longer than 5 bytes");
  }
  float(): number {
    if (this.pos + 8 > this.end) this.fail("truncated");
    this.f64b.set(this.buf.subarray(this.pos, this.pos + 8));
    this.pos += 8;
    return this.f64[0]!;
  }
  string(): string {
    const n = this.varint();
    if (n > this.end - this.pos) this.fail("string longer than the bytes left");
    let s = "";
    for (let i = 0; i < n; i++) {
      let c = 0;
      let shift = 0;
      for (;;) {
        const b = this.byte();
        c |= (b & 0x7f) << shift;
        if ((b & 0x80) === 0) break;
        shift += 7;
        if (shift > 14) this.fail("UTF-16 unit longer than 3 bytes");
      }
      if (c > 0xffff) this.fail("UTF-16 unit past 0xFFFF");
      s += String.fromCharCode(c);
    }
    return s;
  }
}

export type Decode = (r: Reader) => unknown;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

const decodeNum = (r: Reader): number => {
  const form = r.byte();
  if (form === 0) return r.varint();
  if (form !== 1) return r.badByte(`number form ${form}`);
  const x = r.float();
  // The encoder writes the float form only for what the varint form cannot hold.
  if (!Number.isFinite(x) || Object.is(x, -0) || (x >= 0 && x <= 0xffffffff && Math.floor(x) === x)) r.fail(`float form of ${x}`);
  return x;
};

/** A length, then that many elements (every element takes at least one byte: a length past the bytes left is garbage, not an allocation). */
const decodeArray = (r: Reader, of: Decode): unknown[] => {
  const n = r.varint();
  if (n > r.end - r.pos) r.fail("array longer than the bytes left");
  const out: unknown[] = new Array(n);
  let i = 0;
  try {
    for (; i < n; i++) out[i] = of(r);
  } catch (e) {
    within(e, `[${i}]`);
  }
  return out;
};

const decodePlain = (r: Reader): unknown => {
  const tag = r.byte();
  switch (tag) {
    case 0:
      return null;
    case 1:
      return false;
    case 2:
      return true;
    case 3:
      return decodeNum(r);
    case 4:
      return r.string();
    case 5:
      return decodeArray(r, decodePlain);
    case 6: {
      const n = r.varint();
      if (n > r.end - r.pos) r.fail("record longer than the bytes left");
      const out: Record<string, unknown> = {};
      let prev: string | null = null;
      for (let i = 0; i < n; i++) {
        const k = r.string();
        // Sorted and distinct, as the encoder writes them (and no key that would set a prototype).
        if (prev !== null && !(prev < k)) r.fail(`key ${JSON.stringify(k)} out of order`);
        if (k === "__proto__") r.fail("key __proto__");
        prev = k;
        try {
          out[k] = decodePlain(r);
        } catch (e) {
          within(e, `.${k}`);
        }
      }
      return out;
    }
    default:
      return r.badByte(`plain tag ${tag}`);
  }
};

/**
 * A record's decoder: `(r, tagValue)` reads the fields in the description's order and returns the
 * record (a union case's tag first, then the fields, as the reducers build them).
 * Records without optional fields are generated as straight-line code ending in one object
 * literal: V8 then allocates the object with its final layout, where adding the fields one by one
 * through `into[names[i]]` is a generic keyed store per field (half of the decoder's time).
 * Field names enter the code only as JSON string literals.
 */
const compileRecord = (shape: Extract<Shape, { k: "record" }>, tag: string | undefined, interner: PartInterner | undefined, kept?: KeptParts): ((r: Reader, tagValue: string | undefined) => Record<string, unknown>) => {
  const names = Object.keys(shape.fields);
  const optional = new Set(shape.optional ?? []);
  const dec = names.map((n) => compileDecoder(shape.fields[n]!, interner, kept));
  const opt = names.map((n) => optional.has(n));
  if (tag !== undefined && Object.prototype.hasOwnProperty.call(shape.fields, tag)) throw new Error(`union case lists its tag ${tag} as a field`);
  if (optional.size > 0 || names.includes("__proto__") || tag === "__proto__") {
    return (r, tagValue) => {
      const into: Record<string, unknown> = tag === undefined ? {} : { [tag]: tagValue };
      let i = 0;
      try {
        for (; i < names.length; i++) {
          if (opt[i]) {
            const present = r.byte();
            if (present === 0) continue;
            if (present !== 1) r.badByte(`presence byte ${present}`);
          }
          into[names[i]!] = dec[i]!(r);
        }
      } catch (e) {
        within(e, `.${names[i]}`);
      }
      return into;
    };
  }
  const reads = names.map((_, i) => `i = ${i}; const f${i} = dec[${i}](r);`).join("\n      ");
  const fields = [...(tag === undefined ? [] : [`${JSON.stringify(tag)}: tagValue`]), ...names.map((n, i) => `${JSON.stringify(n)}: f${i}`)].join(", ");
  const source = `return function decodeRecord(r, tagValue) {
    let i = 0;
    try {
      ${reads}
      return { ${fields} };
    } catch (e) {
      return within(e, "." + names[i]);
    }
  };`;
  return new Function("dec", "names", "within", source)(dec, names, within) as (r: Reader, tagValue: string | undefined) => Record<string, unknown>;
};

/** An interned id (encoding.ts with an interner): the value stored under it. */
const internedDecoder = (interner: PartInterner, stored: (bytes: Uint8Array, start: number, end: number) => unknown): Decode => (r) => {
  const id = r.varint();
  if (id >= interner.size) r.fail(`interned id ${id} of ${interner.size}`);
  return interner.value(id, stored);
};

/** A decoder of whole bytes [start, end) (an interned value's stored bytes). */
const storedDecoder = (dec: Decode, what: string): ((bytes: Uint8Array, start: number, end: number) => unknown) => {
  const sub = new Reader();
  return (bytes, start, end) => {
    sub.reset(bytes, start, end);
    const v = dec(sub);
    if (sub.pos !== end) sub.fail(`${end - sub.pos} byte(s) left in an interned ${what}`);
    return v;
  };
};
const storedString = storedDecoder((r) => r.string(), "string");

/** The decoder of a shape; with an `interner`, of the encoding made with that interner. */
export const compileDecoder = (shape: Shape, interner?: PartInterner, kept?: KeptParts): Decode => {
  if (interner && (shape.k === "str" || shape.k === "hex")) return internedDecoder(interner, storedString);
  // A part's stored bytes are its encoding with the same interner (nested parts by id).
  if (interner && shape.k === "memo") return internedDecoder(interner, storedDecoder(compileDecoder(shape.of, interner), "part"));
  switch (shape.k) {
    case "u32":
      return (r) => r.varint();
    case "num":
      return decodeNum;
    case "bool":
      return (r) => {
        const b = r.byte();
        if (b > 1) r.badByte(`boolean byte ${b}`);
        return b === 1;
      };
    case "str":
      return (r) => r.string();
    case "hex":
      return (r) => {
        const n = r.varint();
        if (n > r.end - r.pos) r.fail("hex longer than the bytes left");
        let s = "";
        for (let i = 0; i < n; i++) s += HEX[r.buf[r.pos++]!];
        return s;
      };
    case "plain":
      return decodePlain;
    case "enum": {
      const values = shape.values;
      return (r) => {
        const i = r.byte();
        if (i >= values.length) r.badByte(`enum index ${i} of ${values.length}`);
        return values[i];
      };
    }
    case "nullable": {
      const of = compileDecoder(shape.of, interner, kept);
      return (r) => {
        const b = r.byte();
        if (b === 0) return null;
        if (b !== 1) r.badByte(`nullable byte ${b}`);
        return of(r);
      };
    }
    case "array": {
      const of = compileDecoder(shape.of, interner, kept);
      return (r) => decodeArray(r, of);
    }
    case "record": {
      const rec = compileRecord(shape, undefined, interner, kept);
      return (r) => rec(r, undefined);
    }
    case "union": {
      const tags = Object.keys(shape.cases);
      const cases = tags.map((t) => {
        const c = shape.cases[t]!;
        if (c.k !== "record") throw new Error(`union case ${t} must be a record shape`);
        return compileRecord(c, shape.tag, interner, kept);
      });
      return (r) => {
        const i = r.byte();
        if (i >= cases.length) r.badByte(`union case ${i} of ${cases.length}`);
        return cases[i]!(r, tags[i]);
      };
    }
    case "memo": {
      // Its length, then its encoding (encoding.ts).
      const of = compileDecoder(shape.of);
      return (r) => {
        const n = r.varint();
        if (n > r.end - r.pos) r.fail("part longer than the bytes left");
        const end = r.pos + n;
        const outer = r.end;
        r.end = end;
        let v: unknown;
        try {
          v = of(r);
          if (r.pos !== end) r.fail(`${end - r.pos} byte(s) left in a part`);
        } finally {
          r.end = outer;
        }
        return v;
      };
    }
    case "kept": {
      const of = compileDecoder(shape.of, interner, kept);
      if (!kept) return of;
      const reg = kept.of(shape);
      return (r) => {
        const start = r.pos;
        const v = of(r);
        reg.note(v, r.buf, start, r.pos);
        return v;
      };
    }
  }
};

/** A decoder for one state type: `decode(buf, start, end)` is the value encoded in `buf[start, end)`. */
export interface StateDecoder {
  readonly decode: (buf: Uint8Array, start?: number, end?: number) => unknown;
}

export const stateDecoder = (shape: Shape, interner?: PartInterner, kept?: KeptParts): StateDecoder => {
  const r = new Reader();
  const dec = compileDecoder(shape, interner, kept);
  return {
    decode: (buf, start = 0, end = buf.length) => {
      r.reset(buf, start, end);
      const v = dec(r);
      if (r.pos !== end) r.fail(`${end - r.pos} trailing byte(s)`);
      return v;
    },
  };
};
