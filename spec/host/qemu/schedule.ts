/**
 * QEMU's scheduling of its deferred work (HOST-RUN-5): `vmbus_resched` schedules one more
 * one-shot `vmbus_run` bottom half (QEMU hw/hyperv/vmbus.c, aio_bh_schedule_oneshot).
 */
import type { Ctx } from "../common.js";

export const resched = (c: Ctx): void => {
  c.s = { ...c.s, runPending: true };
};

/** enqueue_incoming_message: "only need to resched if the queue was empty before". */
export const qemuEnqueued = (c: Ctx, before: number): void => {
  if (before === 0) resched(c);
};
