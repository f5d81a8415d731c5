/**
 * io-ts codecs for one `vmbus-spec ring write` input line (a packet as JSON), shared by the CLI
 * (src/cli/commands/ring.ts parsePacketLine) and the JSON Schema generator (src/schema/).
 * Only packets of type 9 (GPA direct) carry GPA ranges and only type 7 (transfer pages) carries
 * transfer-page ranges; every other field is optional (defaults in parsePacketLine).
 */
import * as t from "io-ts";
import { closed, Hex, U16, U32, U64, U8 } from "./primitives.js";
import { withSchema } from "./schema-meta.js";

/** A transaction ID: a u64 decimal string, or a JSON number when it is a safe integer. */
export const TransIdJson = t.union([
  U64,
  withSchema(
    new t.Type<string, string, unknown>("u64 as a safe integer", (u): u is string => false, (u, c) => (typeof u === "number" && Number.isSafeInteger(u) && u >= 0 ? t.success(String(u)) : t.failure(u, c)), t.identity),
    { kind: "leaf", schema: { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER } },
  ),
]);
export const GpaRangeLineJson = closed("GpaRange", { byteCount: U32, byteOffset: U32, pfns: t.array(U64) });
export const TransferPageRangeLineJson = closed("TransferPageRange", { byteCount: U32, byteOffset: U32 });

const GPA_DIRECT = 9;
const TRANSFER_PAGES = 7;
/** A u16 packet type other than 7 and 9 (those are the members that may carry ranges). */
const OtherPacketType = withSchema(
  new t.Type<number, number, unknown>(
    "u16 (integer 0..65535) other than 7 and 9",
    (u): u is number => U16.is(u) && u !== GPA_DIRECT && u !== TRANSFER_PAGES,
    (u, c) => (U16.is(u) && u !== GPA_DIRECT && u !== TRANSFER_PAGES ? t.success(u) : t.failure(u, c)),
    t.identity,
  ),
  { kind: "leaf", schema: { anyOf: [{ type: "integer", minimum: 0, maximum: 6 }, { const: 8 }, { type: "integer", minimum: 10, maximum: 0xffff }] } },
);

/** The fields every line may carry (the CLI decodes these first, then the ranges by type). */
export const PACKET_FIELDS = { type: U16, flags: U16, transId: TransIdJson, payload: Hex, ranges: t.unknown, reserved: U32, transferPageSetId: U16, senderOwnsSet: U8 };
export const PacketFieldsJson = t.partial(PACKET_FIELDS, "Packet");

const COMMON = { flags: U16, transId: TransIdJson, reserved: U32, transferPageSetId: U16, senderOwnsSet: U8 };
/** Exactly the lines `ring write` accepts (before the ring's own rules, which --raw lifts). */
export const PacketLineJson = t.union([
  closed("Packet", { type: t.literal(GPA_DIRECT), payload: Hex }, { ...COMMON, ranges: t.array(GpaRangeLineJson) }),
  closed("Packet", { type: t.literal(TRANSFER_PAGES), payload: Hex }, { ...COMMON, ranges: t.array(TransferPageRangeLineJson) }),
  closed("Packet", { payload: Hex }, { ...COMMON, type: OtherPacketType }),
]);
