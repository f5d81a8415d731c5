/**
 * The `qemu` profile: QEMU's hw/hyperv/vmbus.c bus state machine, exactly.
 * `run` = one `vmbus_run` one-shot bottom half, enabled only when one was scheduled
 * (`vmbus_resched`, HOST-RUN-5): in LISTEN process one queued message (process_message), in any
 * other state post that state's reply (unless one is in flight). `deliveryResult` = vmbus_msg_cb.
 * Every silent drop is a `rejected` output with its rule; every crash/abort a `defect`.
 */
import { busReset, type Ctx, defect, qtrace, reject } from "../common.js";
import type { BusState, HostState } from "../state.js";
import { processMessage } from "./handlers.js";
import { resched } from "./schedule.js";
import { complete, sendCreateGpadl, sendHandshake, sendOffer, sendOpenChannel, sendTeardownGpadl, sendUnload } from "./replies.js";

export { qemuInitialized } from "./replies.js";

const ENXIO = -6;
const EAGAIN = -11;


/** process_message: nothing (and no resched) on an empty queue; else handle the head and resched. */
const listen = (c: Ctx): void => {
  if (c.s.rxQueue.length === 0) return;
  processMessage(c);
  resched(c); // process_message `out:` — also after a message shorter than its header
};

const RUN: Readonly<Record<BusState, (c: Ctx) => void>> = {
  listen,
  handshake: sendHandshake,
  offer: sendOffer,
  createGpadl: sendCreateGpadl,
  teardownGpadl: sendTeardownGpadl,
  openChannel: sendOpenChannel,
  unload: sendUnload,
};

/** vmbus_run → vmbus_do_run: consumes one scheduled run; nothing while a message is in flight; else the state's run(). */
export const qemuRun = (c: Ctx): void => {
  if (!c.s.runPending) return void reject(c, "HOST-RUN-5", "run: no vmbus_run bottom half is scheduled");
  c.s = { ...c.s, runPending: false };
  if (c.s.inFlight) return; // msg_in_progress: no resched, the delivery callback will
  RUN[c.s.bus](c);
};

/** A `run` input is enabled exactly when a vmbus_run bottom half is scheduled (HOST-RUN-5). */
export const qemuRunnable = (s: HostState): boolean => s.runPending;

/** vmbus_msg_cb. */
export const qemuDelivery = (c: Ctx, result: "delivered" | "slotBusy" | "fatal"): void => {
  const status = result === "delivered" ? 0 : result === "slotBusy" ? EAGAIN : ENXIO;
  if (c.s.staleDeliveries > 0) {
    // The completion of a message staged before a machine reset (HOST-QEMU-DEFECT-7).
    c.s = { ...c.s, staleDeliveries: c.s.staleDeliveries - 1 };
    return void defect(c, "HOST-QEMU-DEFECT-8", c.s.inFlight
      ? `completion (status ${status}) of a message staged before the reset is taken for the ${c.s.bus} reply in flight`
      : `completion (status ${status}) of a message staged before the reset: assert(vmbus->msg_in_progress) fails, QEMU aborts`);
  }
  if (!c.s.inFlight) return void reject(c, "HOST-RUN-4", "delivery result with no message in flight");
  qtrace(c, "vmbus_msg_cb", status);
  if (result === "slotBusy") {
    c.s = { ...c.s, inFlight: null }; // HOST-RUN-2: the same run() re-sends
    return resched(c);
  }
  if (result === "fatal") {
    reject(c, "HOST-RUN-3", `message delivery fatal failure: ${ENXIO}; aborting vmbus`);
    busReset(c); // returns without vmbus_resched (HOST-RUN-5)
    return;
  }
  if (complete(c)) c.s = { ...c.s, bus: "listen" };
  c.s = { ...c.s, inFlight: null };
  resched(c);
};


/**
 * Machine reset (vmbus_reset_hold → vmbus_deinit, after the devices' resets). A message still
 * staged keeps its SINT route referenced, so the SynIC reset that follows finds the route still
 * registered (HOST-QEMU-DEFECT-7); the staged message's completion still comes later.
 */
export const qemuReset = (c: Ctx): void => {
  if (c.s.inFlight) {
    defect(c, "HOST-QEMU-DEFECT-7", `machine reset while ${c.s.inFlight.message.type} is staged: its SINT route stays referenced and synic_reset's assert(QLIST_EMPTY(&synic->sint_routes)) fails`);
    c.s = { ...c.s, staleDeliveries: c.s.staleDeliveries + 1 };
  }
  busReset(c);
};

/**
 * A state from which QEMU never runs again (HOST-QEMU-DEFECT-9): messages queued, no run
 * scheduled, no delivery outstanding. Only enqueue_incoming_message onto an EMPTY queue,
 * process_message, a non-fatal vmbus_msg_cb and vmbus_post_load schedule a run, so nothing can.
 */
export const qemuStalled = (s: HostState): boolean =>
  !s.runPending && s.inFlight === null && s.staleDeliveries === 0 && s.rxQueue.length > 0;

/**
 * Report the step that leaves QEMU stalled for good — unless that step already hit a defect
 * (QEMU crashed there; the stall is the spec's continuation, not QEMU's).
 */
export const qemuStallCheck = (c: Ctx, before: HostState): void => {
  if (c.out.some((o) => o.kind === "defect")) return;
  if (!qemuStalled(before) && qemuStalled(c.s))
    defect(c, "HOST-QEMU-DEFECT-9", `${c.s.rxQueue.length} queued message(s) and no vmbus_run scheduled: QEMU never processes a guest message again (further posts fill the queue, INSUFFICIENT_BUFFERS)`);
};
