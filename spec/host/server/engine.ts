/**
 * The `strict` and `openvmm` profiles: the whole protocol, modelled on OpenVMM's server
 * (OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs) where QEMU is silent or defective. Replies go to an outgoing queue;
 * `run` posts the queue's head, or — only when nothing is waiting to be posted — processes one
 * incoming message ("Only handle new incoming messages if there are no outgoing messages
 * pending", OpenVMM vm/devices/vmbus/vmbus_server/src/lib.rs). A strict host answers every request the guest waits on, with a failure
 * where the protocol has one.
 */
import { match } from "ts-pattern";
import { busReset, type Ctx, emit, reject, setChannel } from "../common.js";
import { processOne } from "./dispatch.js";
import { postable } from "./out.js";

export { serverDeviceAdded, serverRescind } from "./offers.js";

export const serverRunnable = (s: Ctx["s"]): boolean => !s.inFlight && (postable(s) !== undefined || s.rxQueue.length > 0);

export const serverRun = (c: Ctx): void => {
  if (c.s.inFlight) return;
  const head = postable(c.s);
  if (head) {
    c.s = { ...c.s, outQueue: c.s.outQueue.slice(1), inFlight: head };
    if (head.message.type === "AllOffersDelivered") c.s = { ...c.s, allOffersSent: true };
    emit(c, head);
    return;
  }
  processOne(c);
};

export const serverDelivery = (c: Ctx, result: "delivered" | "slotBusy" | "fatal"): void => {
  const m = c.s.inFlight;
  if (!m) return void reject(c, "HOST-RUN-4", "delivery result with no message in flight");
  match(result)
    .with("delivered", () => {
      c.s = { ...c.s, inFlight: null };
      if (m.message.type === "ModifyChannelResponse") setChannel(c, m.message.childRelid, { modifyPending: false });
    })
    .with("slotBusy", () => {
      c.s = { ...c.s, inFlight: null, outQueue: [m, ...c.s.outQueue] }; // HOST-RUN-2
    })
    .with("fatal", () => {
      reject(c, "HOST-RUN-3", "fatal message delivery failure: bus reset");
      busReset(c);
    })
    .exhaustive();
};
