/**
 * io-ts codecs for the JSON form of the wire primitives (spec/wire/primitives.ts), written
 * independently of spec/ so the JSON shape is stated twice and tests can compare the two.
 * Each codec's `name` is what error messages print after "expected".
 */
import * as t from "io-ts";
import { decimalAtMostPattern, withSchema } from "./schema-meta.js";

const intCodec = (name: string, max: number): t.Type<number, number, unknown> =>
  withSchema(new t.Type<number, number, unknown>(
    name,
    (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= 0 && u <= max,
    (u, c) => (typeof u === "number" && Number.isInteger(u) && u >= 0 && u <= max ? t.success(u) : t.failure(u, c)),
    t.identity,
  ), { kind: "leaf", schema: { type: "integer", minimum: 0, maximum: max } });

export const U8 = intCodec("u8 (integer 0..255)", 0xff);
export const U16 = intCodec("u16 (integer 0..65535)", 0xffff);
export const U32 = intCodec("u32 (integer 0..4294967295)", 0xffffffff);

const U64_MAX = (1n << 64n) - 1n;
export const U64 = withSchema(new t.Type<string, string, unknown>(
  "u64 as a decimal string (\"0\"..\"18446744073709551615\")",
  (u): u is string => typeof u === "string" && /^(0|[1-9][0-9]{0,19})$/.test(u) && BigInt(u) <= U64_MAX,
  (u, c) => (typeof u === "string" && /^(0|[1-9][0-9]{0,19})$/.test(u) && BigInt(u) <= U64_MAX ? t.success(u) : t.failure(u, c)),
  t.identity,
), { kind: "leaf", schema: { type: "string", pattern: decimalAtMostPattern(U64_MAX) } });

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const Guid = withSchema(new t.Type<string, string, unknown>(
  "GUID xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
  (u): u is string => typeof u === "string" && GUID_RE.test(u),
  (u, c) => (typeof u === "string" && GUID_RE.test(u) ? t.success(u.toLowerCase()) : t.failure(u, c)),
  t.identity,
), { kind: "leaf", schema: { type: "string", pattern: GUID_RE.source } });

/** Exactly `bytes` bytes as hex (2 × bytes digits, no prefix). */
export const HexBytes = (bytes: number): t.Type<string, string, unknown> =>
  withSchema(new t.Type<string, string, unknown>(
    `${2 * bytes} hex digits`,
    (u): u is string => typeof u === "string" && u.length === 2 * bytes && /^[0-9a-fA-F]*$/.test(u),
    (u, c) => (typeof u === "string" && u.length === 2 * bytes && /^[0-9a-fA-F]*$/.test(u) ? t.success(u.toLowerCase()) : t.failure(u, c)),
    t.identity,
  ), { kind: "leaf", schema: { type: "string", pattern: `^[0-9a-fA-F]{${2 * bytes}}$` } });

/** Any even-length hex string. */
export const Hex = withSchema(new t.Type<string, string, unknown>(
  "hex string (even number of digits)",
  (u): u is string => typeof u === "string" && u.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(u),
  (u, c) => (typeof u === "string" && u.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(u) ? t.success(u.toLowerCase()) : t.failure(u, c)),
  t.identity,
), { kind: "leaf", schema: { type: "string", pattern: "^([0-9a-fA-F]{2})*$" } });

/** Render io-ts errors as lines "Root.path.to[3].field: expected X, got Y". */
export const formatErrors = (root: string, errors: t.Errors): string[] => {
  const lines = errors.map((e) => {
    let path = root;
    for (const [i, c] of e.context.entries()) {
      // Skip the root, and the member index io-ts inserts under intersections and unions.
      const parent = e.context[i - 1]?.type;
      if (i === 0 || c.key === "" || parent instanceof t.IntersectionType || parent instanceof t.UnionType) continue;
      path += /^\d+$/.test(c.key) ? `[${c.key}]` : `.${c.key}`;
    }
    const leaf = e.context[e.context.length - 1];
    const expected = leaf?.type.name ?? "a value";
    const got = e.value === undefined ? "nothing" : JSON.stringify(e.value)?.slice(0, 60) ?? String(e.value);
    const unknownField = (e as { unknownField?: string }).unknownField;
    if (unknownField !== undefined) return `${path}: ${unknownField}`;
    return e.message !== undefined ? `${path}: ${e.message}` : `${path}: expected ${expected}, got ${got}`;
  });
  return [...new Set(lines)];
};

/**
 * An object with exactly these fields: `required` must be present, `optional` may be, and any
 * other own key — including "__proto__", "constructor", "toString" — is an error naming it
 * ("X.key: unknown field"). io-ts's own `t.strict` silently strips unknown keys; every codec of
 * outside input uses this instead (docs/cli.md).
 */
export const closed = <R extends t.Props, O extends t.Props = {}>(
  name: string,
  required: R,
  optional?: O,
): t.Type<t.TypeOf<t.TypeC<R>> & Partial<t.TypeOf<t.PartialC<O>>>, unknown, unknown> => {
  const req = t.type(required);
  const opt = t.partial(optional ?? ({} as O));
  const known = [...Object.keys(required), ...Object.keys(optional ?? {})];
  const isKnown = (k: string): boolean => Object.hasOwn(required, k) || (optional !== undefined && Object.hasOwn(optional, k));
  type A = t.TypeOf<t.TypeC<R>> & Partial<t.TypeOf<t.PartialC<O>>>;
  const codec = new t.Type<A, unknown, unknown>(
    name,
    (u): u is A => req.is(u) && opt.is(u) && Object.keys(u as object).every(isKnown),
    (u, c) => {
      if (typeof u !== "object" || u === null || Array.isArray(u)) return t.failure(u, c, `expected an object ${name}, got ${Array.isArray(u) ? "an array" : JSON.stringify(u) ?? "nothing"}`);
      const unknown = Object.keys(u).filter((k) => !isKnown(k));
      if (unknown.length > 0)
        return t.failures(unknown.map((k) => ({ value: (u as Record<string, unknown>)[k], context: [...c, { key: k, type: t.never, actual: u }], message: undefined, unknownField: `unknown field (fields: ${known.join(", ")})` }) as unknown as t.ValidationError));
      const a = req.validate(u, c);
      if (a._tag === "Left") return a;
      const b = opt.validate(u, c);
      if (b._tag === "Left") return b;
      // A fresh object with only the known fields (never the input itself, never its prototype).
      const out: Record<string, unknown> = {};
      for (const k of known) if (Object.hasOwn(a.right as object, k) || Object.hasOwn(b.right as object, k)) out[k] = (a.right as Record<string, unknown>)[k] ?? (b.right as Record<string, unknown>)[k];
      return t.success(out as A);
    },
    (a) => a,
  );
  // For the JSON Schema generator (src/schema/): the fields, and that no other key is allowed.
  return withSchema(codec, { kind: "closed", name, required, optional: optional ?? {} });
};

/** `closed` in io-ts's argument order: exactly these fields (for t.strict / t.type call sites). */
export const exactly = <P extends t.Props>(props: P, name = "object") => closed(name, props);
/** Required and optional fields, nothing else (for t.intersection([t.type(…), t.partial(…)])). */
export const exactlyWith = <P extends t.Props, O extends t.Props>(props: P, optional: O, name = "object") => closed(name, props, optional);
