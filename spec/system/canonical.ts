/**
 * Canonical serialisation: JSON with object keys in sorted order, so equal states give equal
 * keys whatever order their fields were built in. Arrays keep their order (every list in the
 * state is kept sorted or is meaningfully ordered, e.g. queues). Undefined fields are omitted,
 * as JSON does.
 */
const write = (v: unknown): string => {
  if (v === null) return "null";
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Number.isFinite(v) ? String(v) : "null";
    case "boolean":
      return v ? "true" : "false";
    case "object": {
      if (Array.isArray(v)) {
        // Arrays of strings and finite numbers (PFN lists, relid lists): native JSON is canonical.
        if (v.every((x) => typeof x === "string" || (typeof x === "number" && Number.isFinite(x)))) return JSON.stringify(v);
        let s = "[";
        for (let i = 0; i < v.length; i++) s += (i ? "," : "") + write(v[i] === undefined ? null : v[i]);
        return s + "]";
      }
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
      return "null"; // undefined, functions, symbols, bigint: not part of plain data
  }
};

export const canonicalKey = (value: unknown): string => write(value);
