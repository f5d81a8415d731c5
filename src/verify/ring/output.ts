/**
 * io-ts codecs for everything an implementation under test prints (docs/verify-ring.md, contract
 * 1): the init line, write lines, read lines and the show object. Unknown fields are rejected;
 * an error names the output line and the field path. Decoding says only "this is a line of the
 * contract"; whether its values are right is the oracle's business (compare.ts).
 */
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import { formatErrors, Hex, U16, U32, U64, U8 } from "../../io/primitives.js";
import type { RingFaultKind } from "../../../spec/ring/faults.js";
import { strictObject, type Step } from "./session.js";

const IndexField = t.union([t.literal("writeIndex"), t.literal("readIndex")]);

/** The fields of each fault kind besides `rule` (and the free-text `message`). Keyed by every RingFault kind. */
export const FAULT_FIELDS: { readonly [K in RingFaultKind]: t.Props } = {
  badDataSize: { dataSize: U32 },
  indexOutOfRange: { field: IndexField, value: U32, dataSize: U32 },
  indexMisaligned: { field: IndexField, value: U32 },
  packetTooLarge: { total: U32, limit: U32 },
  unexpectedPacketType: { type: U16 },
  tooShort: { available: U32 },
  offset8TooSmall: { offset8: U16 },
  offset8BeyondLen8: { offset8: U16, len8: U16 },
  len8BeyondData: { len8: U16, available: U32 },
  typedHeaderBeyondOffset8: { type: U16, offset8: U16 },
  badRangeCount: { rangeCount: U32, room: U32 },
  gpaRangeEmpty: { index: U32 },
  gpaRangeOffsetTooLarge: { index: U32, byteOffset: U32 },
  gpaRangePfnsBeyondHeader: { index: U32, pfnCount: U32, room: U32 },
};
const isFaultKind = (s: unknown): s is RingFaultKind => typeof s === "string" && Object.prototype.hasOwnProperty.call(FAULT_FIELDS, s);

const Control = strictObject({ writeIndex: U32, readIndex: U32, interruptMask: U32, pendingSendSize: U32, featureBits: U32 }, {}, "control");
const InitLine = strictObject({ file: t.string, dataSize: U32, control: Control }, {}, "Init");

const WriteCommon = { signal: t.boolean, writeIndexBefore: U32, writeIndexAfter: U32 };
const WrittenLine = strictObject({ outcome: t.literal("written"), ...WriteCommon, bytes: U32 }, {}, "Write");
const FullLine = strictObject({ outcome: t.literal("full"), ...WriteCommon, needed: U32, available: U32 }, {}, "Write");
const writeFaultLine = (k: RingFaultKind) => strictObject({ outcome: t.literal(k), ...WriteCommon, rule: t.string, ...FAULT_FIELDS[k] }, { message: t.string }, "Write");

const GpaRange = strictObject({ byteCount: U32, byteOffset: U32, pfns: t.array(U64) }, {}, "range");
const XferRange = strictObject({ byteCount: U32, byteOffset: U32 }, {}, "range");
const PacketProps = { type: U16, flags: U16, transId: U64, offset8: U16, len8: U16, payload: Hex, start: U32, next: U32 };
const PacketOptional = { reserved: U32, ranges: t.union([t.array(GpaRange), t.array(XferRange)]), transferPageSetId: U16, senderOwnsSet: U8 };
const ReadPacketLine = strictObject({ ...PacketProps, signal: t.boolean }, PacketOptional, "Read");
const ShowPacket = strictObject(PacketProps, PacketOptional, "packet");
const StopLine = (name: string) => strictObject({ stop: t.literal("incomplete"), available: U32 }, {}, name);
const readFaultLine = (k: RingFaultKind, name: string) => strictObject({ fault: t.literal(k), rule: t.string, ...FAULT_FIELDS[k] }, { message: t.string }, name);

/** Pick the codec of a read/show stop object by its discriminating field. */
const stopCodec = (o: Record<string, unknown>, name: string): t.Decoder<unknown, unknown> | string => {
  if ("stop" in o) return StopLine(name);
  if (!isFaultKind(o.fault)) return `${name}.fault: unknown fault kind ${JSON.stringify(o.fault)?.slice(0, 40)}`;
  return readFaultLine(o.fault, name);
};

const ShowBase = strictObject({ dataSize: U32, control: Control, packets: t.array(ShowPacket) }, { stop: t.unknown }, "Show");

export type Decoded = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

const decodeWith = (codec: t.Decoder<unknown, unknown>, name: string, json: unknown): Decoded => {
  const d = codec.decode(json);
  if (isLeft(d)) return { ok: false, error: formatErrors(name, d.left).join("; ") };
  return { ok: true, value: d.right as Record<string, unknown> };
};

/** Decode one stdout line of the given step's command. */
export const decodeLine = (op: Exclude<Step["op"], "patch">, text: string): Decoded => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { ok: false, error: "expected a JSON object" };
  const o = json as Record<string, unknown>;
  switch (op) {
    case "init":
      return decodeWith(InitLine, "Init", o);
    case "write": {
      if (o.outcome === "written") return decodeWith(WrittenLine, "Write", o);
      if (o.outcome === "full") return decodeWith(FullLine, "Write", o);
      if (isFaultKind(o.outcome)) return decodeWith(writeFaultLine(o.outcome), "Write", o);
      return { ok: false, error: `Write.outcome: expected "written", "full" or a fault kind, got ${JSON.stringify(o.outcome)?.slice(0, 40) ?? "nothing"}` };
    }
    case "read": {
      if (!("stop" in o) && !("fault" in o)) return decodeWith(ReadPacketLine, "Read", o);
      const c = stopCodec(o, "Read");
      return typeof c === "string" ? { ok: false, error: c } : decodeWith(c, "Read", o);
    }
    case "show": {
      const base = decodeWith(ShowBase, "Show", o);
      if (!base.ok || o.stop === undefined) return base;
      if (typeof o.stop !== "object" || o.stop === null || Array.isArray(o.stop)) return { ok: false, error: "Show.stop: expected a JSON object" };
      const c = stopCodec(o.stop as Record<string, unknown>, "Show.stop");
      if (typeof c === "string") return { ok: false, error: c };
      const s = decodeWith(c, "Show.stop", o.stop);
      return s.ok ? { ok: true, value: { ...base.value, stop: s.value } } : s;
    }
  }
};
