/**
 * QEMU's reply side: post_msg, the run() of each non-LISTEN state
 * (send_*) and the complete() run after delivery.
 */
import { match } from "ts-pattern";
import type { Message } from "../../wire/messages.js";
import { MessageType } from "../../wire/messages.js";
import { busReset, type Ctx, defect, deviceName, emit, gpadlComplete, putGpadl, qtrace, reject, setChannel, setGpadl } from "../common.js";
import { channelConnectionId } from "../hypercall.js";
import { buildPost } from "../post.js";
import { payloadArea, u32At } from "../raw.js";

/** vmbus_initialized: 0 < version ≤ VMBUS_VERSION_CURRENT (HOST-CONNECT-2). */
export const qemuInitialized = (c: Pick<Ctx, "s" | "p">): boolean => c.s.version > 0 && c.s.version <= c.p.maxVersion;

// ---- posting (post_msg) ----------------------------------------------------------------

export const post = (c: Ctx, message: Message): void => {
  const built = buildPost(c.p, message, c.s.targetVp);
  qtrace(c, "vmbus_post_msg", MessageType[message.type], built.length);
  if (!c.s.sintRoute) {
    defect(c, "HOST-QEMU-DEFECT-2", `posting ${message.type} through a NULL SINT route (no INITIATE_CONTACT with a valid target VP)`);
    busReset(c);
    return;
  }
  c.s = { ...c.s, inFlight: built.post };
  emit(c, built.post);
};

// ---- run() of each state ---------------------------------------------------------------

export const sendHandshake = (c: Ctx): void =>
  post(c, { type: "VersionResponse", form: "v1", versionSupported: qemuInitialized(c) ? 1 : 0, connectionState: 0, msgConnId: 0 });

export const sendOffer = (c: Ctx): void => {
  const ch = c.s.channels.find((x) => x.offerState === "sending");
  if (!ch) {
    qtrace(c, "vmbus_terminate_offers");
    post(c, { type: "AllOffersDelivered" });
    return;
  }
  const dev = c.s.devices[ch.device];
  qtrace(c, "vmbus_send_offer", ch.relid, deviceName(c.s, ch));
  // HOST-OFFER-3: QEMU's send_offer fields; posted as its 200-byte unpacked struct (post.ts).
  post(c, {
    type: "OfferChannel",
    form: "win7",
    interfaceType: dev?.interfaceType ?? "00000000-0000-0000-0000-000000000000",
    interfaceInstance: dev?.interfaceInstance ?? "00000000-0000-0000-0000-000000000000",
    reserved1: "0",
    reserved2: "0",
    channelFlags: dev?.channelFlags ?? 0,
    mmioMegabytes: dev?.mmioMegabytes ?? 0,
    userDefined: "00".repeat(120),
    subChannelIndex: ch.subChannelIndex,
    mmioMegabytesOptional: 0,
    childRelid: ch.relid,
    monitorId: 0,
    monitorFlags: 0,
    interruptFlags: 1, // VMBUS_OFFER_INTERRUPT_DEDICATED
    connectionId: channelConnectionId(c, ch.relid),
  });
};

/** g_assert_not_reached() in send_* (HOST-QEMU-DEFECT-5: no input reaches it; the spec returns to LISTEN). */
export const nothingToSend = (c: Ctx, what: string): void => {
  defect(c, "HOST-QEMU-DEFECT-5", `${what}: g_assert_not_reached(), nothing to send in state ${c.s.bus}`);
  c.s = { ...c.s, bus: "listen" };
};

/** g_assert_not_reached() in complete_* (HOST-QEMU-DEFECT-5); the spec then returns to LISTEN. */
const nothingToComplete = (c: Ctx, what: string): boolean => {
  defect(c, "HOST-QEMU-DEFECT-5", `${what}: g_assert_not_reached(), nothing to complete in state ${c.s.bus}`);
  return true;
};

export const sendCreateGpadl = (c: Ctx): void => {
  const g = c.s.gpadls.find((x) => gpadlComplete(x) && x.state === "init");
  if (!g) return nothingToSend(c, "send_create_gpadl");
  qtrace(c, "vmbus_gpadl_created", g.id);
  post(c, { type: "GpadlCreated", childRelid: g.childRelid, gpadl: g.id, creationStatus: 0 });
};

export const sendTeardownGpadl = (c: Ctx): void => {
  const g = c.s.gpadls.find((x) => x.state === "tearingdown");
  if (!g) return nothingToSend(c, "send_teardown_gpadl");
  qtrace(c, "vmbus_gpadl_torndown", g.id);
  post(c, { type: "GpadlTorndown", gpadl: g.id });
};

export const sendOpenChannel = (c: Ctx): void => {
  const ch = c.s.channels.find((x) => x.state === "opening");
  if (!ch) return nothingToSend(c, "send_open_channel");
  const status = ch.isOpen ? 0 : c.p.openFailureStatus; // HOST-OPEN-5 (QEMU: status = !is_open)
  qtrace(c, "vmbus_channel_open", ch.relid, status);
  post(c, { type: "OpenChannelResult", childRelid: ch.relid, openId: ch.openId, status });
};

export const sendUnload = (c: Ctx): void => {
  // HOST-UNLOAD-1 / QEMU quirk Q10: rx_queue_size = 0 before the response.
  for (const q of c.s.rxQueue) {
    const a = payloadArea(q.payload);
    reject(c, "HOST-UNLOAD-1", `queued message type ${a.ok ? u32At(a.value, 0) : "?"} dropped: the queue is emptied before UNLOAD_RESPONSE`);
  }
  c.s = { ...c.s, rxQueue: [] };
  post(c, { type: "UnloadResponse" });
};

// ---- complete() of each state (after delivery) -----------------------------------------

/** Returns true when the bus goes back to LISTEN. */
export const complete = (c: Ctx): boolean =>
  match(c.s.bus)
    .with("listen", () => true)
    .with("handshake", () => {
      // Not QEMU state: the profile-independent view's "connected" (hostView).
      c.s = { ...c.s, connected: qemuInitialized(c) };
      return true;
    })
    .with("offer", () => {
      const ch = c.s.channels.find((x) => x.offerState === "sending");
      if (!ch) {
        c.s = { ...c.s, allOffersSent: true };
        return true;
      }
      setChannel(c, ch.relid, { offerState: "sent" });
      const next = c.s.channels.find((x) => x.offerState === "init");
      if (next) setChannel(c, next.relid, { offerState: "sending" });
      return false;
    })
    .with("createGpadl", () => {
      const g = c.s.gpadls.find((x) => gpadlComplete(x) && x.state === "init");
      if (!g) return nothingToComplete(c, "complete_create_gpadl");
      setGpadl(c, g.id, { state: "alive" });
      return true;
    })
    .with("teardownGpadl", () => {
      const g = c.s.gpadls.find((x) => x.state === "tearingdown");
      if (!g) return nothingToComplete(c, "complete_teardown_gpadl");
      setGpadl(c, g.id, { state: "torndown" });
      putGpadl(c, g.id);
      return true;
    })
    .with("openChannel", () => {
      const ch = c.s.channels.find((x) => x.state === "opening");
      if (!ch) return nothingToComplete(c, "complete_open_channel");
      if (ch.isOpen) {
        setChannel(c, ch.relid, { state: "open" });
        // HOST-OPEN-8: "simulate guest notification of ringbuffer space made available"
        emit(c, { kind: "deviceNotify", relid: ch.relid, reason: "hostNotify" });
      } else setChannel(c, ch.relid, { state: "init" });
      return true;
    })
    .with("unload", () => {
      busReset(c);
      return true;
    })
    .exhaustive();
