/**
 * io-ts codecs for every channel message in its JSON form (the `Message` union of
 * spec/wire/messages.ts). Decoding dispatches on `type` (then `form`) first, so an error names
 * one message and the exact bad field: "OpenChannel.userData: expected 240 hex digits, got …".
 * Unknown fields are errors, never silently dropped.
 */
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import type { Message } from "../../spec/wire/messages.js";
import { closed, formatErrors, Guid, HexBytes, U16, U32, U64, U8 } from "./primitives.js";
import { withSchema, type ClosedShape } from "./schema-meta.js";

type Props = t.Props;
const lit = (s: string) => t.literal(s);

const offerCommon: Props = {
  type: lit("OfferChannel"),
  interfaceType: Guid,
  interfaceInstance: Guid,
  reserved1: U64,
  reserved2: U64,
  channelFlags: U16,
  mmioMegabytes: U16,
  userDefined: HexBytes(120),
  subChannelIndex: U16,
  mmioMegabytesOptional: U16,
  childRelid: U32,
  monitorId: U8,
  monitorFlags: U8,
};
const openCommon: Props = {
  type: lit("OpenChannel"),
  childRelid: U32,
  openId: U32,
  ringBufferGpadlHandle: U32,
  targetVp: U32,
  downstreamRingBufferPageOffset: U32,
  userData: HexBytes(120),
};
const icCommon: Props = { type: lit("InitiateContact"), vmbusVersionRequested: U32, targetVcpu: U32, monitorPage1: U64, monitorPage2: U64 };
const icSint: Props = { msgSint: U8, msgVtl: U8, featureFlags: U32 };
const vrCommon: Props = { type: lit("VersionResponse"), versionSupported: U8, connectionState: U8, msgConnId: U32 };
const GpaRangeJson = closed("GpaRange", { byteCount: U32, byteOffset: U32, pfns: t.array(U64) });

/** Props per message type, and per form for multi-form messages. */
export const MESSAGE_PROPS: Readonly<Record<string, Props | Readonly<Record<string, Props>>>> = {
  OfferChannel: {
    win7: { ...offerCommon, form: lit("win7"), interruptFlags: U16, connectionId: U32 },
    preWin7: { ...offerCommon, form: lit("preWin7") },
  },
  RescindChannelOffer: { type: lit("RescindChannelOffer"), childRelid: U32 },
  RequestOffers: { type: lit("RequestOffers") },
  AllOffersDelivered: { type: lit("AllOffersDelivered") },
  OpenChannel: {
    v1: { ...openCommon, form: lit("v1") },
    openChannel2: { ...openCommon, form: lit("openChannel2"), connectionId: U32, eventFlag: U16, flags: U16 },
  },
  OpenChannelResult: { type: lit("OpenChannelResult"), childRelid: U32, openId: U32, status: U32 },
  CloseChannel: { type: lit("CloseChannel"), childRelid: U32 },
  GpadlHeader: { type: lit("GpadlHeader"), childRelid: U32, gpadl: U32, rangeBufferLength: U16, rangeCount: U16, ranges: t.array(GpaRangeJson) },
  GpadlBody: { type: lit("GpadlBody"), msgNumber: U32, gpadl: U32, pfns: t.array(U64) },
  GpadlCreated: { type: lit("GpadlCreated"), childRelid: U32, gpadl: U32, creationStatus: U32 },
  GpadlTeardown: { type: lit("GpadlTeardown"), childRelid: U32, gpadl: U32 },
  GpadlTorndown: { type: lit("GpadlTorndown"), gpadl: U32 },
  RelIdReleased: { type: lit("RelIdReleased"), childRelid: U32 },
  InitiateContact: {
    interruptPage: { ...icCommon, form: lit("interruptPage"), interruptPage: U64 },
    msgSint: { ...icCommon, form: lit("msgSint"), ...icSint },
    clientId: { ...icCommon, form: lit("clientId"), ...icSint, clientId: Guid },
  },
  VersionResponse: {
    v1: { ...vrCommon, form: lit("v1") },
    copper: { ...vrCommon, form: lit("copper"), supportedFeatures: U32 },
    serverMonitor: { ...vrCommon, form: lit("serverMonitor"), supportedFeatures: U32, parentToChildMonitorPageGpa: U64, childToParentMonitorPageGpa: U64 },
  },
  Unload: { type: lit("Unload") },
  UnloadResponse: { type: lit("UnloadResponse") },
  OpenReservedChannel: { type: lit("OpenReservedChannel"), channelId: U32, targetVp: U32, targetSint: U32, ringBufferGpadl: U32, downstreamPageOffset: U32 },
  CloseReservedChannel: { type: lit("CloseReservedChannel"), channelId: U32, targetVp: U32, targetSint: U32 },
  CloseReservedResponse: { type: lit("CloseReservedResponse"), channelId: U32 },
  TlConnectRequest: {
    v1: { type: lit("TlConnectRequest"), form: lit("v1"), guestEndpointId: Guid, hostServiceId: Guid },
    silo: { type: lit("TlConnectRequest"), form: lit("silo"), guestEndpointId: Guid, hostServiceId: Guid, siloId: Guid },
  },
  ModifyChannel: { type: lit("ModifyChannel"), childRelid: U32, targetVp: U32 },
  TlConnectResult: { type: lit("TlConnectResult"), endpointId: Guid, serviceId: Guid, status: U32 },
  ModifyChannelResponse: { type: lit("ModifyChannelResponse"), childRelid: U32, status: U32 },
  ModifyConnection: { type: lit("ModifyConnection"), parentToChildMonitorPageGpa: U64, childToParentMonitorPageGpa: U64 },
  ModifyConnectionResponse: { type: lit("ModifyConnectionResponse"), connectionState: U8 },
  Pause: { type: lit("Pause") },
  PauseResponse: { type: lit("PauseResponse") },
  Resume: { type: lit("Resume") },
};

const isFormTable = (p: Props | Readonly<Record<string, Props>>): p is Readonly<Record<string, Props>> => !("type" in p);

/** The props of (type, form), or an error line. */
const propsFor = (root: string, u: Record<string, unknown>): { props: Props; name: string } | string => {
  const type = u["type"];
  if (typeof type !== "string" || !Object.prototype.hasOwnProperty.call(MESSAGE_PROPS, type))
    return `${root}.type: expected a message type name (${Object.keys(MESSAGE_PROPS).join(", ")}), got ${JSON.stringify(type) ?? "nothing"}`;
  const entry = MESSAGE_PROPS[type]!;
  if (!isFormTable(entry)) return { props: entry, name: type };
  const form = u["form"];
  if (typeof form !== "string" || !Object.prototype.hasOwnProperty.call(entry, form))
    return `${type}.form: expected one of ${Object.keys(entry).map((f) => JSON.stringify(f)).join(", ")}, got ${JSON.stringify(form) ?? "nothing"}`;
  return { props: entry[form]!, name: type };
};

/** Decode one JSON value into a Message (shape and ranges only; cross-field rules are spec's validateMessage). */
export const decodeMessageJson = (u: unknown, root = "message"): { ok: true; value: Message } | { ok: false; errors: string[] } => {
  if (typeof u !== "object" || u === null || Array.isArray(u)) return { ok: false, errors: [`${root}: expected a JSON object with a "type" field`] };
  const rec = u as Record<string, unknown>;
  const p = propsFor(root, rec);
  if (typeof p === "string") return { ok: false, errors: [p] };
  // Inside a list, say which element: "message[1]: CloseChannel.x: unknown field …".
  const at = (lines: string[]): string[] => (root === "message" ? lines : lines.map((l) => `${root}: ${l}`));
  const unknown = Object.keys(rec).filter((k) => !Object.hasOwn(p.props, k));
  if (unknown.length > 0) return { ok: false, errors: at(unknown.map((k) => `${p.name}.${k}: unknown field (fields: ${Object.keys(p.props).join(", ")})`)) };
  const r = t.type(p.props, p.name).decode(u);
  if (isLeft(r)) return { ok: false, errors: at(formatErrors(p.name, r.left)) };
  return { ok: true, value: r.right as unknown as Message };
};

/** Every (type, form) as a closed object with all its fields required (for the JSON Schema). */
const MESSAGE_SHAPES: readonly ClosedShape[] = Object.entries(MESSAGE_PROPS).flatMap(([type, entry]) =>
  isFormTable(entry) ? Object.entries(entry).map(([form, props]) => ({ name: `${type}.${form}`, required: props, optional: {} })) : [{ name: type, required: entry, optional: {} }],
);

/** An io-ts codec for the Message union (dispatching as above), for embedding in other codecs. */
export const MessageJson = withSchema(new t.Type<Message, unknown, unknown>(
  "Message",
  (u): u is Message => decodeMessageJson(u).ok,
  (u, c) => {
    const r = decodeMessageJson(u);
    return r.ok ? t.success(r.value) : t.failure(u, c, r.errors.join("; "));
  },
  (m) => m,
), { kind: "closedUnion", members: MESSAGE_SHAPES });
