/**
 * Byte-exact codecs for every channel message, driven by the layout data in
 * layouts/: the fixed part of every form is read and written by the generic field codec
 * (fields.ts); only form selection and the variable GPADL range data are per-message code.
 *
 * decodeMessage is total: any byte string gives a decoded message or a named WireError.
 * Non-zero reserved fields are accepted (WIRE-HDR-3) and reported as `warnings`.
 * Trailing bytes after a form are accepted and counted (WIRE-LEN-2).
 *
 * Form-selection rules (each documented in docs/wire.md and in rules.ts):
 *  - OFFERCHANNEL (WIRE-FORM-1): preWin7 when context.version < 1.1; else win7 when ≥ 196 bytes;
 *    without a context version, 190..195 bytes decode as preWin7. QEMU's 200 bytes: win7 + 4 trailing.
 *  - INITIATE_CONTACT (WIRE-FORM-2): from its own vmbusVersionRequested: < 5.0 interruptPage;
 *    ≥ 5.0 msgSint; ≥ 6.0 with the client_id bit (0x8) in featureFlags and ≥ 56 bytes: clientId.
 *    With the bit but fewer bytes: msgSint plus a `clientIdMissing` warning (OpenVMM accepts it).
 *  - VERSION_RESPONSE (WIRE-FORM-3): context.version < 6.0 → v1. Otherwise (6.0 or no context):
 *    ≥ 40 bytes and supportedFeatures bit 0x40 → serverMonitor; ≥ 20 bytes → copper; else v1
 *    (with a 6.0 context and versionSupported ≠ 0, plus a `supportedFeaturesMissing` warning).
 *  - OPENCHANNEL (WIRE-FORM-4): openChannel2 when ≥ 156 bytes, context.version absent or ≥ 6.0,
 *    and context.features absent or containing 0x1 or 0x2; else v1.
 *  - TL_CONNECT_REQUEST (WIRE-FORM-5): silo when ≥ 56 bytes and context.version absent or ≥ 5.2.
 */
import { match } from "ts-pattern";
import { err, ok, type Result } from "../result.js";
import { FeatureFlag, Limits } from "./constants.js";
import { wireError, type WireError, type WireWarning } from "./errors.js";
import { nonZeroReserved, readField, readFields, writeFields, writeField } from "./fields.js";
import { pfnCount } from "./gparange.js";
import type { Field, Layout } from "./layout.js";
import * as L from "./layouts/index.js";
import type { GpaRange, Message, MessageTypeName } from "./messages.js";
import { layoutOf, messageInfo, messageInfoByNumber, type Direction } from "./table.js";
import { u64Value } from "./u64.js";
import { formatVersion, Version } from "./versions.js";

export type { WireError, WireErrorKind, WireWarning } from "./errors.js";

export interface DecodeContext {
  /** Negotiated (or requested) protocol version, major << 16 | minor. */
  readonly version?: number;
  /** Which way the message travels. */
  readonly direction?: "host-to-guest" | "guest-to-host";
  /** Negotiated 6.0 feature flags. */
  readonly features?: number;
}

export interface Decoded {
  readonly message: Message;
  /** Bytes after the decoded form (padding, QEMU's 200-byte offer, UEFI's GPADL garbage). */
  readonly trailingBytes: number;
  /** Accepted oddities (non-zero reserved fields, …). */
  readonly warnings: readonly WireWarning[];
}

const HEADER_SIZE = 8;
/**
 * Peek one numeric field of a layout (for form selection). Every caller has checked that the
 * bytes hold the field (or has decoded a form that contains it) before it peeks.
 */
const peek = (b: Uint8Array, layout: Layout, name: string): number => readField(b, 0, layout.fields.find((x) => x.name === name)!) as number;
/** One u64 element of the variable parts (GPA range PFNs, GPADL_BODY values). */
const U64_ELEMENT: Field = { name: "value", offset: 0, size: 8, type: "u64", names: {} };
const u64At = (b: Uint8Array, at: number): string => readField(b, at, U64_ELEMENT) as string;
/** A GPA range record's fixed part (byteCount, byteOffset), read with the GpadlRange layout. */
const rangeHeaderAt = (b: Uint8Array, at: number): { byteCount: number; byteOffset: number } => {
  const v = readFields(b, at, L.GpadlRange);
  return { byteCount: v["byteCount"] as number, byteOffset: v["byteOffset"] as number };
};

const tooShort = (layout: Layout, got: number, messageType: number, what?: string): WireError =>
  wireError("tooShort", `${layout.name} needs ${layout.size} bytes, got ${got}${what ? ` (${what})` : ""}`, {
    rule: "WIRE-LEN-1",
    messageType,
    layout: layout.name,
    need: layout.size,
    got,
  });

const warningsOf = (bytes: Uint8Array, layout: Layout): WireWarning[] =>
  nonZeroReserved(bytes, 0, layout).map((f) => ({
    kind: "reservedNonZero" as const,
    message: `${layout.name}.${f.name} (offset ${f.offset}, ${f.size} bytes) is reserved but not zero`,
    field: `${layout.name}.${f.name}`,
    offset: f.offset,
    rule: "WIRE-HDR-3",
  }));

/** Decode the fixed layout of a form into a message (values + type + form). */
const decodeFixed = (bytes: Uint8Array, type: MessageTypeName, form: string | undefined, layout: Layout): Result<Decoded, WireError> => {
  if (bytes.length < layout.size) return err(tooShort(layout, bytes.length, messageInfo(type).number));
  const values = readFields(bytes, 0, layout);
  const message = (form === undefined ? { type, ...values } : { type, form, ...values }) as unknown as Message;
  return ok({ message, trailingBytes: bytes.length - layout.size, warnings: warningsOf(bytes, layout) });
};

const countMismatch = (message: string, rule: string): WireError =>
  wireError("countMismatch", message, { rule, messageType: 8, layout: "GpadlHeader" });

/** GPADL_HEADER: fixed part + range data bounded by range_buflen (WIRE-GPADL-1/2/3). */
const decodeGpadlHeader = (bytes: Uint8Array): Result<Decoded, WireError> => {
  const fixed = decodeFixed(bytes, "GpadlHeader", undefined, L.GpadlHeader);
  if (!fixed.ok) return fixed;
  const head = fixed.value.message as Extract<Message, { type: "GpadlHeader" }>;
  const buflen = head.rangeBufferLength;
  const count = head.rangeCount;
  const avail = bytes.length - L.GpadlHeader.size;
  if (buflen % 8 !== 0) return err(countMismatch(`GpadlHeader.rangeBufferLength ${buflen} is not a multiple of 8 (range data is made of u64 values)`, "WIRE-GPADL-2"));
  if (count === 0 && buflen !== 0) return err(countMismatch(`GpadlHeader.rangeCount is 0 but rangeBufferLength is ${buflen}`, "WIRE-GPADL-2"));
  if (buflen < 8 * count) return err(countMismatch(`GpadlHeader.rangeBufferLength ${buflen} is less than 8 bytes per range for ${count} range(s)`, "WIRE-GPADL-2"));
  const complete = buflen <= avail;
  const dataLen = complete ? buflen : avail - (avail % 8);
  const end = L.GpadlHeader.size + dataLen;
  const ranges: GpaRange[] = [];
  const rangeOffsets: number[] = [];
  let pos = L.GpadlHeader.size;
  let needed = 0; // bytes of range data the ranges seen so far need in total
  let partialLast = false;
  while (ranges.length < count && pos + 8 <= end) {
    const { byteCount, byteOffset } = rangeHeaderAt(bytes, pos);
    const need = pfnCount(byteOffset, byteCount);
    needed += 8 + 8 * need;
    if (needed > buflen)
      return err(countMismatch(`GpadlHeader range ${ranges.length} needs ${need} PFNs (byte_offset ${byteOffset}, byte_count ${byteCount}) but rangeBufferLength ${buflen} has no room for them`, "WIRE-GPADL-1"));
    const take = Math.min(need, (end - pos - 8) / 8);
    const pfns: string[] = [];
    for (let i = 0; i < take; i++) pfns.push(u64At(bytes, pos + 8 + 8 * i));
    ranges.push({ byteCount, byteOffset, pfns });
    rangeOffsets.push(pos);
    pos += 8 + 8 * take;
    if (take < need) {
      partialLast = true; // continues in GPADL_BODY messages
      break;
    }
  }
  if (complete) {
    if (ranges.length < count)
      return err(countMismatch(`GpadlHeader.rangeCount is ${count} but rangeBufferLength ${buflen} holds only ${ranges.length} range(s)`, "WIRE-GPADL-2"));
    if (pos < end)
      return err(countMismatch(`GpadlHeader.rangeBufferLength is ${buflen} but its ${count} range(s) use ${pos - L.GpadlHeader.size} bytes`, "WIRE-GPADL-2"));
  } else if (ranges.length === count && !partialLast) {
    // range_buflen promises more data, but every range is already complete: bodies could never fit.
    return err(countMismatch(`GpadlHeader: all ${count} range(s) are complete after ${needed} bytes but rangeBufferLength is ${buflen}`, "WIRE-GPADL-2"));
  }
  // WIRE-GPADL-3 (at most 27 u64 values of range data) needs no check here: decodeMessage has
  // already refused more than 240 bytes (WIRE-LEN-3), and 20 + 8 * 28 > 240.
  // WIRE-GPADL-5: a byte_offset of a page or more is decoded (the layout allows it) but reported:
  // a sender must not produce it and receivers disagree on what it means.
  const offsetWarnings: WireWarning[] = ranges.flatMap((r, i) =>
    r.byteOffset > 0xfff
      ? [{ kind: "byteOffsetBeyondPage" as const, message: `GpadlHeader range ${i}: byte_offset ${r.byteOffset} is not below the 4096-byte page`, field: `GpadlHeader.ranges[${i}].byteOffset`, offset: rangeOffsets[i]! + 4, rule: "WIRE-GPADL-5" }]
      : [],
  );
  return ok({ message: { ...head, ranges }, trailingBytes: bytes.length - pos, warnings: [...fixed.value.warnings, ...offsetWarnings] });
};

/** GPADL_BODY: fixed part + every whole u64 present (the GPADL's reassembly knows how many count). */
const decodeGpadlBody = (bytes: Uint8Array): Result<Decoded, WireError> => {
  const fixed = decodeFixed(bytes, "GpadlBody", undefined, L.GpadlBody);
  if (!fixed.ok) return fixed;
  const n = Math.floor((bytes.length - L.GpadlBody.size) / 8);
  const pfns: string[] = [];
  for (let i = 0; i < n; i++) pfns.push(u64At(bytes, L.GpadlBody.size + 8 * i));
  const body = fixed.value.message as Extract<Message, { type: "GpadlBody" }>;
  return ok({ message: { ...body, pfns }, trailingBytes: (bytes.length - L.GpadlBody.size) % 8, warnings: fixed.value.warnings });
};

const decodeOffer = (bytes: Uint8Array, ctx: DecodeContext): Result<Decoded, WireError> => {
  if (ctx.version !== undefined && ctx.version < Version.WIN7) return decodeFixed(bytes, "OfferChannel", "preWin7", L.OfferChannelPreWin7);
  if (bytes.length >= L.OfferChannel.size || ctx.version !== undefined) return decodeFixed(bytes, "OfferChannel", "win7", L.OfferChannel);
  if (bytes.length >= L.OfferChannelPreWin7.size) return decodeFixed(bytes, "OfferChannel", "preWin7", L.OfferChannelPreWin7);
  return err(tooShort(L.OfferChannelPreWin7, bytes.length, 1, "the shortest OFFERCHANNEL form; Win7+ needs 196"));
};

const decodeInitiateContact = (bytes: Uint8Array): Result<Decoded, WireError> => {
  if (bytes.length < 12) return err(tooShort(L.InitiateContact, bytes.length, 14));
  const version = peek(bytes, L.InitiateContact, "vmbusVersionRequested");
  if (version < Version.WIN10_V5) return decodeFixed(bytes, "InitiateContact", "interruptPage", L.InitiateContact);
  // From 5.0 every form holds the msgSint fields: decode them first, then read featureFlags.
  const r = decodeFixed(bytes, "InitiateContact", "msgSint", L.InitiateContactMsgSint);
  if (!r.ok) return r;
  const flags = peek(bytes, L.InitiateContactMsgSint, "featureFlags");
  const wantsClientId = version >= Version.WIN10_V6_0 && (flags & FeatureFlag.CLIENT_ID) !== 0;
  if (wantsClientId && bytes.length >= L.InitiateContactClientId.size) return decodeFixed(bytes, "InitiateContact", "clientId", L.InitiateContactClientId);
  if (wantsClientId) {
    // OpenVMM picks InitiateContact2 by length alone and handles the short form without a client id.
    const w: WireWarning = {
      kind: "clientIdMissing",
      message: `InitiateContact sets the client_id feature bit (0x8) but is ${bytes.length} bytes, too short for the client id at 40..55; decoded without it`,
      field: "InitiateContact.clientId",
      offset: 40,
      rule: "WIRE-FORM-2",
    };
    return ok({ ...r.value, warnings: [...r.value.warnings, w] });
  }
  if (version >= Version.WIN10_V6_0 || flags === 0) return r;
  const w: WireWarning = {
    kind: "featureFlagsBeforeCopper",
    message: `InitiateContact.featureFlags is 0x${flags.toString(16)} but feature flags exist only from 6.0 (requested ${formatVersion(version)})`,
    field: "InitiateContact.featureFlags",
    offset: 20,
    rule: "WIRE-FORM-2",
  };
  return ok({ ...r.value, warnings: [...r.value.warnings, w] });
};

const decodeVersionResponse = (bytes: Uint8Array, ctx: DecodeContext): Result<Decoded, WireError> => {
  const v1 = (): Result<Decoded, WireError> => decodeFixed(bytes, "VersionResponse", "v1", L.VersionResponse);
  if (ctx.version !== undefined && ctx.version < Version.WIN10_V6_0) return v1();
  if (bytes.length >= L.VersionResponseServerMonitor.size && (peek(bytes, L.VersionResponseServerMonitor, "supportedFeatures") & FeatureFlag.SERVER_SPECIFIED_MONITOR_PAGES) !== 0)
    return decodeFixed(bytes, "VersionResponse", "serverMonitor", L.VersionResponseServerMonitor);
  if (bytes.length >= L.VersionResponseCopper.size) return decodeFixed(bytes, "VersionResponse", "copper", L.VersionResponseCopper);
  const r = v1();
  if (!r.ok || ctx.version === undefined || peek(bytes, L.VersionResponse, "versionSupported") === 0) return r;
  // A 6.0 host that accepts should report supported_features (20 bytes); OpenVMM's client picks
  // VersionResponse2 by length alone, so the short form is accepted, with features taken as 0.
  const w: WireWarning = {
    kind: "supportedFeaturesMissing",
    message: `VersionResponse accepts version 6.0 but is ${bytes.length} bytes, too short for supported_features at 16..19`,
    field: "VersionResponse.supportedFeatures",
    offset: 16,
    rule: "WIRE-FORM-3",
  };
  return ok({ ...r.value, warnings: [...r.value.warnings, w] });
};

const decodeOpenChannel = (bytes: Uint8Array, ctx: DecodeContext): Result<Decoded, WireError> => {
  const v6 = ctx.version === undefined || ctx.version >= Version.WIN10_V6_0;
  const feat =
    ctx.features === undefined || (ctx.features & (FeatureFlag.GUEST_SPECIFIED_SIGNAL_PARAMETERS | FeatureFlag.CHANNEL_INTERRUPT_REDIRECTION)) !== 0;
  return bytes.length >= L.OpenChannel2.size && v6 && feat
    ? decodeFixed(bytes, "OpenChannel", "openChannel2", L.OpenChannel2)
    : decodeFixed(bytes, "OpenChannel", "v1", L.OpenChannel);
};

const decodeTlConnectRequest = (bytes: Uint8Array, ctx: DecodeContext): Result<Decoded, WireError> =>
  bytes.length >= L.TlConnectRequestSilo.size && (ctx.version === undefined || ctx.version >= Version.WIN10_V5_2)
    ? decodeFixed(bytes, "TlConnectRequest", "silo", L.TlConnectRequestSilo)
    : decodeFixed(bytes, "TlConnectRequest", "v1", L.TlConnectRequest);

const single = (type: MessageTypeName) => (bytes: Uint8Array): Result<Decoded, WireError> => decodeFixed(bytes, type, undefined, layoutOf(type, undefined));

/** Decode one channel message (the SynIC payload, `payload_size` bytes). Total. */
export const decodeMessage = (bytes: Uint8Array, context: DecodeContext = {}): Result<Decoded, WireError> => {
  if (bytes.length < HEADER_SIZE)
    return err(wireError("tooShort", `MessageHeader needs 8 bytes, got ${bytes.length}`, { rule: "WIRE-HDR-1", layout: "MessageHeader", need: HEADER_SIZE, got: bytes.length }));
  const number = peek(bytes, L.MessageHeader, "msgtype");
  const info = messageInfoByNumber(number);
  if (info === undefined)
    return err(wireError("unknownType", `unknown message type ${number} (valid: 1..29)`, { rule: "WIRE-HDR-2", messageType: number }));
  if (bytes.length > Limits.MESSAGE_PAYLOAD)
    return err(
      wireError("tooLong", `${info.type} is ${bytes.length} bytes, more than the ${Limits.MESSAGE_PAYLOAD}-byte SynIC payload`, {
        rule: "WIRE-LEN-3",
        messageType: number,
        need: Limits.MESSAGE_PAYLOAD,
        got: bytes.length,
      }),
    );
  const dirCheck = checkDirection(info.type, info.direction, context.direction);
  if (dirCheck) return err(dirCheck);
  const verCheck = checkVersion(info.type, context);
  if (verCheck) return err(verCheck);
  // A switch, not ts-pattern: the checker decodes every message the guest receives.
  const type = info.type;
  switch (type) {
    case "OfferChannel":
      return decodeOffer(bytes, context);
    case "InitiateContact":
      return decodeInitiateContact(bytes);
    case "VersionResponse":
      return decodeVersionResponse(bytes, context);
    case "OpenChannel":
      return decodeOpenChannel(bytes, context);
    case "TlConnectRequest":
      return decodeTlConnectRequest(bytes, context);
    case "GpadlHeader":
      return decodeGpadlHeader(bytes);
    case "GpadlBody":
      return decodeGpadlBody(bytes);
    case "RescindChannelOffer":
    case "RequestOffers":
    case "AllOffersDelivered":
    case "OpenChannelResult":
    case "CloseChannel":
    case "GpadlCreated":
    case "GpadlTeardown":
    case "GpadlTorndown":
    case "RelIdReleased":
    case "Unload":
    case "UnloadResponse":
    case "OpenReservedChannel":
    case "CloseReservedChannel":
    case "CloseReservedResponse":
    case "ModifyChannel":
    case "TlConnectResult":
    case "ModifyChannelResponse":
    case "ModifyConnection":
    case "ModifyConnectionResponse":
    case "Pause":
    case "PauseResponse":
    case "Resume":
      return single(type)(bytes);
  }
};

/** WIRE-DIR-1: the message's direction against the context's. */
export const checkDirection = (type: MessageTypeName, dir: Direction, given: Direction | undefined): WireError | undefined =>
  given === undefined || given === dir
    ? undefined
    : wireError("wrongDirection", `${type} (${messageInfo(type).number}) travels ${dir}, not ${given}`, { rule: "WIRE-DIR-1", messageType: messageInfo(type).number });

/** WIRE-VER-1/2: the message's minimum version and feature bit against the context. */
export const checkVersion = (type: MessageTypeName, ctx: DecodeContext): WireError | undefined => {
  const i = messageInfo(type);
  if (ctx.version !== undefined && ctx.version < i.minVersion)
    return wireError("typeNotInVersion", `${type} (${i.number}) needs version ${formatVersion(i.minVersion)} or later, context is ${formatVersion(ctx.version)}`, {
      rule: "WIRE-VER-1",
      messageType: i.number,
    });
  if (i.feature !== undefined && ctx.features !== undefined && (ctx.features & i.feature) === 0)
    return wireError("typeNotInVersion", `${type} (${i.number}) needs feature 0x${i.feature.toString(16)}, context features are 0x${(ctx.features >>> 0).toString(16)}`, {
      rule: "WIRE-VER-2",
      messageType: i.number,
    });
  return undefined;
};

// ---- encode -------------------------------------------------------------------------------

const formOf = (m: Message): string | undefined => ("form" in m ? (m.form as string) : undefined);

/** The canonical encoded length of a message. */
export const encodedLength = (m: Message): number =>
  match(m)
    .with({ type: "GpadlHeader" }, (h) => L.GpadlHeader.size + h.ranges.reduce((s, r) => s + 8 + 8 * r.pfns.length, 0))
    .with({ type: "GpadlBody" }, (b) => L.GpadlBody.size + 8 * b.pfns.length)
    .otherwise((x) => layoutOf(x.type, formOf(x)).size);


/** Canonical bytes of a message: its form's layout, reserved fields zero. Total for well-formed messages. */
export const encodeMessage = (message: Message): Uint8Array => {
  const layout = layoutOf(message.type, formOf(message));
  const out = new Uint8Array(encodedLength(message));
  writeField(out, 0, layout.fields[0]!, messageInfo(message.type).number);
  writeFields(out, 0, layout, message as unknown as Record<string, unknown>);
  match(message)
    .with({ type: "GpadlHeader" }, (h) => {
      let pos = L.GpadlHeader.size;
      for (const r of h.ranges) {
        writeFields(out, pos, L.GpadlRange, { byteCount: r.byteCount, byteOffset: r.byteOffset });
        pos += L.GpadlRange.size;
        for (const p of r.pfns) {
          writeField(out, pos, U64_ELEMENT, p);
          pos += 8;
        }
      }
    })
    .with({ type: "GpadlBody" }, (b) => {
      b.pfns.forEach((p, i) => writeField(out, L.GpadlBody.size + 8 * i, U64_ELEMENT, p));
    })
    .otherwise(() => undefined);
  return out;
};

/** A u64 at `at` as a decimal string. */
export const readU64 = (bytes: Uint8Array, at: number): string => readField(bytes, at, U64_ELEMENT) as string;
export { u64Value };
export { validateMessage } from "./validate.js";
