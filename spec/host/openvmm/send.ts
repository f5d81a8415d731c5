/**
 * How OpenVMM's server sends (OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs:3909-3975 MessageSender, at 1488a37b): a
 * message to the default target is posted at once unless the connection is paused or earlier
 * messages are pending (then it joins PendingMessages); a message to a custom or reserved
 * target is posted at once regardless (HOST-OPENVMM-SEND-1..3). Posting hands the message to the
 * KVM backend's unbounded per-VP SynIC queue (hv1_emulator/src/message_queues.rs).
 */
import { VMBUS_SINT } from "../../wire/constants.js";
import type { Message } from "../../wire/messages.js";
import { type Ctx, defect, emit, vpExists } from "../common.js";

/** hvdef NUM_SINTS. */
const NUM_SINTS = 16;
import { buildPost } from "../post.js";
import type { PostedMessage } from "../state.js";
import type { OvmmState } from "./state.js";

export const ov = (c: Ctx): OvmmState => c.s.openvmm as OvmmState;
export const setOv = (c: Ctx, patch: Partial<OvmmState>): void => {
  c.s = { ...c.s, openvmm: { ...ov(c), ...patch } };
};

/** Post to the backend: a VP that does not exist drops the message (virt_kvm x86_64/mod.rs:1858). */
export const postNow = (c: Ctx, m: PostedMessage): void => {
  if (!vpExists(c, m.targetVp)) return;
  if (m.sint >= NUM_SINTS) {
    // message_queues.rs:88 queues[sint as usize] on a [_; 16] array: index out of bounds.
    defect(c, "HOST-OPENVMM-DEFECT-4", `${m.message.type} to SINT ${m.sint}: queues[sint as usize] is out of bounds (hv1_emulator/src/message_queues.rs:88)`);
    return setOv(c, { crashed: "HOST-OPENVMM-DEFECT-4" });
  }
  setOv(c, { synic: [...ov(c).synic, m] });
  emit(c, m);
};

const built = (c: Ctx, message: Message, vp: number, sint: number): PostedMessage => ({ ...buildPost(c.p, message, vp).post, sint });

/** MessageSender::send_message (default target: the message port's VP, SINT 2). */
export const send = (c: Ctx, message: Message): void => {
  const m = built(c, message, c.s.targetVp, VMBUS_SINT);
  const o = ov(c);
  if (o.pending.length > 0 || (o.connection?.paused ?? false)) return setOv(c, { pending: [...o.pending, m] });
  postNow(c, m);
};

/** send_message_with_target with a custom or reserved target: never queued, never paused. */
export const sendTo = (c: Ctx, message: Message, vp: number, sint: number): void => postNow(c, built(c, message, vp, sint));

/** poll_flush_pending_messages: every pending message, in order (the caller runs it only when not paused). */
export const flushPending = (c: Ctx): void => {
  const o = ov(c);
  setOv(c, { pending: [] });
  for (const m of o.pending) postNow(c, m);
};
