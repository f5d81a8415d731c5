/** The queue model's outgoing queue (OpenVMM vm/devices/vmbus/vmbus_server/src/lib.rs): replies wait here, in order, to be posted one at a time. */
import { NtStatus, VMBUS_SINT } from "../../wire/constants.js";
import type { Message } from "../../wire/messages.js";
import { type Ctx, NO_VP } from "../common.js";
import { buildPost } from "../post.js";
import type { PostedMessage } from "../state.js";

export const UNSUCCESSFUL = NtStatus.UNSUCCESSFUL;

export const enqueue = (c: Ctx, message: Message, targetVp = c.s.targetVp === NO_VP ? 0 : c.s.targetVp, sint = VMBUS_SINT): void => {
  const built = buildPost(c.p, message, targetVp);
  c.s = { ...c.s, outQueue: [...c.s.outQueue, { ...built.post, sint }] };
};

export const postable = (s: Ctx["s"]): PostedMessage | undefined => {
  const head = s.outQueue[0];
  return head && (!s.paused || head.message.type === "PauseResponse") ? head : undefined;
};
