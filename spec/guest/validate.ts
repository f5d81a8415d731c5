/**
 * What the Linux guest checks before it acts on a host message (,
 * Linux drivers/hv/vmbus_drv.c `__vmbus_on_msg_dpc`, Linux drivers/hv/channel_mgmt.c `channel_message_table`), in Linux's order:
 * msgtype ≥ 25 (GUEST-MSG-1), payload_size > 240 (GUEST-MSG-2), no handler (GUEST-MSG-3),
 * payload_size < min_payload_len (GUEST-MSG-4); then the spec decodes the bytes (GUEST-MSG-5).
 */
import { decodeMessage } from "../wire/codec.js";
import { hexToBytes } from "../wire/hex.js";
import { Limits } from "../wire/constants.js";
import type {
  AllOffersDelivered, GpadlCreated, GpadlTorndown, ModifyChannelResponse, OfferChannel, OpenChannelResult, RescindChannelOffer, UnloadResponse, VersionResponse,
} from "../wire/messages.js";
import { MessageType } from "../wire/messages.js";
import type { Hex } from "../wire/primitives.js";
import { err, ok, type Result } from "../result.js";

/** Linux CHANNELMSG_COUNT. */
export const LINUX_CHANNELMSG_COUNT = 25;

/** min_payload_len of every host-to-guest type Linux has a handler for. */
export const MIN_PAYLOAD_LEN: Readonly<Record<number, number>> = {
  [MessageType.OfferChannel]: 196,
  [MessageType.RescindChannelOffer]: 12,
  [MessageType.AllOffersDelivered]: 0,
  [MessageType.OpenChannelResult]: 20,
  [MessageType.GpadlCreated]: 20,
  [MessageType.GpadlTorndown]: 12,
  [MessageType.VersionResponse]: 16,
  [MessageType.UnloadResponse]: 0,
  [MessageType.ModifyChannelResponse]: 16,
};

/** A message of one of those types: the only kind acceptHostMessage passes (GUEST-MSG-3). */
export type HandledHostMessage =
  | OfferChannel
  | RescindChannelOffer
  | AllOffersDelivered
  | OpenChannelResult
  | GpadlCreated
  | GpadlTorndown
  | VersionResponse
  | UnloadResponse
  | ModifyChannelResponse;

export interface Rejection {
  readonly rule: string;
  readonly reason: string;
}

/**
 * The msgtype Linux reads: the first u32 of the copied slot payload. Bytes the host did not
 * write read as zero (the model's slot memory is zeroed).
 */
export const peekMessageType = (bytes: Uint8Array): number => {
  let v = 0;
  for (let i = 3; i >= 0; i--) v = v * 256 + (bytes[i] ?? 0);
  return v;
};

export const acceptHostMessage = (payloadSize: number, payload: Hex, version: number | null): Result<HandledHostMessage, Rejection> => {
  const parsed = hexToBytes(payload);
  if (!parsed.ok) return err({ rule: "GUEST-MSG-5", reason: "slot payload is not valid hex" });
  const bytes = parsed.value;
  const type = peekMessageType(bytes);
  if (type >= LINUX_CHANNELMSG_COUNT) return err({ rule: "GUEST-MSG-1", reason: `msgtype ${type} ≥ CHANNELMSG_COUNT (25)` });
  if (payloadSize > Limits.MESSAGE_PAYLOAD) return err({ rule: "GUEST-MSG-2", reason: `payload_size ${payloadSize} > 240` });
  const min = MIN_PAYLOAD_LEN[type];
  if (min === undefined) return err({ rule: "GUEST-MSG-3", reason: `msgtype ${type} has no host-to-guest handler` });
  if (payloadSize < min) return err({ rule: "GUEST-MSG-4", reason: `msgtype ${type}: payload_size ${payloadSize} < min_payload_len ${min}` });
  // Linux parses the copied slot: payload_size bytes (zero-filled past what the host wrote).
  const view = new Uint8Array(Math.max(payloadSize, 8));
  view.set(bytes.subarray(0, view.length));
  const decoded = decodeMessage(view, { ...(version === null ? {} : { version }), direction: "host-to-guest" });
  if (!decoded.ok) return err({ rule: "GUEST-MSG-5", reason: `msgtype ${type} does not decode: ${decoded.error.message}` });
  // The decoder reads the msgtype peeked above, which has a MIN_PAYLOAD_LEN entry: a handled type.
  return ok(decoded.value.message as HandledHostMessage);
};
