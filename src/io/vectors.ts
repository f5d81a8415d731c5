/**
 * io-ts codecs for the wire vector files (docs/vectors.md), so that replaying vectors — ours or
 * a third party's edited copy — fails with the path of the bad field, not a crash.
 */
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import { formatErrors, Hex, U32, U64, exactly, exactlyWith } from "./primitives.js";
import { MessageJson } from "./messages.js";
import { DeviceJson, HostInputJson } from "./host-inputs.js";

export const SUPPORTED_FORMAT_VERSION = 1;

const FormatVersion = t.literal(SUPPORTED_FORMAT_VERSION);
const Direction = t.union([t.literal("host-to-guest"), t.literal("guest-to-host")]);
export const DecodeContextJson = exactlyWith({}, { version: U32, direction: Direction, features: U32 }, "DecodeContext");
const WireErrorKind = t.keyof(
  { tooShort: null, tooLong: null, unknownType: null, typeNotInVersion: null, wrongDirection: null, countMismatch: null, badField: null },
  "wire error kind",
);

export const ValidCaseJson = exactlyWith({ id: t.string, context: DecodeContextJson, hex: Hex, message: MessageJson, trailingBytes: t.number }, { form: t.string }, "ValidCase");
export const InvalidCaseJson = exactly({ id: t.string, description: t.string, context: DecodeContextJson, hex: Hex, error: WireErrorKind });

export const MessageVectorFileJson = exactly({
  formatVersion: FormatVersion,
  kind: t.literal("wire-message"),
  messageType: t.number,
  name: t.string,
  valid: t.array(ValidCaseJson),
  invalid: t.array(InvalidCaseJson),
});

const SlotJson = exactly({ messageType: U32, payloadSize: U32, messageFlags: U32, sender: U64, payload: Hex }, "SynicSlot");
const PostInputJson = exactly({ connectionId: U32, messageType: U32, payloadSize: U32, payload: Hex }, "PostMessageInput");
const FailedFrame = exactly({ ok: t.literal(false), error: t.string }, "FrameError");
const SlotExpect = t.union([exactly({ ok: t.literal(true), slot: SlotJson, pending: t.boolean }, "SlotFrame"), FailedFrame]);
const PostExpect = t.union([exactly({ ok: t.literal(true), input: PostInputJson, maskedConnectionId: U32 }, "PostFrame"), FailedFrame]);
export const FramingVectorFileJson = exactly({
  formatVersion: FormatVersion,
  kind: t.literal("wire-framing"),
  synic: t.array(exactly({ id: t.string, hex: Hex, expect: SlotExpect })),
  post: t.array(exactly({ id: t.string, hex: Hex, expect: PostExpect })),
});

const RangeJson = exactly({ byteCount: U32, byteOffset: U32, pfns: t.array(U64) });
export const GpadlVectorFileJson = exactly({
  formatVersion: FormatVersion,
  kind: t.literal("wire-gpadl"),
  cases: t.array(
    exactly({
      id: t.string,
      messages: t.array(Hex),
      expect: t.union([exactly({ ok: t.literal(true), ranges: t.array(RangeJson) }), exactly({ ok: t.literal(false), error: t.string })]),
    }),
  ),
});

export const WireIndexJson = exactly({ formatVersion: FormatVersion, kind: t.literal("wire-index"), files: t.array(t.string), valid: t.number, invalid: t.number });

/** Decode a parsed JSON value with `codec`, or the error lines (path: expected …, got …). */
export const decodeWith = <A>(codec: t.Type<A, unknown, unknown>, root: string, u: unknown): { ok: true; value: A } | { ok: false; errors: string[] } => {
  const r = codec.decode(u);
  return isLeft(r) ? { ok: false, errors: formatErrors(root, r.left) } : { ok: true, value: r.right };
};

// ---- host/ (kind "host-scenario") -----------------------------------------------------------

const HostProfile = t.keyof({ qemu: null, strict: null, openvmm: null }, "host profile");
const TraceArg = t.union([t.number, t.string]);
export const HostOutputJson = t.union([
  exactly({ kind: t.literal("hypercallStatus"), status: U32 }),
  exactly({ kind: t.literal("postMessage"), message: MessageJson, bytes: Hex, payloadSize: U32, targetVp: U32, sint: U32 }),
  exactly({ kind: t.literal("channelSignal"), relid: U32, targetVp: U32 }),
  exactly({ kind: t.literal("deviceNotify"), relid: U32, reason: t.string }),
  exactly({ kind: t.literal("rejected"), rule: t.string, reason: t.string }),
  exactly({ kind: t.literal("defect"), rule: t.string, description: t.string }),
  exactlyWith({ kind: t.literal("trace"), event: t.string, args: t.array(TraceArg) }, { text: t.string }),
]);
export const HostViewJson = exactlyWith(
  {
    connected: t.boolean,
    messageConnectionIds: t.array(U32),
    offeredRelids: t.array(U32),
    openChannels: t.array(exactly({ relid: U32, gpadl: U32 })),
    gpadls: t.array(exactly({ id: U32, childRelid: U32, complete: t.boolean, state: t.string })),
    messageInFlight: t.boolean,
    queuedIncoming: t.number,
  },
  { version: U32 },
  "HostView",
);
export const HostScenarioFileJson = exactly({
  formatVersion: FormatVersion,
  kind: t.literal("host-scenario"),
  id: t.string,
  profile: HostProfile,
  title: t.string,
  config: exactly({ profile: HostProfile, vcpuCount: U32, devices: t.array(DeviceJson) }),
  steps: t.array(exactly({ input: HostInputJson, outputs: t.array(HostOutputJson) })),
  final: HostViewJson,
});
export const HostIndexJson = exactly({ formatVersion: FormatVersion, kind: t.literal("host-index"), files: t.array(t.string), scenarios: t.number, steps: t.number });

// ---- ring/ (kind "ring-case") ---------------------------------------------------------------

const RingProfileName = t.keyof({ strict: null, qemu: null, linux: null, openvmm: null, dpdk: null }, "ring profile");
const RING_CONTROL_PROPS = { writeIndex: U32, readIndex: U32, interruptMask: U32, pendingSendSize: U32, featureBits: U32 };
export const RingControlJson = exactly(RING_CONTROL_PROPS, "RingControl");
const PacketBodyJson = t.union([
  exactly({ kind: t.literal("plain") }),
  exactly({ kind: t.literal("gpaDirect"), reserved: U32, ranges: t.array(RangeJson) }),
  exactly({ kind: t.literal("transferPage"), transferPageSetId: t.number, senderOwnsSet: t.number, reserved: t.number, ranges: t.array(exactly({ byteCount: U32, byteOffset: U32 })) }),
]);
export const RingPacketJson = exactly({ type: t.number, flags: t.number, transId: U64, body: PacketBodyJson, payload: Hex }, "Packet");
export const RingDecodedPacketJson = exactly({ type: t.number, offset8: t.number, len8: t.number, flags: t.number, transId: U64, body: PacketBodyJson, payload: Hex }, "DecodedPacket");
/** A named fault: its kind and rule ID plus the fault's numeric/string details. */
const RingFaultJson = t.intersection([t.type({ kind: t.string, rule: t.string }), t.record(t.string, t.union([t.number, t.string]))], "RingFault"); // open by design: each fault kind has its own fields
const ReadOutcomeJson = t.union([
  exactly({ kind: t.literal("packet"), packet: RingDecodedPacketJson, start: U32, next: U32 }),
  exactly({ kind: t.literal("empty") }),
  exactly({ kind: t.literal("incomplete"), available: t.number }),
  exactly({ kind: t.literal("fault"), fault: RingFaultJson }),
]);
const WriteOutcomeJson = t.union([
  exactly({ kind: t.literal("written"), writeIndexBefore: U32, writeIndexAfter: U32, total: U32 }),
  exactly({ kind: t.literal("full"), needed: U32, available: U32 }),
  exactly({ kind: t.literal("fault"), fault: RingFaultJson }),
]);
export const RingOperationJson = t.union([
  exactlyWith(
    {
      op: t.literal("write"),
      packets: t.array(RingPacketJson),
      expect: exactly({ outcomes: t.array(WriteOutcomeJson), signal: t.boolean, writeIndexBefore: U32, writeIndexAfter: U32, control: RingControlJson }),
    },
    { waitIfFull: t.boolean },
  ),
  exactly({ op: t.literal("read"), max: t.number, expect: exactly({ packets: t.array(ReadOutcomeJson), stop: t.union([t.null, ReadOutcomeJson]), signal: t.boolean, control: RingControlJson }) }),
  exactlyWith({ op: t.literal("peek"), expect: exactly({ outcome: ReadOutcomeJson, control: RingControlJson }) }, { cursor: U32 }),
  exactly({
    op: t.literal("commit"),
    readIndex: U32,
    expect: t.union([exactly({ bytesRead: t.number, signal: t.boolean, control: RingControlJson }), exactly({ fault: RingFaultJson, control: RingControlJson })]),
  }),
  exactly({ op: t.literal("beginRead"), expect: exactly({ control: RingControlJson }) }),
  exactly({
    op: t.literal("endRead"),
    expect: exactly({
      recheck: t.union([exactly({ kind: t.literal("empty") }), exactly({ kind: t.literal("pending"), bytes: t.number }), exactly({ kind: t.literal("fault"), fault: RingFaultJson })]),
      control: RingControlJson,
    }),
  }),
  exactly({ op: t.literal("setPendingSendSize"), value: U32, expect: exactly({ control: RingControlJson }) }),
  exactly({ op: t.literal("peer"), control: exactlyWith({}, RING_CONTROL_PROPS, "RingControl"), expect: exactly({ control: RingControlJson }) }),
]);
export const RingCaseFileJson = exactly({
  formatVersion: FormatVersion,
  kind: t.literal("ring-case"),
  id: t.string,
  profile: RingProfileName,
  title: t.string,
  initial: exactly({ control: RingControlJson, data: Hex }),
  operations: t.array(RingOperationJson),
  final: exactly({ control: RingControlJson, data: Hex }),
});
export const RingIndexJson = exactly({ formatVersion: FormatVersion, kind: t.literal("ring-index"), files: t.array(t.string), cases: t.number, operations: t.number });

/** The top-level index.json `vmbus-spec vectors` writes next to the directories. */
export const VectorsIndexJson = exactly({ formatVersion: FormatVersion, kind: t.literal("vectors-index"), directories: t.array(t.string) });
