/**
 * io-ts codec -> JSON Schema (draft 2020-12), for exactly what the codec accepts. Knows the
 * io-ts combinators the project's codecs of outside input use, plus the metadata the custom
 * codecs attach (src/io/schema-meta.ts). Any other codec is an error naming its path: a schema
 * that silently accepts more than the codec would be worse than none.
 */
import * as t from "io-ts";
import { schemaMetaOf, type ClosedShape, type JsonSchema } from "../io/schema-meta.js";

export class SchemaError extends Error {}

const objectSchema = (props: t.Props, required: readonly string[], path: string, extra: JsonSchema): JsonSchema => ({
  ...extra,
  type: "object",
  properties: Object.fromEntries(Object.entries(props).map(([k, c]) => [k, toSchema(c, `${path}.${k}`)])),
  ...(required.length > 0 ? { required } : {}),
});

const closedSchema = (s: ClosedShape, path: string): JsonSchema =>
  objectSchema({ ...s.required, ...s.optional }, Object.keys(s.required), path, s.name === "object" ? {} : { title: s.name });

/** The schema of `codec`; `path` names where it sits, for the error on an unknown codec. */
export const toSchema = (codec: t.Any, path = "$"): JsonSchema => {
  const meta = schemaMetaOf(codec);
  if (meta !== undefined) {
    switch (meta.kind) {
      case "leaf":
        return meta.schema;
      case "closed":
        return { ...closedSchema(meta, path), additionalProperties: false };
      case "closedUnion":
        return { anyOf: meta.members.map((m) => ({ ...closedSchema(m, `${path}<${m.name}>`), additionalProperties: false })) };
    }
  }
  // io-ts's open objects accept any further keys: so does their schema.
  if (codec instanceof t.InterfaceType) return objectSchema(codec.props as t.Props, Object.keys(codec.props as object), path, {});
  if (codec instanceof t.PartialType) return objectSchema(codec.props as t.Props, [], path, {});
  // t.exact strips unknown keys rather than rejecting them: it accepts what its inner type accepts.
  if (codec instanceof t.ExactType) return toSchema(codec.type as t.Any, path);
  if (codec instanceof t.IntersectionType) return { allOf: (codec.types as t.Any[]).map((c, i) => toSchema(c, `${path}&${i}`)) };
  if (codec instanceof t.UnionType) return { anyOf: (codec.types as t.Any[]).map((c, i) => toSchema(c, `${path}|${i}`)) };
  if (codec instanceof t.LiteralType) return { const: codec.value };
  if (codec instanceof t.KeyofType) return { enum: Object.keys(codec.keys as object) };
  if (codec instanceof t.ArrayType) return { type: "array", items: toSchema(codec.type as t.Any, `${path}[]`) };
  if (codec instanceof t.DictionaryType) {
    if (!(codec.domain instanceof t.StringType)) throw new SchemaError(`${path}: record keys other than t.string have no schema (${codec.name})`);
    return { type: "object", additionalProperties: toSchema(codec.codomain as t.Any, `${path}{}`) };
  }
  if (codec instanceof t.StringType) return { type: "string" };
  if (codec instanceof t.NumberType) return { type: "number" };
  if (codec instanceof t.BooleanType) return { type: "boolean" };
  if (codec instanceof t.NullType) return { type: "null" };
  throw new SchemaError(`${path}: no JSON Schema for io-ts codec ${codec.name} (${codec.constructor.name}); give it schema metadata (src/io/schema-meta.ts)`);
};
