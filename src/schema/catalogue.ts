/**
 * The JSON Schema files generated from the io-ts codecs of the vector and script formats
 * (docs/vectors.md says which file each validates). Written to docs/schemas/ (src/docs/registry.ts)
 * and by `vmbus-spec vectors --out DIR` to DIR/schemas/.
 */
import type * as t from "io-ts";
import { ScriptLineJson } from "../io/host-inputs.js";
import { PacketLineJson } from "../io/ring-packet.js";
import {
  FramingVectorFileJson,
  GpadlVectorFileJson,
  HostIndexJson,
  HostScenarioFileJson,
  MessageVectorFileJson,
  RingCaseFileJson,
  RingIndexJson,
  VectorsIndexJson,
  WireIndexJson,
} from "../io/vectors.js";
import { toSchema } from "./walk.js";

export const SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";

export interface SchemaEntry {
  /** File name, e.g. "wire-message.schema.json". */
  readonly file: string;
  /** What it validates (a path under the vectors directory, or a script line). */
  readonly validates: string;
  readonly codec: t.Any;
}

export const SCHEMAS: readonly SchemaEntry[] = [
  { file: "vectors-index.schema.json", validates: "index.json (the top-level vectors index)", codec: VectorsIndexJson },
  { file: "wire-message.schema.json", validates: "wire/NN-<Message>.json (one file per message type, and 00-Generic.json)", codec: MessageVectorFileJson },
  { file: "wire-framing.schema.json", validates: "wire/framing.json", codec: FramingVectorFileJson },
  { file: "wire-gpadl.schema.json", validates: "wire/gpadl.json", codec: GpadlVectorFileJson },
  { file: "wire-index.schema.json", validates: "wire/index.json", codec: WireIndexJson },
  { file: "host-scenario.schema.json", validates: "host/<profile>/<id>.json", codec: HostScenarioFileJson },
  { file: "host-index.schema.json", validates: "host/index.json", codec: HostIndexJson },
  { file: "ring-case.schema.json", validates: "ring/<profile>/<id>.json", codec: RingCaseFileJson },
  { file: "ring-index.schema.json", validates: "ring/index.json", codec: RingIndexJson },
  { file: "host-script-line.schema.json", validates: "one line of a `vmbus-spec host` script (JSON lines)", codec: ScriptLineJson },
  { file: "ring-write-packet.schema.json", validates: "one line of `vmbus-spec ring write` input (JSON lines)", codec: PacketLineJson },
];

/** The schema document of one entry (an object; generateSchema gives its file text). */
export const schemaOf = (e: SchemaEntry): Record<string, unknown> => ({
  $schema: SCHEMA_DIALECT,
  title: e.file.replace(/\.schema\.json$/, ""),
  description: `Validates ${e.validates}. Generated from the io-ts codec by src/schema/ (do not edit).`,
  ...toSchema(e.codec),
});

export const generateSchema = (e: SchemaEntry): string => JSON.stringify(schemaOf(e), null, 1) + "\n";
