/**
 * The `strict` and `openvmm` profiles: the whole protocol, modelled on OpenVMM's server
 * (fact sheet §6, O-chan) where QEMU is silent or defective. Replies go to an outgoing queue;
 * `run` posts the queue's head, or — only when nothing is waiting to be posted — processes one
 * incoming message ("Only handle new incoming messages if there are no outgoing messages
 * pending", O-srv). A strict host answers every request the guest waits on, with a failure
 * where the protocol has one.
 */
import { match } from "ts-pattern";
import { decodeMessage, type WireError } from "../../wire/codec.js";
import { ConnectionState, FeatureFlag, Limits, NtStatus, VMBUS_SINT } from "../../wire/constants.js";
import { reassembleGpadl } from "../../wire/gpadl.js";
import * as L from "../../wire/layouts/index.js";
import type { Message, MessageOf } from "../../wire/messages.js";
import { MessageType } from "../../wire/messages.js";
import { Version } from "../../wire/versions.js";
import {
  busReset, closeChannelResources, type Ctx, emit, findChannel, findGpadl, getGpadl, gpadlComplete, NO_VP,
  putGpadl, reject, setChannel, setGpadl, vpExists,
} from "../common.js";
import { channelConnectionId } from "../hypercall.js";
import { buildPost } from "../post.js";
import { versionAccepted } from "../profiles.js";
import { fieldAt, payloadArea, u32At } from "../raw.js";
import type { HostRuleId } from "../rules.js";
import type { ChannelState, PostedMessage } from "../state.js";

const UNSUCCESSFUL = NtStatus.UNSUCCESSFUL;

const enqueue = (c: Ctx, message: Message, targetVp = c.s.targetVp === NO_VP ? 0 : c.s.targetVp, sint = VMBUS_SINT): void => {
  const built = buildPost(c.p, message, targetVp);
  c.s = { ...c.s, outQueue: [...c.s.outQueue, { ...built.post, sint }] };
};

const postable = (s: Ctx["s"]): PostedMessage | undefined => {
  const head = s.outQueue[0];
  return head && (!s.paused || head.message.type === "PauseResponse") ? head : undefined;
};

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

// ---- offers ---------------------------------------------------------------------------

const offerOf = (c: Ctx, ch: ChannelState): MessageOf<"OfferChannel"> => {
  const dev = c.s.devices[ch.device];
  let flags = dev?.channelFlags ?? 0;
  // O-chan send_offer: confidential bits only with confidential_channels, pinning with gpa_pinning.
  if ((c.s.features & FeatureFlag.CONFIDENTIAL_CHANNELS) === 0) flags &= ~0x0006;
  if ((c.s.features & FeatureFlag.GPA_PINNING) === 0) flags &= ~0x0008;
  const common = {
    type: "OfferChannel" as const,
    interfaceType: dev?.interfaceType ?? "00000000-0000-0000-0000-000000000000",
    interfaceInstance: dev?.interfaceInstance ?? "00000000-0000-0000-0000-000000000000",
    reserved1: "0",
    reserved2: "0",
    channelFlags: flags,
    mmioMegabytes: dev?.mmioMegabytes ?? 0,
    userDefined: "00".repeat(Limits.USER_DEFINED_BYTES),
    subChannelIndex: ch.subChannelIndex,
    mmioMegabytesOptional: 0,
    childRelid: ch.relid,
    monitorId: 0xff,
    monitorFlags: 0,
  };
  return c.s.version < Version.WIN7
    ? { ...common, form: "preWin7" }
    : { ...common, form: "win7", interruptFlags: 1, connectionId: channelConnectionId(c, ch.relid) };
};

const offerChannels = (c: Ctx, relids: readonly number[]): void => {
  for (const relid of relids) {
    const ch = findChannel(c.s, relid);
    if (!ch || ch.rescinded) continue;
    enqueue(c, offerOf(c, ch));
    setChannel(c, relid, { offerState: "sent" });
  }
};

/** HOST-OFFER-7: called by the device-added input. */
export const serverDeviceAdded = (c: Ctx, relids: readonly number[]): void => {
  if (c.s.connected && c.s.offersRequested) offerChannels(c, relids);
};

/** HOST-RESCIND-1. */
export const serverRescind = (c: Ctx, relid: number): void => {
  const ch = findChannel(c.s, relid);
  if (!ch || ch.rescinded) return void reject(c, "HOST-DEV-1", `no live channel ${relid} to rescind`);
  closeChannelResources(c, relid);
  setChannel(c, relid, { state: "init", modifyPending: false });
  releaseDeferredTeardowns(c);
  if (ch.offerState === "sent" && c.s.connected) {
    enqueue(c, { type: "RescindChannelOffer", childRelid: relid });
    setChannel(c, relid, { rescinded: true });
  } else c.s = { ...c.s, channels: c.s.channels.filter((x) => x.relid !== relid) };
};

// ---- incoming -------------------------------------------------------------------------

const wireRule = (e: WireError): HostRuleId =>
  match(e.kind)
    .with("tooShort", () => "HOST-MSG-1" as const)
    .with("typeNotInVersion", () => "HOST-MSG-4" as const)
    .with("unknownType", "wrongDirection", () => "HOST-MSG-3" as const)
    .with("tooLong", "countMismatch", "badField", () => "HOST-MSG-5" as const)
    .exhaustive();

const gpadlFailed = (c: Ctx, childRelid: number, gpadl: number, rule: HostRuleId, why: string): void => {
  reject(c, rule, why);
  enqueue(c, { type: "GpadlCreated", childRelid, gpadl, creationStatus: UNSUCCESSFUL });
};

const processOne = (c: Ctx): void => {
  const head = c.s.rxQueue[0];
  if (!head) return;
  c.s = { ...c.s, rxQueue: c.s.rxQueue.slice(1) };
  const area = payloadArea(head.payload);
  const bytes = (area.ok ? area.value : new Uint8Array(Limits.MESSAGE_PAYLOAD)).subarray(0, head.payloadSize);
  const type = u32At(bytes, 0);
  if (!c.s.connected && type !== MessageType.InitiateContact && type !== MessageType.CloseReservedChannel)
    return void reject(c, type === MessageType.Unload ? "HOST-UNLOAD-2" : "HOST-MSG-2", `message type ${type} while disconnected`);
  const decoded = decodeMessage(bytes, c.s.connected ? { version: c.s.version, direction: "guest-to-host", features: c.s.features } : { direction: "guest-to-host" });
  if (!decoded.ok) {
    // A GPADL_HEADER the guest waits on gets a failed GPADL_CREATED (no deadlock).
    if (type === MessageType.GpadlHeader && bytes.length >= L.GpadlHeader.size && decoded.error.kind === "countMismatch")
      return gpadlFailed(c, fieldAt(bytes, L.GpadlHeader, "childRelid"), fieldAt(bytes, L.GpadlHeader, "gpadl"), "HOST-GPADL-9", decoded.error.message);
    return void reject(c, wireRule(decoded.error), decoded.error.message);
  }
  handle(c, decoded.value.message, head.connectionId);
};

const handle = (c: Ctx, m: Message, connectionId: number): void =>
  match(m)
    .with({ type: "InitiateContact" }, (x) => initiateContact(c, x, connectionId))
    .with({ type: "RequestOffers" }, () => requestOffers(c))
    .with({ type: "GpadlHeader" }, (x) => gpadlHeader(c, x))
    .with({ type: "GpadlBody" }, (x) => gpadlBody(c, x))
    .with({ type: "GpadlTeardown" }, (x) => gpadlTeardown(c, x))
    .with({ type: "OpenChannel" }, (x) => openChannel(c, x))
    .with({ type: "CloseChannel" }, (x) => closeChannel(c, x.childRelid))
    .with({ type: "RelIdReleased" }, (x) => relIdReleased(c, x.childRelid))
    .with({ type: "Unload" }, () => unload(c))
    .with({ type: "ModifyChannel" }, (x) => modifyChannel(c, x))
    .with({ type: "TlConnectRequest" }, (x) => {
      if (c.s.version < Version.WIN10_V4_1) return void reject(c, "HOST-TL-1", "no hv_sock service; no TL_CONNECT_RESULT before 4.1");
      reject(c, "HOST-TL-1", `no service ${x.hostServiceId}: connection refused`);
      enqueue(c, { type: "TlConnectResult", endpointId: x.guestEndpointId, serviceId: x.hostServiceId, status: NtStatus.CONNECTION_REFUSED });
    })
    .with({ type: "OpenReservedChannel" }, (x) => reject(c, "HOST-RESERVED-1", `no reserved channel ${x.channelId}`))
    .with({ type: "CloseReservedChannel" }, (x) => {
      // Parsed even while disconnected (O-chan); CLOSE_RESERVED_RESPONSE exists from 4.0 (§2.1).
      if (c.s.connected && c.s.version < Version.WIN10) return void reject(c, "HOST-MSG-4", "CLOSE_RESERVED_CHANNEL needs version 4.0");
      if (!vpExists(c, x.targetVp)) return void reject(c, "HOST-RESERVED-1", `CLOSE_RESERVED_CHANNEL names VP ${x.targetVp}, which does not exist`);
      enqueue(c, { type: "CloseReservedResponse", channelId: x.channelId }, x.targetVp, x.targetSint);
    })
    .with({ type: "ModifyConnection" }, (x) => {
      c.s = { ...c.s, monitorPage1: x.parentToChildMonitorPageGpa, monitorPage2: x.childToParentMonitorPageGpa };
      enqueue(c, { type: "ModifyConnectionResponse", connectionState: ConnectionState.SUCCESSFUL });
    })
    .with({ type: "Pause" }, () => {
      enqueue(c, { type: "PauseResponse" });
      c.s = { ...c.s, paused: true };
    })
    .with({ type: "Resume" }, () => {
      c.s = { ...c.s, paused: false };
    })
    .with(
      { type: "OfferChannel" }, { type: "RescindChannelOffer" }, { type: "AllOffersDelivered" }, { type: "OpenChannelResult" },
      { type: "GpadlCreated" }, { type: "GpadlTorndown" }, { type: "VersionResponse" }, { type: "UnloadResponse" },
      { type: "CloseReservedResponse" }, { type: "TlConnectResult" }, { type: "ModifyChannelResponse" },
      { type: "ModifyConnectionResponse" }, { type: "PauseResponse" },
      (x) => reject(c, "HOST-MSG-3", `${x.type} travels host to guest`),
    )
    .exhaustive();

const initiateContact = (c: Ctx, m: MessageOf<"InitiateContact">, connectionId: number): void => {
  if (c.s.connected) busReset(c); // HOST-CONNECT-1
  const v = m.vmbusVersionRequested;
  const honoursVp = v >= Version.WIN8_1;
  const replyVp = honoursVp && vpExists(c, m.targetVcpu) ? m.targetVcpu : 0;
  const unsupported = (rule: HostRuleId, why: string): void => {
    reject(c, rule, why);
    enqueue(c, { type: "VersionResponse", form: "v1", versionSupported: 0, connectionState: 0, msgConnId: 0 }, replyVp);
  };
  if (!versionAccepted(c.p, v)) return unsupported("HOST-CONNECT-3", `version 0x${v.toString(16)} not supported`);
  if (m.form !== "interruptPage") {
    if (connectionId === 4 && m.msgSint !== VMBUS_SINT) return unsupported("HOST-CONNECT-7", `msg_sint ${m.msgSint} ≠ 2`);
    if (v >= Version.WIN10_V5_1 && m.msgVtl !== 0) return unsupported("HOST-CONNECT-7", `msg_vtl ${m.msgVtl} ≠ 0`);
  }
  const failed = (rule: HostRuleId, why: string, vp: number): void => {
    reject(c, rule, why);
    if (v < Version.WIN8) enqueue(c, { type: "VersionResponse", form: "v1", versionSupported: 0, connectionState: 0, msgConnId: 0 }, vp);
    else enqueue(c, { type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: ConnectionState.FAILED_UNKNOWN_FAILURE, msgConnId: 0 }, vp);
  };
  if (honoursVp && !vpExists(c, m.targetVcpu)) return failed("HOST-CONNECT-8", `target VP ${m.targetVcpu} does not exist`, 0);
  if ((m.monitorPage1 === "0") !== (m.monitorPage2 === "0")) return failed("HOST-CONNECT-6", "exactly one monitor page given", replyVp);
  const requested = m.form === "interruptPage" ? 0 : m.featureFlags;
  const features = v >= Version.WIN10_V6_0 ? (requested & c.p.supportedFeatures) >>> 0 : 0;
  const msgConnId = v >= Version.WIN10_V5 ? 1 : 0;
  c.s = {
    ...c.s,
    connected: true,
    version: v,
    targetVp: replyVp,
    sintRoute: true,
    interruptPage: m.form === "interruptPage" && v < Version.WIN8 ? m.interruptPage : "0",
    monitorPage1: m.monitorPage1,
    monitorPage2: m.monitorPage2,
    features,
    msgConnId,
    offersRequested: false,
    allOffersSent: false,
  };
  enqueue(
    c,
    v >= Version.WIN10_V6_0
      ? { type: "VersionResponse", form: "copper", versionSupported: 1, connectionState: 0, msgConnId, supportedFeatures: features }
      : { type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: 0, msgConnId: v >= Version.WIN10_V5 ? msgConnId : v },
  );
};

const requestOffers = (c: Ctx): void => {
  if (c.s.offersRequested) {
    if (c.p.secondRequestOffers === "drop") return void reject(c, "HOST-OFFER-5", "REQUESTOFFERS again: OffersAlreadySent");
    reject(c, "HOST-OFFER-5", "REQUESTOFFERS again: nothing left to offer");
    c.s = { ...c.s, allOffersSent: false };
    enqueue(c, { type: "AllOffersDelivered" });
    return;
  }
  c.s = { ...c.s, offersRequested: true, allOffersSent: false };
  offerChannels(c, c.s.channels.map((ch) => ch.relid));
  enqueue(c, { type: "AllOffersDelivered" });
};

const liveOffered = (c: Ctx, relid: number): ChannelState | undefined => {
  const ch = findChannel(c.s, relid);
  return ch && !ch.rescinded && ch.offerState === "sent" ? ch : undefined;
};

const stream = (h: MessageOf<"GpadlHeader">): string[] => {
  const out: string[] = [];
  for (const r of h.ranges) out.push((BigInt(r.byteCount >>> 0) + (BigInt(r.byteOffset >>> 0) << 32n)).toString(), ...r.pfns);
  return out;
};

/** Reassemble and answer a GPADL whose range data is complete (HOST-GPADL-4 / -9). */
const finishGpadl = (c: Ctx, id: number): void => {
  const g = findGpadl(c.s, id);
  if (!g || !g.header) return;
  const r = reassembleGpadl(g.header, g.bodies);
  const bad = r.ok ? r.value.ranges.findIndex((x) => x.byteCount === 0) : -1;
  if (!r.ok || bad >= 0 || g.header.rangeCount === 0) {
    c.s = { ...c.s, gpadls: c.s.gpadls.filter((x) => x.id !== id) };
    return gpadlFailed(c, g.childRelid, id, "HOST-GPADL-9", !r.ok ? r.error.message : bad >= 0 ? `range ${bad} has byte_count 0` : "rangecount 0");
  }
  setGpadl(c, id, { state: "alive", ranges: r.value.ranges, bodies: [] });
  enqueue(c, { type: "GpadlCreated", childRelid: g.childRelid, gpadl: id, creationStatus: 0 });
};

const gpadlHeader = (c: Ctx, h: MessageOf<"GpadlHeader">): void => {
  if (!liveOffered(c, h.childRelid)) return gpadlFailed(c, h.childRelid, h.gpadl, "HOST-GPADL-10", `GPADL ${h.gpadl} for relid ${h.childRelid}, which is not an offered channel`);
  if (findGpadl(c.s, h.gpadl)) return gpadlFailed(c, h.childRelid, h.gpadl, "HOST-GPADL-2", `GPADL id ${h.gpadl} is in use`);
  const data = stream(h);
  const expected = h.rangeBufferLength / 8;
  c.s = {
    ...c.s,
    gpadls: [{ id: h.gpadl, childRelid: h.childRelid, expected, data, rangeCount: h.rangeCount, state: "init", refcount: 1, header: h, bodies: [] }, ...c.s.gpadls],
  };
  if (data.length >= expected) finishGpadl(c, h.gpadl);
};

const gpadlBody = (c: Ctx, b: MessageOf<"GpadlBody">): void => {
  const g = findGpadl(c.s, b.gpadl);
  if (!g) return void reject(c, "HOST-GPADL-5", `GPADL_BODY for unknown GPADL ${b.gpadl}`);
  if (gpadlComplete(g) || g.state !== "init") return void reject(c, "HOST-GPADL-11", `GPADL_BODY for complete GPADL ${b.gpadl}`);
  const room = g.expected - g.data.length;
  setGpadl(c, g.id, { data: [...g.data, ...b.pfns.slice(0, room)], bodies: [...g.bodies, b] });
  if (b.pfns.length >= room) finishGpadl(c, g.id);
};

const inUse = (c: Ctx, id: number): boolean => c.s.channels.some((ch) => ch.isOpen && ch.ringGpadl === id);

const torndown = (c: Ctx, id: number): void => {
  enqueue(c, { type: "GpadlTorndown", gpadl: id });
  setGpadl(c, id, { state: "torndown" });
  putGpadl(c, id);
};

/** HOST-GPADL-7: deferred teardowns whose GPADL is no longer used by an open channel. */
const releaseDeferredTeardowns = (c: Ctx): void => {
  for (const g of c.s.gpadls) if (g.state === "tearingdown" && !inUse(c, g.id)) torndown(c, g.id);
};

const gpadlTeardown = (c: Ctx, t: MessageOf<"GpadlTeardown">): void => {
  const g = findGpadl(c.s, t.gpadl);
  if (!g || g.childRelid !== t.childRelid || g.state === "torndown" || g.state === "tearingdown")
    return void reject(c, "HOST-GPADL-12", `GPADL_TEARDOWN for ${g ? `GPADL ${t.gpadl} (relid ${g.childRelid}, ${g.state})` : `unknown GPADL ${t.gpadl}`} on relid ${t.childRelid}`);
  if (g.state === "init" && c.p.teardownIncompleteGpadl === "reject") return void reject(c, "HOST-GPADL-8", `GPADL ${t.gpadl} is incomplete (InvalidGpadlState)`);
  if (inUse(c, g.id)) {
    // HOST-GPADL-7: an open channel's ring; GPADL_TORNDOWN is deferred until it closes.
    return setGpadl(c, g.id, { state: "tearingdown" });
  }
  torndown(c, g.id);
};

/** Pages of a one-range, page-aligned GPADL, or undefined. */
const alignedPages = (c: Ctx, id: number): number | undefined => {
  const g = findGpadl(c.s, id);
  const r = g?.ranges;
  if (!r || r.length !== 1) return undefined;
  const r0 = r[0]!;
  return r0.byteOffset === 0 && r0.byteCount === r0.pfns.length * Limits.PAGE_SIZE ? r0.pfns.length : undefined;
};

const openChannel = (c: Ctx, o: MessageOf<"OpenChannel">): void => {
  const ch = findChannel(c.s, o.childRelid);
  if (!ch || ch.rescinded || ch.offerState !== "sent" || ch.state !== "init")
    return void reject(c, "HOST-OPEN-1", `OPENCHANNEL for ${!ch ? "unknown relid" : ch.rescinded ? "rescinded channel" : ch.offerState !== "sent" ? "unoffered channel" : "open channel"} ${o.childRelid}`);
  const fail = (rule: HostRuleId, why: string): void => {
    reject(c, rule, why);
    enqueue(c, { type: "OpenChannelResult", childRelid: o.childRelid, openId: o.openId, status: c.p.openFailureStatus });
  };
  const g = findGpadl(c.s, o.ringBufferGpadlHandle);
  if (!g || !gpadlComplete(g) || g.state !== "alive") return fail("HOST-OPEN-2", `ring GPADL ${o.ringBufferGpadlHandle} ${g ? `is ${g.state}` : "does not exist"}`);
  if (g.childRelid !== o.childRelid) return fail("HOST-OPEN-7", `ring GPADL ${g.id} belongs to relid ${g.childRelid}`);
  const pages = alignedPages(c, g.id);
  if (pages === undefined) return fail("HOST-OPEN-7", `ring GPADL ${g.id} is not one page-aligned range`);
  const m = c.p.minRingPages;
  const off = o.downstreamRingBufferPageOffset;
  if (off < m || pages - off < m) return fail("HOST-OPEN-3", `ring split at page ${off} of ${pages} leaves a ring under ${m} pages`);
  const honoursVp = c.s.version >= Version.WIN8;
  const vp = honoursVp ? o.targetVp : 0;
  if (vp !== NO_VP && !vpExists(c, vp)) return fail("HOST-OPEN-6", `target VP ${vp} does not exist`);
  const dev = c.s.devices[ch.device];
  if (dev?.openResult === "fail") return fail("HOST-OPEN-4", `device ${dev.name} failed to open`);
  getGpadl(c, g.id);
  setChannel(c, ch.relid, { isOpen: true, state: "open", openId: o.openId, ringGpadl: g.id, sendOffset: off, targetVp: vp });
  emit(c, { kind: "deviceNotify", relid: ch.relid, reason: "opened" });
  enqueue(c, { type: "OpenChannelResult", childRelid: o.childRelid, openId: o.openId, status: 0 });
};

const closeChannel = (c: Ctx, relid: number): void => {
  const ch = findChannel(c.s, relid);
  if (!ch || !ch.isOpen) return void reject(c, "HOST-CLOSE-3", `CLOSECHANNEL for ${ch ? "closed" : "unknown"} channel ${relid}`);
  closeChannelResources(c, relid);
  setChannel(c, relid, { state: "init", modifyPending: false });
  releaseDeferredTeardowns(c);
};

const relIdReleased = (c: Ctx, relid: number): void => {
  const ch = findChannel(c.s, relid);
  if (!ch || !ch.rescinded) return void reject(c, "HOST-RESCIND-2", `RELID_RELEASED for ${ch ? "unrescinded" : "unknown"} relid ${relid}`);
  c.s = { ...c.s, channels: c.s.channels.filter((x) => x.relid !== relid) };
};

const unload = (c: Ctx): void => {
  const vp = c.s.targetVp === NO_VP ? 0 : c.s.targetVp;
  busReset(c);
  enqueue(c, { type: "UnloadResponse" }, vp);
};

const modifyChannel = (c: Ctx, m: MessageOf<"ModifyChannel">): void => {
  const acked = c.s.version >= Version.WIN10_V5_3;
  const ch = findChannel(c.s, m.childRelid);
  if (acked && ch?.modifyPending) return void reject(c, "HOST-MODIFY-3", `MODIFYCHANNEL for relid ${m.childRelid} while another is unanswered`);
  const why = !ch || !ch.isOpen ? `channel ${m.childRelid} is not open` : m.targetVp === NO_VP ? "target VP 0xFFFFFFFF cannot disable interrupts" : !vpExists(c, m.targetVp) ? `target VP ${m.targetVp} does not exist` : undefined;
  if (why !== undefined) {
    reject(c, acked ? "HOST-MODIFY-2" : "HOST-MODIFY-1", why);
    if (acked) enqueue(c, { type: "ModifyChannelResponse", childRelid: m.childRelid, status: UNSUCCESSFUL });
    return;
  }
  setChannel(c, m.childRelid, { targetVp: m.targetVp, modifyPending: acked });
  if (acked) enqueue(c, { type: "ModifyChannelResponse", childRelid: m.childRelid, status: 0 });
};
