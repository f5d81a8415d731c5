/**
 * A JSON Schema validator for exactly the subset src/schema/ generates (draft 2020-12 keywords
 * type, properties, required, additionalProperties, items, const, enum, anyOf, allOf, pattern,
 * minimum, maximum; annotations $schema, title, description). Any other keyword is an error,
 * so a generator that starts emitting one cannot be silently half-checked.
 */
type Schema = { readonly [k: string]: unknown };

const KNOWN = new Set(["$schema", "title", "description", "type", "properties", "required", "additionalProperties", "items", "const", "enum", "anyOf", "allOf", "pattern", "minimum", "maximum"]);

const typeOk = (type: string, v: unknown): boolean => {
  switch (type) {
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    case "array":
      return Array.isArray(v);
    case "string":
      return typeof v === "string";
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "number":
      return typeof v === "number";
    case "boolean":
      return typeof v === "boolean";
    case "null":
      return v === null;
    default:
      throw new Error(`validator: unknown type ${type}`);
  }
};

const equal = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Error lines ("path: reason"); empty when `v` is valid. */
export const validate = (schema: Schema, v: unknown, path = "$"): string[] => {
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`validator: keyword ${k} at ${path} is outside the subset`);
  const errs: string[] = [];
  if (schema.type !== undefined && !typeOk(schema.type as string, v)) return [`${path}: expected ${schema.type as string}`];
  if (schema.const !== undefined && !equal(schema.const, v)) errs.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (schema.enum !== undefined && !(schema.enum as unknown[]).some((x) => equal(x, v))) errs.push(`${path}: not in enum`);
  if (typeof v === "string" && schema.pattern !== undefined && !new RegExp(schema.pattern as string, "u").test(v)) errs.push(`${path}: does not match ${schema.pattern as string}`);
  if (typeof v === "number") {
    if (schema.minimum !== undefined && v < (schema.minimum as number)) errs.push(`${path}: below ${schema.minimum as number}`);
    if (schema.maximum !== undefined && v > (schema.maximum as number)) errs.push(`${path}: above ${schema.maximum as number}`);
  }
  if (Array.isArray(v) && schema.items !== undefined) v.forEach((x, i) => errs.push(...validate(schema.items as Schema, x, `${path}[${i}]`)));
  if (typeof v === "object" && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const r of (schema.required ?? []) as string[]) if (!Object.hasOwn(o, r)) errs.push(`${path}.${r}: required`);
    for (const k of Object.keys(o)) {
      if (Object.hasOwn(props, k)) errs.push(...validate(props[k]!, o[k], `${path}.${k}`));
      else if (schema.additionalProperties === false) errs.push(`${path}.${k}: not allowed`);
      else if (typeof schema.additionalProperties === "object") errs.push(...validate(schema.additionalProperties as Schema, o[k], `${path}.${k}`));
    }
  }
  if (schema.allOf !== undefined) for (const s of schema.allOf as Schema[]) errs.push(...validate(s, v, path));
  if (schema.anyOf !== undefined && !(schema.anyOf as Schema[]).some((s) => validate(s, v, path).length === 0)) errs.push(`${path}: matches none of anyOf`);
  return errs;
};
