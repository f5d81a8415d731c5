/**
 * Canonical serialisation: JSON with object keys in sorted order, so equal states give equal
 * keys whatever order their fields were built in. Arrays keep their order (every list in the
 * state is kept sorted or is meaningfully ordered, e.g. queues).
 */
export const canonicalKey = (value: unknown): string => {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(",")}]`;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalKey(o[k])}`).join(",")}}`;
};
