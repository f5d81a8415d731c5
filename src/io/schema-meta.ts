/**
 * What the JSON Schema generator (src/schema/) needs to know about io-ts codecs it cannot
 * look inside: the custom primitives (U8 … Hex) state the schema of exactly what they accept,
 * `closed` objects their required and optional fields, the Message codec its members. Keyed by
 * the codec object, so attaching it changes nothing about how a codec decodes.
 */
import type * as t from "io-ts";

export type JsonSchema = { readonly [keyword: string]: unknown };

/** One closed object: these fields, nothing else (`additionalProperties: false`). */
export interface ClosedShape {
  readonly name: string;
  readonly required: t.Props;
  readonly optional: t.Props;
}

export type SchemaMeta =
  /** A custom primitive: this schema accepts exactly the values the codec accepts. */
  | { readonly kind: "leaf"; readonly schema: JsonSchema }
  /** `closed(name, required, optional)` in primitives.ts. */
  | ({ readonly kind: "closed" } & ClosedShape)
  /** A codec that accepts exactly one of these closed objects (the Message union). */
  | { readonly kind: "closedUnion"; readonly members: readonly ClosedShape[] };

const META = new WeakMap<object, SchemaMeta>();

/** Attach schema metadata to `codec` (returned unchanged). */
export const withSchema = <C extends t.Any>(codec: C, meta: SchemaMeta): C => {
  META.set(codec, meta);
  return codec;
};

export const schemaMetaOf = (codec: t.Any): SchemaMeta | undefined => META.get(codec);

/**
 * A regular expression (anchored, ECMA-262) for the decimal numbers 0..max without leading
 * zeros: shorter numbers are always below max; a number as long as max is at most max digit
 * by digit (a common prefix, then a smaller digit, then anything).
 */
export const decimalAtMostPattern = (max: bigint): string => {
  const s = max.toString();
  const n = s.length;
  const alts: string[] = ["0"];
  if (n > 1) alts.push(n === 2 ? "[1-9]" : `[1-9][0-9]{0,${n - 2}}`);
  for (let i = 0; i < n; i++) {
    const d = Number(s[i]);
    const lo = i === 0 ? 1 : 0;
    if (d - 1 < lo) continue;
    const rest = n - i - 1;
    const digit = d - 1 === lo ? String(lo) : `[${lo}-${d - 1}]`;
    alts.push(`${s.slice(0, i)}${digit}${rest > 0 ? `[0-9]{${rest}}` : ""}`);
  }
  alts.push(s);
  return `^(${alts.join("|")})$`;
};
