/**
 * Transport framing codecs, driven by the framing layouts:
 * the 256-byte SynIC message slot, the HvPostMessage input and the HvSignalEvent input.
 * Total: bad input is a WireError, never a throw.
 */
import { err, ok, type Result } from "../result.js";
import { CONNECTION_ID_MASK, HV_MESSAGE_FLAG_PENDING, Limits } from "./constants.js";
import { wireError, type WireError, type WireWarning } from "./errors.js";
import { nonZeroReserved, readFields, writeFields } from "./fields.js";
import { bytesToHex, hexToBytes } from "./hex.js";
import type { Layout } from "./layout.js";
import { HvPostMessageInput, HvSignalEventInput, SynicMessage } from "./layouts/framing.js";
import type { Hex, U64 } from "./primitives.js";

/** One SynIC message slot. `payload` is the first `payloadSize` bytes of the 240-byte payload area. */
export interface SynicSlot {
  readonly messageType: number; // u32: 0 free, 1 VMBus
  readonly payloadSize: number; // u8, ≤ 240
  readonly messageFlags: number; // u8, bit0 pending
  readonly sender: U64; // u64 (QEMU writes 0)
  readonly payload: Hex;
}

export interface DecodedSlot {
  readonly slot: SynicSlot;
  /** messageFlags bit0 (HV_MESSAGE_FLAG_PENDING). */
  readonly pending: boolean;
  readonly warnings: readonly WireWarning[];
}

const warn = (bytes: Uint8Array, layout: Layout): WireWarning[] =>
  nonZeroReserved(bytes, 0, layout).map((f) => ({
    kind: "reservedNonZero" as const,
    message: `${layout.name}.${f.name} (offset ${f.offset}) is reserved but not zero`,
    field: `${layout.name}.${f.name}`,
    offset: f.offset,
    rule: "WIRE-HDR-3",
  }));

const sizeError = (layout: Layout, got: number, rule: string): WireError =>
  wireError(got < layout.size ? "tooShort" : "tooLong", `${layout.name} is ${layout.size} bytes, got ${got}`, { rule, layout: layout.name, need: layout.size, got });

/** Decode a 256-byte SynIC message slot (WIRE-SYNIC-1/2). */
export const decodeSynicSlot = (bytes: Uint8Array): Result<DecodedSlot, WireError> => {
  if (bytes.length !== SynicMessage.size) return err(sizeError(SynicMessage, bytes.length, "WIRE-SYNIC-1"));
  const v = readFields(bytes, 0, SynicMessage);
  const payloadSize = v["payloadSize"] as number;
  if (payloadSize > Limits.MESSAGE_PAYLOAD)
    return err(wireError("badField", `SynicMessage.payloadSize is ${payloadSize}, more than ${Limits.MESSAGE_PAYLOAD}`, { rule: "WIRE-SYNIC-2", layout: "SynicMessage", field: "SynicMessage.payloadSize" }));
  const messageFlags = v["messageFlags"] as number;
  const slot: SynicSlot = {
    messageType: v["messageType"] as number,
    payloadSize,
    messageFlags,
    sender: v["sender"] as string,
    payload: bytesToHex(bytes.subarray(16, 16 + payloadSize)),
  };
  return ok({ slot, pending: (messageFlags & HV_MESSAGE_FLAG_PENDING) !== 0, warnings: warn(bytes, SynicMessage) });
};

/** Encode a slot: 256 bytes, payload area zero after `payload`, reserved zero. */
export const encodeSynicSlot = (slot: SynicSlot): Uint8Array => {
  const out = new Uint8Array(SynicMessage.size);
  // The layout's payload field (240 bytes at 16) writes the hex payload, cut to 240 bytes.
  writeFields(out, 0, SynicMessage, { ...slot });
  return out;
};

/** The payload bytes of a decoded slot (the channel message). */
export const slotPayload = (slot: SynicSlot): Uint8Array => {
  const p = hexToBytes(slot.payload);
  return p.ok ? p.value : new Uint8Array(0);
};

/** HvPostMessage input. */
export interface PostMessageInput {
  readonly connectionId: number; // raw u32 as written
  readonly messageType: number;
  readonly payloadSize: number;
  readonly payload: Hex; // the first payloadSize bytes
}
export interface DecodedPost {
  readonly input: PostMessageInput;
  /** connectionId & 0x00ffffff: the id that is looked up (WIRE-POST-2). */
  readonly maskedConnectionId: number;
  readonly warnings: readonly WireWarning[];
}

/**
 * Decode an HvPostMessage input: at least 16 + payload_size bytes, at most 256 (the input page
 * struct). payload_size > 240 is the hypervisor's INVALID_HYPERCALL_INPUT (WIRE-POST-1).
 */
export const decodePostMessage = (bytes: Uint8Array): Result<DecodedPost, WireError> => {
  if (bytes.length < 16)
    return err(wireError("tooShort", `HvPostMessageInput needs at least 16 bytes, got ${bytes.length}`, { rule: "WIRE-POST-1", layout: "HvPostMessageInput", need: 16, got: bytes.length }));
  if (bytes.length > HvPostMessageInput.size) return err(sizeError(HvPostMessageInput, bytes.length, "WIRE-POST-1"));
  const full = new Uint8Array(HvPostMessageInput.size);
  full.set(bytes);
  const v = readFields(full, 0, HvPostMessageInput);
  const payloadSize = v["payloadSize"] as number;
  if (payloadSize > Limits.MESSAGE_PAYLOAD)
    return err(wireError("badField", `HvPostMessageInput.payloadSize is ${payloadSize}, more than ${Limits.MESSAGE_PAYLOAD} (HV_STATUS_INVALID_HYPERCALL_INPUT)`, { rule: "WIRE-POST-1", layout: "HvPostMessageInput", field: "HvPostMessageInput.payloadSize" }));
  if (bytes.length < 16 + payloadSize)
    return err(wireError("tooShort", `HvPostMessageInput with payloadSize ${payloadSize} needs ${16 + payloadSize} bytes, got ${bytes.length}`, { rule: "WIRE-POST-1", layout: "HvPostMessageInput", need: 16 + payloadSize, got: bytes.length }));
  const connectionId = v["connectionId"] as number;
  return ok({
    input: { connectionId, messageType: v["messageType"] as number, payloadSize, payload: bytesToHex(bytes.subarray(16, 16 + payloadSize)) },
    maskedConnectionId: connectionId & CONNECTION_ID_MASK,
    warnings: warn(full, HvPostMessageInput),
  });
};

/** Encode an HvPostMessage input as the full 256-byte struct. */
export const encodePostMessage = (input: PostMessageInput): Uint8Array => {
  const out = new Uint8Array(HvPostMessageInput.size);
  writeFields(out, 0, HvPostMessageInput, { ...input });
  return out;
};

/** HvSignalEvent input. */
export interface SignalEventInput {
  readonly connectionId: number;
  readonly flagNumber: number;
}
export interface DecodedSignal {
  readonly input: SignalEventInput;
  readonly maskedConnectionId: number;
  readonly warnings: readonly WireWarning[];
}

export const decodeSignalEvent = (bytes: Uint8Array): Result<DecodedSignal, WireError> => {
  if (bytes.length !== HvSignalEventInput.size) return err(sizeError(HvSignalEventInput, bytes.length, "WIRE-SIGNAL-1"));
  const v = readFields(bytes, 0, HvSignalEventInput);
  const connectionId = v["connectionId"] as number;
  return ok({ input: { connectionId, flagNumber: v["flagNumber"] as number }, maskedConnectionId: connectionId & CONNECTION_ID_MASK, warnings: warn(bytes, HvSignalEventInput) });
};

export const encodeSignalEvent = (input: SignalEventInput): Uint8Array => {
  const out = new Uint8Array(HvSignalEventInput.size);
  writeFields(out, 0, HvSignalEventInput, { ...input });
  return out;
};
