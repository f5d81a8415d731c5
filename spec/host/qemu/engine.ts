/**
 * The `qemu` profile: QEMU's hw/hyperv/vmbus.c bus state machine, exactly (fact sheet §4).
 * `run` = one vmbus_run: in LISTEN process one queued message (process_message), in any other
 * state post that state's reply (unless one is in flight). `deliveryResult` = vmbus_msg_cb.
 * Every silent drop is a `rejected` output with its rule; every crash/abort a `defect`.
 */
import { busReset, type Ctx, qtrace, reject } from "../common.js";
import type { BusState } from "../state.js";
import { processMessage } from "./handlers.js";
import { complete, sendCreateGpadl, sendHandshake, sendOffer, sendOpenChannel, sendTeardownGpadl, sendUnload } from "./replies.js";

export { qemuInitialized } from "./replies.js";

const ENXIO = -6;
const EAGAIN = -11;

const RUN: Readonly<Record<BusState, (c: Ctx) => void>> = {
  listen: processMessage,
  handshake: sendHandshake,
  offer: sendOffer,
  createGpadl: sendCreateGpadl,
  teardownGpadl: sendTeardownGpadl,
  openChannel: sendOpenChannel,
  unload: sendUnload,
};

/** vmbus_run: nothing while a message is in flight; else the state's run(). */
export const qemuRun = (c: Ctx): void => {
  if (c.s.inFlight) return;
  RUN[c.s.bus](c);
};

export const qemuRunnable = (s: Ctx["s"]): boolean => !s.inFlight && (s.bus !== "listen" || s.rxQueue.length > 0);

/** vmbus_msg_cb (§4.2). */
export const qemuDelivery = (c: Ctx, result: "delivered" | "slotBusy" | "fatal"): void => {
  if (!c.s.inFlight) return void reject(c, "HOST-RUN-4", "delivery result with no message in flight");
  qtrace(c, "vmbus_msg_cb", result === "delivered" ? 0 : result === "slotBusy" ? EAGAIN : ENXIO);
  if (result === "slotBusy") {
    c.s = { ...c.s, inFlight: null }; // HOST-RUN-2: the same run() re-sends
    return;
  }
  if (result === "fatal") {
    reject(c, "HOST-RUN-3", `message delivery fatal failure: ${ENXIO}; aborting vmbus`);
    busReset(c);
    return;
  }
  if (complete(c)) c.s = { ...c.s, bus: "listen" };
  c.s = { ...c.s, inFlight: null };
};
