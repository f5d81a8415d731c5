/**
 * io-ts codecs for the wire vector files (docs/vectors.md), so that replaying vectors — ours or
 * a third party's edited copy — fails with the path of the bad field, not a crash.
 */
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import { formatErrors, Hex, U32, U64 } from "./primitives.js";
import { MessageJson } from "./messages.js";
import { DeviceJson, HostInputJson } from "./host-inputs.js";

export const SUPPORTED_FORMAT_VERSION = 1;

const FormatVersion = t.literal(SUPPORTED_FORMAT_VERSION);
const Direction = t.union([t.literal("host-to-guest"), t.literal("guest-to-host")]);
export const DecodeContextJson = t.exact(t.partial({ version: U32, direction: Direction, features: U32 }), "DecodeContext");
const WireErrorKind = t.keyof(
  { tooShort: null, tooLong: null, unknownType: null, typeNotInVersion: null, wrongDirection: null, countMismatch: null, badField: null },
  "wire error kind",
);

export const ValidCaseJson = t.intersection([
  t.type({ id: t.string, context: DecodeContextJson, hex: Hex, message: MessageJson, trailingBytes: t.number }),
  t.partial({ form: t.string }),
]);
export const InvalidCaseJson = t.type({ id: t.string, description: t.string, context: DecodeContextJson, hex: Hex, error: WireErrorKind });

export const MessageVectorFileJson = t.type({
  formatVersion: FormatVersion,
  kind: t.literal("wire-message"),
  messageType: t.number,
  name: t.string,
  valid: t.array(ValidCaseJson),
  invalid: t.array(InvalidCaseJson),
});

const FrameExpect = t.union([t.type({ ok: t.literal(true) }), t.type({ ok: t.literal(false), error: t.string })]);
export const FramingVectorFileJson = t.type({
  formatVersion: FormatVersion,
  kind: t.literal("wire-framing"),
  synic: t.array(t.type({ id: t.string, hex: Hex, expect: FrameExpect })),
  post: t.array(t.type({ id: t.string, hex: Hex, expect: FrameExpect })),
});

const RangeJson = t.type({ byteCount: U32, byteOffset: U32, pfns: t.array(U64) });
export const GpadlVectorFileJson = t.type({
  formatVersion: FormatVersion,
  kind: t.literal("wire-gpadl"),
  cases: t.array(
    t.type({
      id: t.string,
      messages: t.array(Hex),
      expect: t.union([t.type({ ok: t.literal(true), ranges: t.array(RangeJson) }), t.type({ ok: t.literal(false), error: t.string })]),
    }),
  ),
});

export const WireIndexJson = t.type({ formatVersion: FormatVersion, kind: t.literal("wire-index"), files: t.array(t.string), valid: t.number, invalid: t.number });

/** Decode a parsed JSON value with `codec`, or the error lines (path: expected …, got …). */
export const decodeWith = <A>(codec: t.Type<A, unknown, unknown>, root: string, u: unknown): { ok: true; value: A } | { ok: false; errors: string[] } => {
  const r = codec.decode(u);
  return isLeft(r) ? { ok: false, errors: formatErrors(root, r.left) } : { ok: true, value: r.right };
};

// ---- host/ (kind "host-scenario") -----------------------------------------------------------

const HostProfile = t.keyof({ qemu: null, strict: null, openvmm: null }, "host profile");
const TraceArg = t.union([t.number, t.string]);
export const HostOutputJson = t.union([
  t.strict({ kind: t.literal("hypercallStatus"), status: U32 }),
  t.strict({ kind: t.literal("postMessage"), message: MessageJson, bytes: Hex, payloadSize: U32, targetVp: U32, sint: U32 }),
  t.strict({ kind: t.literal("channelSignal"), relid: U32, targetVp: U32 }),
  t.strict({ kind: t.literal("deviceNotify"), relid: U32, reason: t.string }),
  t.strict({ kind: t.literal("rejected"), rule: t.string, reason: t.string }),
  t.strict({ kind: t.literal("defect"), rule: t.string, description: t.string }),
  t.intersection([t.strict({ kind: t.literal("trace"), event: t.string, args: t.array(TraceArg) }), t.partial({ text: t.string })]),
]);
export const HostViewJson = t.intersection([
  t.type({
    connected: t.boolean,
    messageConnectionIds: t.array(U32),
    offeredRelids: t.array(U32),
    openChannels: t.array(t.type({ relid: U32, gpadl: U32 })),
    gpadls: t.array(t.type({ id: U32, childRelid: U32, complete: t.boolean, state: t.string })),
    messageInFlight: t.boolean,
    queuedIncoming: t.number,
  }),
  t.partial({ version: U32 }),
]);
export const HostScenarioFileJson = t.type({
  formatVersion: FormatVersion,
  kind: t.literal("host-scenario"),
  id: t.string,
  profile: HostProfile,
  title: t.string,
  config: t.type({ profile: HostProfile, vcpuCount: U32, devices: t.array(DeviceJson) }),
  steps: t.array(t.type({ input: HostInputJson, outputs: t.array(HostOutputJson) })),
  final: HostViewJson,
});
export const HostIndexJson = t.type({ formatVersion: FormatVersion, kind: t.literal("host-index"), files: t.array(t.string), scenarios: t.number, steps: t.number });

// ---- ring/ (kind "ring-case") ---------------------------------------------------------------

const RingProfileName = t.keyof({ strict: null, qemu: null, linux: null, openvmm: null, dpdk: null }, "ring profile");
export const RingControlJson = t.strict({ writeIndex: U32, readIndex: U32, interruptMask: U32, pendingSendSize: U32, featureBits: U32 }, "RingControl");
const PacketBodyJson = t.union([
  t.strict({ kind: t.literal("plain") }),
  t.strict({ kind: t.literal("gpaDirect"), reserved: U32, ranges: t.array(RangeJson) }),
  t.strict({ kind: t.literal("transferPage"), transferPageSetId: t.number, senderOwnsSet: t.number, reserved: t.number, ranges: t.array(t.type({ byteCount: U32, byteOffset: U32 })) }),
]);
export const RingPacketJson = t.strict({ type: t.number, flags: t.number, transId: U64, body: PacketBodyJson, payload: Hex }, "Packet");
export const RingDecodedPacketJson = t.strict({ type: t.number, offset8: t.number, len8: t.number, flags: t.number, transId: U64, body: PacketBodyJson, payload: Hex }, "DecodedPacket");
/** A named fault: its kind and rule ID plus the fault's numeric/string details. */
const RingFaultJson = t.intersection([t.type({ kind: t.string, rule: t.string }), t.record(t.string, t.union([t.number, t.string]))], "RingFault");
const ReadOutcomeJson = t.union([
  t.strict({ kind: t.literal("packet"), packet: RingDecodedPacketJson, start: U32, next: U32 }),
  t.strict({ kind: t.literal("empty") }),
  t.strict({ kind: t.literal("incomplete"), available: t.number }),
  t.strict({ kind: t.literal("fault"), fault: RingFaultJson }),
]);
const WriteOutcomeJson = t.union([
  t.strict({ kind: t.literal("written"), writeIndexBefore: U32, writeIndexAfter: U32, total: U32 }),
  t.strict({ kind: t.literal("full"), needed: U32, available: U32 }),
  t.strict({ kind: t.literal("fault"), fault: RingFaultJson }),
]);
export const RingOperationJson = t.union([
  t.intersection([
    t.strict({
      op: t.literal("write"),
      packets: t.array(RingPacketJson),
      expect: t.strict({ outcomes: t.array(WriteOutcomeJson), signal: t.boolean, writeIndexBefore: U32, writeIndexAfter: U32, control: RingControlJson }),
    }),
    t.partial({ waitIfFull: t.boolean }),
  ]),
  t.strict({ op: t.literal("read"), max: t.number, expect: t.strict({ packets: t.array(ReadOutcomeJson), stop: t.union([t.null, ReadOutcomeJson]), signal: t.boolean, control: RingControlJson }) }),
  t.intersection([t.strict({ op: t.literal("peek"), expect: t.strict({ outcome: ReadOutcomeJson, control: RingControlJson }) }), t.partial({ cursor: U32 })]),
  t.strict({
    op: t.literal("commit"),
    readIndex: U32,
    expect: t.union([t.strict({ bytesRead: t.number, signal: t.boolean, control: RingControlJson }), t.strict({ fault: RingFaultJson, control: RingControlJson })]),
  }),
  t.strict({ op: t.literal("beginRead"), expect: t.strict({ control: RingControlJson }) }),
  t.strict({
    op: t.literal("endRead"),
    expect: t.strict({
      recheck: t.union([t.strict({ kind: t.literal("empty") }), t.strict({ kind: t.literal("pending"), bytes: t.number }), t.strict({ kind: t.literal("fault"), fault: RingFaultJson })]),
      control: RingControlJson,
    }),
  }),
  t.strict({ op: t.literal("setPendingSendSize"), value: U32, expect: t.strict({ control: RingControlJson }) }),
  t.strict({ op: t.literal("peer"), control: t.exact(t.partial(RingControlJson.type.props)), expect: t.strict({ control: RingControlJson }) }),
]);
export const RingCaseFileJson = t.type({
  formatVersion: FormatVersion,
  kind: t.literal("ring-case"),
  id: t.string,
  profile: RingProfileName,
  title: t.string,
  initial: t.type({ control: RingControlJson, data: Hex }),
  operations: t.array(RingOperationJson),
  final: t.type({ control: RingControlJson, data: Hex }),
});
export const RingIndexJson = t.type({ formatVersion: FormatVersion, kind: t.literal("ring-index"), files: t.array(t.string), cases: t.number, operations: t.number });

/** The top-level index.json `vmbus-spec vectors` writes next to the directories. */
export const VectorsIndexJson = t.type({ formatVersion: FormatVersion, kind: t.literal("vectors-index"), directories: t.array(t.string) });
