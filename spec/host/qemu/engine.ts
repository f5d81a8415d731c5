/**
 * The `qemu` profile: QEMU's hw/hyperv/vmbus.c bus state machine, exactly (fact sheet §4).
 * `run` = one vmbus_run: in LISTEN process one queued message (process_message), in any other
 * state post that state's reply (unless one is in flight). `deliveryResult` = vmbus_msg_cb.
 * Every silent drop is a `rejected` output with its rule; every crash/abort a `defect`.
 */
import { match } from "ts-pattern";
import { Version } from "../../wire/versions.js";
import * as L from "../../wire/layouts/index.js";
import type { Message } from "../../wire/messages.js";
import { MessageType } from "../../wire/messages.js";
import {
  busReset, type Ctx, deinit, defect, deviceName, emit, findChannel, findGpadl, getGpadl, gpadlComplete,
  NO_VP, putGpadl, qtrace, reject, resetDevice, setChannel, setGpadl, vpExists, closeChannelResources,
} from "../common.js";
import { buildPost } from "../post.js";
import { payloadArea, fieldAt, u32At, u64At, u64FieldAt, offsetOf } from "../raw.js";
import type { BusState } from "../state.js";
import { channelConnectionId } from "../hypercall.js";


/** vmbus_initialized: 0 < version ≤ VMBUS_VERSION_CURRENT (HOST-CONNECT-2). */
export const qemuInitialized = (c: Pick<Ctx, "s" | "p">): boolean => c.s.version > 0 && c.s.version <= c.p.maxVersion;

const ENXIO = -6;
const EAGAIN = -11;

// ---- posting (post_msg) ----------------------------------------------------------------

const post = (c: Ctx, message: Message): void => {
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

const sendHandshake = (c: Ctx): void =>
  post(c, { type: "VersionResponse", form: "v1", versionSupported: qemuInitialized(c) ? 1 : 0, connectionState: 0, msgConnId: 0 });

const sendOffer = (c: Ctx): void => {
  const ch = c.s.channels.find((x) => x.offerState === "sending");
  if (!ch) {
    qtrace(c, "vmbus_terminate_offers");
    post(c, { type: "AllOffersDelivered" });
    return;
  }
  const dev = c.s.devices[ch.device];
  qtrace(c, "vmbus_send_offer", ch.relid, deviceName(c.s, ch));
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

const nothingToSend = (c: Ctx, what: string): void => {
  defect(c, "HOST-QEMU-DEFECT-5", `${what}: assert(false), nothing to send in state ${c.s.bus}`);
  c.s = { ...c.s, bus: "listen" };
};

const sendCreateGpadl = (c: Ctx): void => {
  const g = c.s.gpadls.find((x) => gpadlComplete(x) && x.state === "init");
  if (!g) return nothingToSend(c, "send_create_gpadl");
  qtrace(c, "vmbus_gpadl_created", g.id);
  post(c, { type: "GpadlCreated", childRelid: g.childRelid, gpadl: g.id, creationStatus: 0 });
};

const sendTeardownGpadl = (c: Ctx): void => {
  const g = c.s.gpadls.find((x) => x.state === "tearingdown");
  if (!g) return nothingToSend(c, "send_teardown_gpadl");
  qtrace(c, "vmbus_gpadl_torndown", g.id);
  post(c, { type: "GpadlTorndown", gpadl: g.id });
};

const sendOpenChannel = (c: Ctx): void => {
  const ch = c.s.channels.find((x) => x.state === "opening");
  if (!ch) return nothingToSend(c, "send_open_channel");
  const status = ch.isOpen ? 0 : c.p.openFailureStatus;
  qtrace(c, "vmbus_channel_open", ch.relid, status);
  post(c, { type: "OpenChannelResult", childRelid: ch.relid, openId: ch.openId, status });
};

const sendUnload = (c: Ctx): void => {
  // HOST-UNLOAD-1 / §12.2 #10: rx_queue_size = 0 before the response.
  for (const q of c.s.rxQueue) {
    const a = payloadArea(q.payload);
    reject(c, "HOST-UNLOAD-1", `queued message type ${a.ok ? u32At(a.value, 0) : "?"} dropped: the queue is emptied before UNLOAD_RESPONSE`);
  }
  c.s = { ...c.s, rxQueue: [] };
  post(c, { type: "UnloadResponse" });
};

// ---- complete() of each state (after delivery) -----------------------------------------

/** Returns true when the bus goes back to LISTEN. */
const complete = (c: Ctx): boolean =>
  match(c.s.bus)
    .with("listen", "handshake", () => true)
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
      if (g) setGpadl(c, g.id, { state: "alive" });
      return true;
    })
    .with("teardownGpadl", () => {
      const g = c.s.gpadls.find((x) => x.state === "tearingdown");
      if (g) {
        setGpadl(c, g.id, { state: "torndown" });
        putGpadl(c, g.id);
      }
      return true;
    })
    .with("openChannel", () => {
      const ch = c.s.channels.find((x) => x.state === "opening");
      if (ch) {
        if (ch.isOpen) {
          setChannel(c, ch.relid, { state: "open" });
          // HOST-OPEN-8: "simulate guest notification of ringbuffer space made available"
          emit(c, { kind: "deviceNotify", relid: ch.relid, reason: "hostNotify" });
        } else setChannel(c, ch.relid, { state: "init" });
      }
      return true;
    })
    .with("unload", () => {
      busReset(c);
      return true;
    })
    .exhaustive();

// ---- incoming handlers (§4.4) ----------------------------------------------------------

const tooShort = (c: Ctx, name: string, len: number, need: number): boolean => {
  if (len >= need) return false;
  reject(c, "HOST-MSG-1", `${name}: payload_size ${len} < ${need}`);
  return true;
};
const notInitialized = (c: Ctx, name: string): boolean => {
  if (qemuInitialized(c)) return false;
  reject(c, "HOST-MSG-2", `${name} while no version is negotiated (version 0x${c.s.version.toString(16)})`);
  return true;
};

const handleInitiateContact = (c: Ctx, b: Uint8Array, len: number): void => {
  if (len < L.InitiateContact.size) return void reject(c, "HOST-CONNECT-9", `INITIATE_CONTACT: payload_size ${len} < ${L.InitiateContact.size}`);
  const version = fieldAt(b, L.InitiateContact, "vmbusVersionRequested");
  const targetVcpu = fieldAt(b, L.InitiateContact, "targetVcpu");
  const interruptPage = u64FieldAt(b, L.InitiateContact, "interruptPage");
  qtrace(c, "vmbus_initiate_contact", version >>> 16, version & 0xffff, targetVcpu,
    u64FieldAt(b, L.InitiateContact, "monitorPage1"), u64FieldAt(b, L.InitiateContact, "monitorPage2"), interruptPage);
  busReset(c); // HOST-CONNECT-1
  c.s = {
    ...c.s,
    targetVp: targetVcpu,
    version,
    interruptPage: version < Version.WIN8 ? interruptPage : "0",
    monitorPage1: u64FieldAt(b, L.InitiateContact, "monitorPage1"),
    monitorPage2: u64FieldAt(b, L.InitiateContact, "monitorPage2"),
    bus: "handshake",
  };
  // vmbus_init: a route only when target_vp != -1 (a missing route surfaces at post time).
  if (targetVcpu === NO_VP) return;
  if (!vpExists(c, targetVcpu)) {
    defect(c, "HOST-QEMU-DEFECT-4", `INITIATE_CONTACT target_vcpu ${targetVcpu} names no vCPU (${c.config.vcpuCount} exist): hyperv_sint_route_new dereferences NULL`);
    deinit(c); // as "failed to init vmbus; aborting"
    return;
  }
  c.s = { ...c.s, sintRoute: true };
};

const handleRequestOffers = (c: Ctx): void => {
  if (notInitialized(c, "REQUESTOFFERS")) return;
  const first = c.s.channels.find((x) => x.offerState === "init");
  if (first) setChannel(c, first.relid, { offerState: "sending" });
  c.s = { ...c.s, bus: "offer", allOffersSent: false };
};

const handleGpadlHeader = (c: Ctx, b: Uint8Array, len: number): void => {
  if (tooShort(c, "GPADL_HEADER", len, L.GpadlHeader.size + L.GpadlRange.size) || notInitialized(c, "GPADL_HEADER")) return;
  const id = fieldAt(b, L.GpadlHeader, "gpadl");
  const buflen = fieldAt(b, L.GpadlHeader, "rangeBufferLength");
  const rangeCount = fieldAt(b, L.GpadlHeader, "rangeCount");
  // (range_buflen - rangecount * 8) / 8 in size_t, stored in uint32_t (HOST-GPADL-3).
  const numGfns = Number((((BigInt(buflen) - BigInt(rangeCount) * 8n) & 0xffffffffffffffffn) / 8n) & 0xffffffffn);
  qtrace(c, "vmbus_gpadl_header", id, numGfns);
  const r0 = offsetOf(L.GpadlHeader, "ranges");
  const byteCount = fieldAt(b.subarray(r0), L.GpadlRange, "byteCount");
  const byteOffset = fieldAt(b.subarray(r0), L.GpadlRange, "byteOffset");
  if (rangeCount !== 1 || byteOffset !== 0 || byteCount !== ((numGfns << 12) >>> 0))
    return void reject(c, "HOST-GPADL-1", `GPADL ${id}: rangecount ${rangeCount}, byte_offset ${byteOffset}, byte_count ${byteCount} is not one page-aligned range of ${numGfns} pages`);
  if (findGpadl(c.s, id)) return void reject(c, "HOST-GPADL-2", `GPADL ${id} already exists`);
  if (buflen < 8 * rangeCount)
    return void defect(c, "HOST-QEMU-DEFECT-3", `GPADL ${id}: range_buflen ${buflen} < 8 underflows num_gfns to ${numGfns}; QEMU allocates a ${numGfns}-entry PFN array`);
  const pfnBase = r0 + L.GpadlRange.size;
  const available = Math.max(0, Math.floor((len - pfnBase) / 8));
  const take = Math.min(numGfns, available);
  const data: string[] = [];
  for (let i = 0; i < take; i++) data.push(String(u64At(b, pfnBase + 8 * i)));
  const childRelid = fieldAt(b, L.GpadlHeader, "childRelid");
  c.s = { ...c.s, gpadls: [{ id, childRelid, expected: numGfns, data, rangeCount, state: "init", refcount: 1, header: null, bodies: [] }, ...c.s.gpadls] };
  if (take >= numGfns) c.s = { ...c.s, bus: "createGpadl" };
};

const handleGpadlBody = (c: Ctx, b: Uint8Array, len: number): void => {
  if (tooShort(c, "GPADL_BODY", len, L.GpadlBody.size) || notInitialized(c, "GPADL_BODY")) return;
  const id = fieldAt(b, L.GpadlBody, "gpadl");
  qtrace(c, "vmbus_gpadl_body", id);
  const g = findGpadl(c.s, id);
  if (!g) return void reject(c, "HOST-GPADL-5", `GPADL_BODY for unknown GPADL ${id}`);
  const left = g.expected - g.data.length;
  if (left <= 0) return void defect(c, "HOST-QEMU-DEFECT-1", `GPADL_BODY for complete GPADL ${id}: assert(num_gfns_left) fails, QEMU aborts`);
  const base = offsetOf(L.GpadlBody, "pfns");
  const take = Math.min(left, Math.max(0, Math.floor((len - base) / 8)));
  const more: string[] = [];
  for (let i = 0; i < take; i++) more.push(String(u64At(b, base + 8 * i)));
  setGpadl(c, id, { data: [...g.data, ...more] });
  if (g.data.length + take >= g.expected) c.s = { ...c.s, bus: "createGpadl" };
};

const handleGpadlTeardown = (c: Ctx, b: Uint8Array, len: number): void => {
  if (tooShort(c, "GPADL_TEARDOWN", len, L.GpadlTeardown.size) || notInitialized(c, "GPADL_TEARDOWN")) return;
  const id = fieldAt(b, L.GpadlTeardown, "gpadl");
  qtrace(c, "vmbus_gpadl_teardown", id);
  const g = findGpadl(c.s, id);
  if (!g || g.state === "torndown") return void reject(c, "HOST-GPADL-12", `GPADL_TEARDOWN for ${g ? "torn-down" : "unknown"} GPADL ${id}`);
  setGpadl(c, id, { state: "tearingdown" });
  c.s = { ...c.s, bus: "teardownGpadl" };
};

/** open_channel (§4.6): sets isOpen on success, explains the failure otherwise. */
const openChannel = (c: Ctx, relid: number): void => {
  const ch = findChannel(c.s, relid);
  if (!ch) return;
  const g = findGpadl(c.s, ch.ringGpadl);
  if (!g || !gpadlComplete(g)) return void reject(c, "HOST-OPEN-2", `ring GPADL ${ch.ringGpadl} ${g ? "is incomplete" : "does not exist"}`);
  getGpadl(c, g.id);
  const m = c.p.minRingPages;
  // ringbufs_init in uint32_t arithmetic: offset <= m-1 || num_gfns <= offset + m - 1.
  const bound = (ch.sendOffset + m - 1) >>> 0;
  if (ch.sendOffset <= m - 1 || g.expected <= bound) {
    putGpadl(c, g.id);
    return void reject(c, "HOST-OPEN-3", `ring split at page ${ch.sendOffset} of ${g.expected} leaves a ring under ${m} pages`);
  }
  if (ch.sendOffset >= g.expected) {
    putGpadl(c, g.id);
    return void defect(c, "HOST-QEMU-DEFECT-6", `downstream offset ${ch.sendOffset} passes the u32-wrapped split check; QEMU reads gfns[${ch.sendOffset}] of ${g.expected}`);
  }
  // make_sint_route: reuse the bus route or another open channel's on the same VP.
  const reuse = ch.targetVp === c.s.targetVp || c.s.channels.some((x) => x.isOpen && x.targetVp === ch.targetVp);
  if (!reuse && !vpExists(c, ch.targetVp)) {
    putGpadl(c, g.id);
    return void defect(c, "HOST-QEMU-DEFECT-4", `OPENCHANNEL target_vp ${ch.targetVp} names no vCPU: hyperv_sint_route_new dereferences NULL`);
  }
  const dev = c.s.devices[ch.device];
  if (dev?.openResult === "fail") {
    putGpadl(c, g.id);
    return void reject(c, "HOST-OPEN-4", `device ${dev.name} failed open_channel`);
  }
  setChannel(c, relid, { isOpen: true });
  emit(c, { kind: "deviceNotify", relid, reason: "opened" });
};

const handleOpenChannel = (c: Ctx, b: Uint8Array, len: number): void => {
  if (tooShort(c, "OPENCHANNEL", len, L.OpenChannel.size) || notInitialized(c, "OPENCHANNEL")) return;
  const relid = fieldAt(b, L.OpenChannel, "childRelid");
  const gpadl = fieldAt(b, L.OpenChannel, "ringBufferGpadlHandle");
  const targetVp = fieldAt(b, L.OpenChannel, "targetVp");
  qtrace(c, "vmbus_open_channel", relid, gpadl, targetVp);
  const ch = findChannel(c.s, relid);
  if (!ch || ch.state !== "init") return void reject(c, "HOST-OPEN-1", `OPENCHANNEL for ${ch ? `channel ${relid} in state ${ch.state}` : `unknown relid ${relid}`}`);
  setChannel(c, relid, {
    ringGpadl: gpadl,
    sendOffset: fieldAt(b, L.OpenChannel, "downstreamRingBufferPageOffset"),
    targetVp,
    openId: fieldAt(b, L.OpenChannel, "openId"),
  });
  openChannel(c, relid);
  setChannel(c, relid, { state: "opening" });
  c.s = { ...c.s, bus: "openChannel" };
};

const handleCloseChannel = (c: Ctx, b: Uint8Array, len: number): void => {
  if (tooShort(c, "CLOSECHANNEL", len, L.CloseChannel.size) || notInitialized(c, "CLOSECHANNEL")) return;
  const relid = fieldAt(b, L.CloseChannel, "childRelid");
  qtrace(c, "vmbus_close_channel", relid);
  const ch = findChannel(c.s, relid);
  if (!ch) return void reject(c, "HOST-CLOSE-1", `CLOSECHANNEL for unknown relid ${relid}`);
  closeChannelResources(c, relid);
  setChannel(c, relid, { state: "init" });
  // vdev_reset_on_close (HOST-CLOSE-2)
  if (!c.s.channels.some((x) => x.device === ch.device && x.isOpen)) resetDevice(c, ch.device);
};

const processMessage = (c: Ctx): void => {
  const head = c.s.rxQueue[0];
  if (!head) return;
  c.s = { ...c.s, rxQueue: c.s.rxQueue.slice(1) };
  const area = payloadArea(head.payload);
  const b = area.ok ? area.value : new Uint8Array(240);
  const len = head.payloadSize;
  if (len < 8) return void reject(c, "HOST-MSG-1", `payload_size ${len} < 8`);
  const type = u32At(b, 0);
  qtrace(c, "vmbus_process_incoming_message", type);
  switch (type) {
    case MessageType.InitiateContact: return handleInitiateContact(c, b, len);
    case MessageType.RequestOffers: return handleRequestOffers(c);
    case MessageType.GpadlHeader: return handleGpadlHeader(c, b, len);
    case MessageType.GpadlBody: return handleGpadlBody(c, b, len);
    case MessageType.GpadlTeardown: return handleGpadlTeardown(c, b, len);
    case MessageType.OpenChannel: return handleOpenChannel(c, b, len);
    case MessageType.CloseChannel: return handleCloseChannel(c, b, len);
    case MessageType.Unload: c.s = { ...c.s, bus: "unload" }; return;
    default: return void reject(c, "HOST-MSG-3", `unknown message type 0x${type.toString(16)}`);
  }
};

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
