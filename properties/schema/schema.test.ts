/**
 * The JSON Schemas generated from the io-ts codecs (src/schema/, docs/schemas/) accept what the
 * codecs accept: every generated vector file and example script line is valid, and on random
 * mutations (an unknown field, a wrong type, a missing field) schema and codec give the same verdict.
 */
import { readFileSync, readdirSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import * as t from "io-ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { U64 } from "../../src/io/primitives.js";
import { SCHEMAS, schemaOf, type SchemaEntry } from "../../src/schema/catalogue.js";
import { toSchema, SchemaError } from "../../src/schema/walk.js";
import { writeHostVectors } from "../../src/vectors/host.js";
import { writeRingVectors } from "../../src/vectors/ring.js";
import { writeWireVectors } from "../../src/vectors/wire.js";
import { parsePacketLine } from "../../src/cli/commands/ring.js";
import { walk } from "../vectors/helpers.js";
import { validate } from "./validator.js";

const entry = (file: string): SchemaEntry => SCHEMAS.find((e) => e.file === file)!;
/** Which schema validates a vector file: by its `kind` (docs/vectors.md says the same). */
const BY_KIND: Record<string, string> = {
  "vectors-index": "vectors-index.schema.json",
  "wire-message": "wire-message.schema.json",
  "wire-framing": "wire-framing.schema.json",
  "wire-gpadl": "wire-gpadl.schema.json",
  "wire-index": "wire-index.schema.json",
  "host-scenario": "host-scenario.schema.json",
  "host-index": "host-index.schema.json",
  "ring-case": "ring-case.schema.json",
  "ring-index": "ring-index.schema.json",
};

let dir = "";
const files: { name: string; json: unknown; entry: SchemaEntry }[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vmbus-schema-"));
  await writeWireVectors(dir);
  await writeHostVectors(dir);
  await writeRingVectors(dir);
  for (const name of await walk(dir)) {
    const json = JSON.parse(await readFile(join(dir, name), "utf8")) as { kind: string };
    files.push({ name, json, entry: entry(BY_KIND[json.kind]!) });
  }
  files.push({ name: "index.json", json: { formatVersion: 1, kind: "vectors-index", directories: ["wire", "host", "ring", "schemas"] }, entry: entry("vectors-index.schema.json") });
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SCHEMA = new Map(SCHEMAS.map((e) => [e.file, schemaOf(e)]));
const schemaOk = (e: SchemaEntry, v: unknown): boolean => validate(SCHEMA.get(e.file)!, v).length === 0;
const codecOk = (e: SchemaEntry, v: unknown): boolean => e.codec.decode(v)._tag === "Right";

const EXAMPLES = join("docs", "examples", "host");
const scriptLines = (): unknown[] =>
  readdirSync(EXAMPLES)
    .filter((f) => f.endsWith(".jsonl"))
    .flatMap((f) => readFileSync(join(EXAMPLES, f), "utf8").split("\n"))
    .filter((l) => l.trim() !== "" && !l.trimStart().startsWith("#"))
    .map((l) => JSON.parse(l) as unknown);

const PACKET_LINES: unknown[] = [
  { payload: "00" },
  { type: 6, flags: 1, transId: "18446744073709551615", payload: "0011" },
  { type: 6, transId: 42, payload: "" },
  { type: 9, payload: "00", reserved: 0, ranges: [{ byteCount: 4096, byteOffset: 0, pfns: ["1"] }] },
  { type: 7, payload: "00", transferPageSetId: 1, senderOwnsSet: 1, ranges: [{ byteCount: 16, byteOffset: 0 }] },
];

describe("JSON Schemas of the vector and script formats", () => {
  it("every generated vector file is valid under its schema (and its codec)", () => {
    expect(files.length).toBeGreaterThan(40);
    expect(new Set(files.map((f) => f.entry.file)).size).toBe(Object.keys(BY_KIND).length);
    for (const f of files) {
      expect(validate(SCHEMA.get(f.entry.file)!, f.json), f.name).toEqual([]);
      expect(codecOk(f.entry, f.json), f.name).toBe(true);
    }
  });

  it("every docs/examples/host line and sample ring write line is valid under its schema", () => {
    const lines = scriptLines();
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(validate(SCHEMA.get("host-script-line.schema.json")!, l), JSON.stringify(l)).toEqual([]);
    for (const l of PACKET_LINES) {
      expect(validate(SCHEMA.get("ring-write-packet.schema.json")!, l), JSON.stringify(l)).toEqual([]);
      expect(parsePacketLine(JSON.stringify(l)).ok, JSON.stringify(l)).toBe(true);
    }
  });

  it("closed objects say additionalProperties: false; an unknown io-ts codec is an error, never a permissive schema", () => {
    const s = toSchema(entry("wire-index.schema.json").codec);
    expect(s).toMatchObject({ type: "object", additionalProperties: false, required: ["formatVersion", "kind", "files", "valid", "invalid"] });
    expect(() => toSchema(t.type({ a: t.unknown }))).toThrow(SchemaError);
    expect(() => toSchema(t.type({ a: t.bigint }))).toThrow(/\$\.a: no JSON Schema/);
  });

  it("the u64 pattern accepts exactly what the U64 codec accepts", () => {
    const p = new RegExp((toSchema(U64) as { pattern: string }).pattern, "u");
    const edge = ["0", "1", "00", "01", "9999999999999999999", "10000000000000000000", "18446744073709551615", "18446744073709551616", "18446744073709551625", "18446744073709551705", "19000000000000000000", "99999999999999999999", "100000000000000000000", "-1", "1.0", ""];
    for (const s of edge) expect(p.test(s), s).toBe(U64.is(s));
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 66n) }), (n) => p.test(n.toString()) === U64.is(n.toString())),
      { numRuns: 300, seed: 12 },
    );
  });
});

// ---- mutations: schema and codec agree ------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** Every path in a JSON tree (the root is []). */
const paths = (v: Json, at: Path = [], out: Path[] = []): Path[] => {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
};
const get = (v: Json, p: Path): Json => p.reduce<Json>((o, k) => (o as Record<string, Json>)[k as string]!, v);
/** Set an own property (so "__proto__" becomes a key, as JSON.parse makes it). */
const setOwn = (o: object, k: string | number, x: Json): void => {
  Object.defineProperty(o, k, { value: x, enumerable: true, writable: true, configurable: true });
};

const WRONG_VALUES: Json[] = ["x", "", "zz", 1.5, -1, 0, 256, 65536, 4294967296, null, true, [], {}, "18446744073709551616", "0x10", "00"];
const UNKNOWN_KEYS = ["x", "__proto__", "toString", "constructor", "conectionId", "Kind"];

type Mutation = { kind: "add"; at: number; key: number } | { kind: "replace"; at: number; value: number } | { kind: "delete"; at: number };
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("add" as const), at: fc.nat(), key: fc.nat(UNKNOWN_KEYS.length - 1) }),
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: fc.nat(WRONG_VALUES.length - 1) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
);

/** Apply `m` to a copy of `v` (paths chosen among objects for add/delete, among all nodes for replace). */
const mutate = (v: Json, m: Mutation): Json => {
  const copy = structuredClone(v);
  const all = paths(copy);
  if (m.kind === "replace") {
    const p = all[m.at % all.length]!;
    if (p.length === 0) return WRONG_VALUES[m.value]!;
    setOwn(get(copy, p.slice(0, -1)) as object, p[p.length - 1]!, structuredClone(WRONG_VALUES[m.value]!));
    return copy;
  }
  const objects = all.filter((p) => {
    const x = get(copy, p);
    return x !== null && typeof x === "object" && !Array.isArray(x);
  });
  const target = get(copy, objects[m.at % objects.length]!) as Record<string, Json>;
  if (m.kind === "add") setOwn(target, UNKNOWN_KEYS[m.key]!, 1);
  else {
    const keys = Object.keys(target);
    if (keys.length > 0) delete target[keys[m.at % keys.length]!];
  }
  return copy;
};

describe("schema and codec agree on mutated inputs", () => {
  it("mutated vector files: an unknown field, a wrong type or a missing field is rejected by both or neither", () => {
    let rejected = 0;
    fc.assert(
      fc.property(fc.nat(), mutationArb, (i, m) => {
        const f = files[i % files.length]!;
        const v = mutate(f.json as Json, m);
        const c = codecOk(f.entry, v);
        if (!c) rejected++;
        expect(schemaOk(f.entry, v), `${f.name} ${JSON.stringify(m)}`).toBe(c);
      }),
      { numRuns: 400, seed: 2026 },
    );
    expect(rejected).toBeGreaterThan(200); // the mutations mostly break the file: the agreement is not vacuous
  });

  it("mutated script and ring write lines: schema, codec and the ring write parser agree", () => {
    const script = entry("host-script-line.schema.json");
    const packet = entry("ring-write-packet.schema.json");
    const lines = scriptLines();
    fc.assert(
      fc.property(fc.nat(), fc.boolean(), mutationArb, (i, isPacket, m) => {
        if (isPacket) {
          const v = mutate(PACKET_LINES[i % PACKET_LINES.length] as Json, m);
          const c = codecOk(packet, v);
          expect(schemaOk(packet, v), JSON.stringify(v)).toBe(c);
          expect(parsePacketLine(JSON.stringify(v)).ok, JSON.stringify(v)).toBe(c);
        } else {
          const v = mutate(lines[i % lines.length] as Json, m);
          expect(schemaOk(script, v), JSON.stringify(v)).toBe(codecOk(script, v));
        }
      }),
      { numRuns: 400, seed: 2027 },
    );
  });
});
