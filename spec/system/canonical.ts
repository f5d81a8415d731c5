/**
 * Canonical serialisation: JSON with object keys in sorted order, so equal states give equal
 * keys whatever order their fields were built in. Arrays keep their order (every list in the
 * state is kept sorted or is meaningfully ordered, e.g. queues). Undefined fields are omitted,
 * as JSON does. Values JSON would silently merge with others (bigint, NaN, ±Infinity, -0,
 * undefined array elements, Map, Set and other non-plain objects) are not state data: they throw,
 * so two distinct states can never share a key.
 */
export class CanonicalError extends Error {}

const reject = (what: string): never => {
  throw new CanonicalError(`canonicalKey: not plain state data: ${what}`);
};

const number = (v: number): string => {
  if (!Number.isFinite(v)) return reject(String(v));
  if (Object.is(v, -0)) return reject("-0");
  return String(v);
};

const write = (v: unknown): string => {
  if (v === null) return "null";
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return number(v);
    case "boolean":
      return v ? "true" : "false";
    case "object": {
      if (Array.isArray(v)) {
        let s = "[";
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          if (x === undefined) reject(`undefined array element at ${i}`);
          s += (i ? "," : "") + write(x);
        }
        return s + "]";
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) return reject(`a ${(v as object).constructor?.name ?? "non-plain object"}`);
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).sort();
      let s = "{";
      let first = true;
      for (const k of keys) {
        const x = o[k];
        if (x === undefined || typeof x === "function") continue;
        s += (first ? "" : ",") + JSON.stringify(k) + ":" + write(x);
        first = false;
      }
      return s + "}";
    }
    default:
      return reject(typeof v); // bigint, symbol, a bare undefined or function
  }
};

export const canonicalKey = (value: unknown): string => write(value);
