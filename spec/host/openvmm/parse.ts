/**
 * OpenVMM's Message::parse (vm/devices/vmbus/vmbus_core/src/protocol.rs:57-107 and
 * protocol/macros.rs at 1488a37b): which message types parse in which connection state, version
 * and features, with which sizes. A variant matches when the version is at least its minimum
 * (`0` = also while disconnected) and, if it names features, one of them is negotiated; with
 * `checkSize` a too-short message falls through to the next variant, otherwise it is
 * MessageTooSmall. Sizes include the 8-byte header; longer messages parse (trailing data kept).
 */
import { Version } from "../../wire/versions.js";
import { u32At } from "../raw.js";

export interface Variant {
  readonly name: string;
  /** Minimum version; 0 = parses while disconnected too. */
  readonly min: number;
  readonly size: number;
  readonly features?: number;
  readonly checkSize?: boolean;
}

const v = (name: string, min: number, size: number, extra: Partial<Variant> = {}): Variant => ({ name, min, size, ...extra });
const V1 = Version.WS2008;

/** protocol.rs:57-107, newest variant first. */
export const PARSE_TABLE: Readonly<Record<number, readonly Variant[]>> = {
  1: [v("OfferChannel", V1, 196)],
  2: [v("RescindChannelOffer", V1, 12)],
  3: [v("RequestOffers", V1, 8)],
  4: [v("AllOffersDelivered", V1, 8)],
  5: [v("OpenChannel2", Version.WIN10_V6_0, 156, { features: 0x01 | 0x02 }), v("OpenChannel", V1, 148)],
  6: [v("OpenResult", V1, 20)],
  7: [v("CloseChannel", V1, 12)],
  8: [v("GpadlHeader", V1, 20)],
  9: [v("GpadlBody", V1, 16)],
  10: [v("GpadlCreated", V1, 20)],
  11: [v("GpadlTeardown", V1, 16)],
  12: [v("GpadlTorndown", V1, 12)],
  13: [v("RelIdReleased", V1, 12)],
  14: [v("InitiateContact2", 0, 56, { checkSize: true }), v("InitiateContact", 0, 40)],
  15: [v("VersionResponse3", 0, 36, { checkSize: true }), v("VersionResponse2", 0, 20, { checkSize: true }), v("VersionResponse", 0, 16)],
  16: [v("Unload", V1, 8)],
  17: [v("UnloadComplete", Version.WIN7, 8)],
  18: [v("OpenReservedChannel", Version.WIN10, 28)],
  19: [v("CloseReservedChannel", 0, 20)],
  20: [v("CloseReservedChannelResponse", Version.WIN10, 12)],
  21: [v("TlConnectRequest2", Version.WIN10_V5_2, 56, { checkSize: true }), v("TlConnectRequest", Version.WIN10, 40)],
  22: [v("ModifyChannel", Version.WIN10_V4_1, 16)],
  23: [v("TlConnectResult", Version.WIN10_V4_1, 44)],
  24: [v("ModifyChannelResponse", Version.WIN10_V5_3, 16)],
  25: [v("ModifyConnection", Version.WIN10_V6_0, 24, { features: 0x04 })],
  26: [v("ModifyConnectionResponse", Version.WIN10_V6_0, 9, { features: 0x04 })],
  27: [v("Pause", Version.WIN10_V6_0, 8, { features: 0x20 })],
  28: [v("PauseResponse", Version.WIN10_V6_0, 8, { features: 0x20 })],
  29: [v("Resume", Version.WIN10_V6_0, 8, { features: 0x20 })],
};

/** The message types a server never receives (channels.rs:3713-3729). */
export const CLIENT_MESSAGES: ReadonlySet<string> = new Set([
  "OfferChannel", "RescindChannelOffer", "AllOffersDelivered", "OpenResult", "GpadlCreated", "GpadlTorndown",
  "VersionResponse", "VersionResponse2", "VersionResponse3", "UnloadComplete", "CloseReservedChannelResponse",
  "TlConnectResult", "ModifyChannelResponse", "ModifyConnectionResponse", "PauseResponse",
]);

export type Parsed =
  | { readonly ok: true; readonly name: string; readonly bytes: Uint8Array; readonly size: number }
  | { readonly ok: false; readonly error: "MessageTooSmall" | "InvalidMessageType"; readonly type: number };

/** Message::parse(data, version): `connected` = Some(version, features), else None. */
export const parseMessage = (bytes: Uint8Array, connected: { version: number; features: number } | null): Parsed => {
  if (bytes.length < 8) return { ok: false, error: "MessageTooSmall", type: -1 };
  const type = u32At(bytes, 0);
  for (const x of PARSE_TABLE[type] ?? []) {
    const versionOk = x.min === 0 || (connected !== null && connected.version >= x.min);
    const featuresOk = x.features === undefined || (connected !== null && (connected.features & x.features) !== 0);
    const sizeOk = !x.checkSize || bytes.length >= x.size;
    if (!(versionOk && featuresOk && sizeOk)) continue;
    if (bytes.length < x.size) return { ok: false, error: "MessageTooSmall", type };
    return { ok: true, name: x.name, bytes, size: x.size };
  }
  return { ok: false, error: "InvalidMessageType", type };
};
