/**
 * Building the host's postMessage outputs: the decoded message and the exact bytes posted.
 * QEMU posts `sizeof` its (partly unpacked) C struct and rounds payload_size up to 8
 * (post_msg); the queue-model profiles post the canonical encoding exactly.
 */
import { encodeMessage } from "../wire/codec.js";
import { VMBUS_SINT } from "../wire/constants.js";
import { bytesToHex } from "../wire/hex.js";
import type { Message } from "../wire/messages.js";
import { messageTypeNumber } from "../wire/messages.js";
import type { HostProfileParameters } from "./profiles.js";
import type { PostedMessage } from "./state.js";

/** QEMU struct sizes that differ from the canonical encoding (64-bit host, QEMU quirk Q17). */
const QEMU_STRUCT_SIZE: Partial<Record<Message["type"], number>> = {
  OfferChannel: 200, // vmbus_message_offer_channel: 196 + 4 bytes tail padding
  VersionResponse: 12, // vmbus_message_version_response: version_supported, status + padding
};

export interface BuiltPost {
  readonly post: PostedMessage;
  /** The length QEMU passes to post_msg (trace `vmbus_post_msg` size). */
  readonly length: number;
}

export const buildPost = (p: HostProfileParameters, message: Message, targetVp: number): BuiltPost => {
  const canonical = encodeMessage(message);
  const length = (p.qemuStructSizes ? QEMU_STRUCT_SIZE[message.type] : undefined) ?? canonical.length;
  const align = Math.max(1, p.payloadSizeAlign);
  const payloadSize = Math.ceil(length / align) * align;
  const bytes = new Uint8Array(payloadSize);
  bytes.set(canonical.subarray(0, Math.min(length, canonical.length)), 0);
  return {
    post: { kind: "postMessage", message, bytes: bytesToHex(bytes), payloadSize, targetVp, sint: VMBUS_SINT },
    length,
  };
};

export const postedType = (m: Message): number => messageTypeNumber(m);
