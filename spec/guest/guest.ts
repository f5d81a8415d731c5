/**
 * The Linux-like VMBus guest (client) as a pure reducer:
 *
 *   guestStep(config, state, input) -> { state', outputs }
 *
 * Driver actions start operations; each operation queues its posts in the outbox; the system
 * posts the head (`guestNextPost`) and hands back the hypercall status (`postResult`); host
 * messages are validated and matched to what the guest waits for.
 */
import { encodeMessage } from "../wire/codec.js";
import { HvStatus } from "../wire/constants.js";
import { bytesToHex } from "../wire/hex.js";
import type { Hex } from "../wire/primitives.js";
import { Version, formatVersion } from "../wire/versions.js";
import { candidateVersions, type GuestConfig } from "./config.js";
import { gpadlMessages, gpadlPfns } from "./gpadl-plan.js";
import type { DriverAction, GuestInput, GuestOutput, GuestWait } from "./io.js";
import { initiateContact, onConnection, openChannel } from "./messages.js";
import type { ChannelPhase, GuestChannel, GuestGpadl, GuestMessage, GuestState, Outgoing } from "./state.js";
import { acceptHostMessage } from "./validate.js";
import { guestWaits } from "./view.js";
import { Limits } from "../wire/constants.js";

/** range_buflen is a u16: 8 + 8·pages ≤ 65535. */
export const MAX_GPADL_PAGES = 8190;

export interface GuestStep {
  readonly state: GuestState;
  readonly outputs: readonly GuestOutput[];
}

export const initialGuestState = (config: GuestConfig): GuestState => {
  const candidates = candidateVersions(config);
  const first = candidates[0];
  return {
    phase: first === undefined ? "failed" : "connecting",
    candidate: 0,
    requestedVersion: first ?? 0,
    version: null,
    messageConnectionId: 1,
    allOffersDelivered: false,
    channels: [],
    gpadls: [],
    nextGpadl: Limits.LINUX_FIRST_GPADL_HANDLE,
    outbox: first === undefined ? [] : [initiateContact(config, first)],
    modifyPending: [],
  };
};

/** The posts the guest may make next: the head of each lane (only the oldest when lanes are serial). */
export const guestPostable = (config: GuestConfig, state: GuestState): readonly Outgoing[] => {
  if (!config.parallelLanes) return state.outbox.slice(0, 1);
  const seen = new Set<number>();
  const heads: Outgoing[] = [];
  for (const o of state.outbox) if (!seen.has(o.lane)) (seen.add(o.lane), heads.push(o));
  return heads;
};

/** The head of `lane`, if any. */
export const guestLaneHead = (state: GuestState, lane: number): Outgoing | undefined => state.outbox.find((o) => o.lane === lane);

/**
 * The bytes of each message object, once: messages are immutable, so an object's encoding never
 * changes, and the checker posts the same queued message object from many states. A WeakMap keeps
 * nothing alive and is invisible to callers: `outgoingBytes` stays a function of its argument.
 */
const BYTES_OF: WeakMap<GuestMessage, Hex> = new WeakMap();

/** The exact bytes of a post (what HvPostMessage carries as payload). */
export const outgoingBytes = (o: Outgoing): Hex => {
  let hex = BYTES_OF.get(o.message);
  if (hex === undefined) BYTES_OF.set(o.message, (hex = bytesToHex(encodeMessage(o.message))));
  return hex;
};

/** Two waits are the same wait: same reply awaited, for the same version, channel or GPADL. */
const sameWait = (a: GuestWait, b: GuestWait): boolean =>
  a.for === b.for && (a as { version?: number }).version === (b as { version?: number }).version && (a as { relid?: number }).relid === (b as { relid?: number }).relid && (a as { gpadl?: number }).gpadl === (b as { gpadl?: number }).gpadl;

export const guestStep = (config: GuestConfig, state: GuestState, input: GuestInput): GuestStep => {
  const outputs: GuestOutput[] = [];
  const before = guestWaits(state);
  // A switch, not ts-pattern: this dispatch runs for every guest step the checker explores.
  let next: GuestState;
  switch (input.kind) {
    case "driver":
      next = driverAction(config, state, input.action, outputs);
      break;
    case "postResult":
      next = postResult(config, state, input.lane, input.status, outputs);
      break;
    case "hostMessage":
      next = hostMessage(config, state, input.payloadSize, input.payload, outputs);
      break;
  }
  // Announce every wait that began with this step.
  for (const w of guestWaits(next)) if (!before.some((b) => sameWait(b, w))) outputs.push({ kind: "wait", wait: w });
  return { state: next, outputs };
};

// ---- small immutable helpers ------------------------------------------------------------

/**
 * Interface types Linux ignores in vmbus_onoffer (is_unsupported_vmbus_devs; GUEST-OFFER-5):
 * AVMA ×2 (Automatic Virtual Machine Activation), RDV (Remote Desktop Virtualization), IMC
 * (Initial Machine Configuration) — Linux include/linux/hyperv.h HV_AVMA1/AVMA2/RDV/IMC_GUID.
 */
export const LINUX_UNSUPPORTED_DEVICES: readonly string[] = [
  "f8e65716-3cb3-4a06-9a60-1889c5cccab5",
  "3375baf4-9e15-4b30-b765-67acb10d607b",
  "276aacf4-ac15-426c-98dd-7521ad3f01fe",
  "c376c1c3-d276-48d2-90a9-c04748072c60",
];

/** The primary of a sub-channel (same interface type and instance, sub_channel_index 0), if any. */
export const primaryOf = (s: GuestState, c: GuestChannel): GuestChannel | undefined =>
  c.subChannelIndex === 0 ? undefined : s.channels.find((x) => x.subChannelIndex === 0 && x.interfaceType === c.interfaceType && x.interfaceInstance === c.interfaceInstance);
const subChannelsOf = (s: GuestState, p: GuestChannel): readonly GuestChannel[] =>
  s.channels.filter((x) => x.subChannelIndex !== 0 && x.interfaceType === p.interfaceType && x.interfaceInstance === p.interfaceInstance);

/**
 * A primary's close, one sub-channel at a time (Linux drivers/hv/channel.c vmbus_disconnect_ring,
 * GUEST-CLOSE-2): CLOSECHANNEL, then GPADL_TEARDOWN and its GPADL_TORNDOWN (none for a rescinded
 * sub-channel, which is released: RELID_RELEASED); then the primary's own CLOSECHANNEL and teardown.
 * Everything is posted by the closing thread: the primary's lane.
 */
const closeNextSubChannel = (s: GuestState, primary: number): GuestState => {
  const p = channelOf(s, primary);
  if (!p || p.phase.name !== "closingSubChannels") return s;
  const [head, ...rest] = p.phase.pending;
  const phase = p.phase;
  const next = (st: GuestState): GuestState => closeNextSubChannel(setPhase(st, primary, { ...phase, pending: rest }), primary);
  if (head === undefined && phase.rescinded) {
    // A rescinded primary: CLOSECHANNEL, no teardown, then RELID_RELEASED (GUEST-RESCIND-2).
    const s1 = { ...s, gpadls: s.gpadls.filter((g) => g.relid !== primary), channels: s.channels.filter((x) => x.relid !== primary) };
    return enqueue(s1, post(s, { type: "CloseChannel", childRelid: primary }, primary), post(s, { type: "RelIdReleased", childRelid: primary }, primary));
  }
  if (head === undefined) {
    const ring = gpadlOf(s, p.phase.gpadl);
    const s1 = enqueue(setPhase(s, primary, { name: "closing", gpadl: p.phase.gpadl }), post(s, { type: "CloseChannel", childRelid: primary }, primary));
    return ring ? enqueue(setGpadl(s1, ring.handle, "tearingDown"), post(s1, { type: "GpadlTeardown", childRelid: ring.relid, gpadl: ring.handle }, primary)) : s1;
  }
  const sub = channelOf(s, head);
  if (!sub) return next(s);
  if (sub.phase.name === "rescindedOpen") {
    const s1 = enqueue({ ...s, channels: s.channels.filter((x) => x.relid !== head) },
      post(s, { type: "CloseChannel", childRelid: head }, primary), post(s, { type: "RelIdReleased", childRelid: head }, primary));
    return next(s1);
  }
  if (sub.phase.name !== "opened") return next(s);
  const ring = gpadlOf(s, sub.phase.gpadl);
  const s1 = enqueue(setPhase(s, head, { name: "closing", gpadl: sub.phase.gpadl }), post(s, { type: "CloseChannel", childRelid: head }, primary));
  if (!ring) return next(setPhase(s1, head, { name: "offered" }));
  // The head stays pending until its GPADL_TORNDOWN (subChannelClosed).
  return enqueue(setGpadl(s1, ring.handle, "tearingDown"), post(s1, { type: "GpadlTeardown", childRelid: ring.relid, gpadl: ring.handle }, primary));
};

/** A sub-channel finished closing (GPADL_TORNDOWN, or a failed post): its primary's close goes on. */
const subChannelClosed = (s: GuestState, relid: number): GuestState => {
  const c = channelOf(s, relid);
  const p = c ? primaryOf(s, c) : undefined;
  if (!p || p.phase.name !== "closingSubChannels" || p.phase.pending[0] !== relid) return s;
  return closeNextSubChannel(setPhase(s, p.relid, { ...p.phase, pending: p.phase.pending.slice(1) }), p.relid);
};

/** A MODIFYCHANNEL completed: the channel now targets the requested VP. */
const modifyDone = (s: GuestState, relid: number): GuestState => {
  const p = s.modifyPending.find((x) => x.relid === relid);
  if (!p) return s;
  return {
    ...s,
    modifyPending: s.modifyPending.filter((x) => x.relid !== relid),
    channels: s.channels.map((c) => (c.relid === relid ? { ...c, targetVp: p.targetVp } : c)),
  };
};

const enqueue = (s: GuestState, ...items: Outgoing[]): GuestState => ({ ...s, outbox: [...s.outbox, ...items] });
/** A post on the negotiated connection, in its channel's lane. */
const post = (s: GuestState, message: GuestMessage, lane: number): Outgoing => onConnection(s.messageConnectionId, message, lane);
const channelOf = (s: GuestState, relid: number): GuestChannel | undefined => s.channels.find((c) => c.relid === relid);
const gpadlOf = (s: GuestState, handle: number): GuestGpadl | undefined => s.gpadls.find((g) => g.handle === handle);
const setPhase = (s: GuestState, relid: number, phase: ChannelPhase): GuestState => ({
  ...s,
  channels: s.channels.map((c) => (c.relid === relid ? { ...c, phase } : c)),
});
const setGpadl = (s: GuestState, handle: number, state: GuestGpadl["state"]): GuestState => ({
  ...s,
  gpadls: s.gpadls.map((g) => (g.handle === handle ? { ...g, state } : g)),
});
const dropGpadl = (s: GuestState, handle: number): GuestState => ({ ...s, gpadls: s.gpadls.filter((g) => g.handle !== handle) });
/** Remove queued (unposted) posts matching `pred`. */
const unqueue = (s: GuestState, pred: (m: GuestMessage) => boolean): GuestState => ({
  ...s,
  outbox: s.outbox.filter((o) => !pred(o.message)),
});
const isGpadlCarrier = (m: GuestMessage, handle: number): boolean =>
  (m.type === "GpadlHeader" || m.type === "GpadlBody") && m.gpadl === handle;

/** Nothing open, nothing waited for (after UNLOAD_RESPONSE, or when no UNLOAD is needed). */
const unloaded = (s: GuestState): GuestState => ({ ...s, phase: "unloaded", channels: [], gpadls: [], outbox: [], modifyPending: [] });

/** Start establishing a GPADL (GUEST-GPADL-1, GUEST-GPADL-2). */
const establishGpadl = (s: GuestState, relid: number, purpose: GuestGpadl["purpose"], pages: number): [GuestState, number] => {
  const handle = s.nextGpadl;
  const msgs = gpadlMessages(relid, handle, gpadlPfns(handle, pages));
  const gpadl: GuestGpadl = { handle, relid, purpose, pages, state: "creating" };
  const withGpadl: GuestState = {
    ...s,
    nextGpadl: (handle + 1) >>> 0,
    gpadls: [...s.gpadls, gpadl].sort((a, b) => a.handle - b.handle),
  };
  return [enqueue(withGpadl, ...msgs.map((m) => post(s, m, relid))), handle];
};

const startTeardown = (s: GuestState, g: GuestGpadl): GuestState =>
  enqueue(setGpadl(s, g.handle, "tearingDown"), post(s, { type: "GpadlTeardown", childRelid: g.relid, gpadl: g.handle }, g.relid));

/** Next candidate version, or give up (GUEST-VERSION-1/2/5). */
const tryNextVersion = (config: GuestConfig, s: GuestState, outputs: GuestOutput[]): GuestState => {
  const candidates = candidateVersions(config);
  const next = s.candidate + 1;
  const v = candidates[next];
  if (v === undefined) {
    outputs.push({ kind: "failed", rule: "GUEST-VERSION-5", reason: "Unable to connect to host: every version refused" });
    return { ...s, phase: "failed", candidate: next };
  }
  return enqueue({ ...s, candidate: next, requestedVersion: v }, initiateContact(config, v));
};

// ---- driver actions -----------------------------------------------------------------------

const refuse = (s: GuestState, outputs: GuestOutput[], reason: string): GuestState => {
  outputs.push({ kind: "refused", rule: "GUEST-DRIVER-1", reason });
  return s;
};

const driverAction = (config: GuestConfig, s: GuestState, a: DriverAction, outputs: GuestOutput[]): GuestState => {
  if (s.phase !== "connected") return refuse(s, outputs, `${a.kind}: not connected (${s.phase})`);
  switch (a.kind) {
    case "openChannel": {
      const c = channelOf(s, a.relid);
      if (!c || c.phase.name !== "offered") return refuse(s, outputs, `openChannel ${a.relid}: channel not ready to open`);
      if (a.sendPages < 1 || a.recvPages < 1 || a.sendPages + a.recvPages > MAX_GPADL_PAGES)
        return refuse(s, outputs, `openChannel ${a.relid}: ring sizes must be 1..${MAX_GPADL_PAGES} pages in all`);
      const [s1, handle] = establishGpadl(s, a.relid, "ring", a.sendPages + a.recvPages);
      return setPhase(s1, a.relid, { name: "creatingRing", gpadl: handle, sendPages: a.sendPages });
    }
    case "closeChannel": {
      const c = channelOf(s, a.relid);
      if (!c || c.phase.name !== "opened") return refuse(s, outputs, `closeChannel ${a.relid}: channel not opened (-EINVAL)`);
      // GUEST-CLOSE-2: vmbus_disconnect_ring does nothing for a sub-channel; its primary's close closes it.
      if (primaryOf(s, c)) {
        outputs.push({ kind: "refused", rule: "GUEST-CLOSE-2", reason: `closeChannel ${a.relid}: a sub-channel is closed only with its primary` });
        return s;
      }
      const subs = subChannelsOf(s, c).filter((x) => x.phase.name === "opened" || x.phase.name === "rescindedOpen").map((x) => x.relid);
      if (subs.length > 0) return closeNextSubChannel(setPhase(s, a.relid, { name: "closingSubChannels", gpadl: c.phase.gpadl, pending: subs }), a.relid);
      const ring = gpadlOf(s, c.phase.gpadl);
      const s1 = enqueue(setPhase(s, a.relid, { name: "closing", gpadl: c.phase.gpadl }), post(s, { type: "CloseChannel", childRelid: a.relid }, a.relid));
      return ring ? startTeardown(s1, ring) : s1;
    }
    case "createGpadl": {
      const c = channelOf(s, a.relid);
      if (!c || c.phase.name !== "opened") return refuse(s, outputs, `createGpadl ${a.relid}: channel not opened`);
      if (a.pages < 1 || a.pages > MAX_GPADL_PAGES) return refuse(s, outputs, `createGpadl ${a.relid}: 1..${MAX_GPADL_PAGES} pages`);
      return establishGpadl(s, a.relid, "buffer", a.pages)[0];
    }
    case "teardownGpadl": {
      const g = gpadlOf(s, a.gpadl);
      if (!g || g.purpose !== "buffer" || g.state !== "created") return refuse(s, outputs, `teardownGpadl ${a.gpadl}: no such created buffer GPADL`);
      return startTeardown(s, g);
    }
    case "modifyChannel": {
      const c = channelOf(s, a.relid);
      if (s.version === null || s.version < Version.WIN10_V4_1) {
        outputs.push({ kind: "failed", rule: "GUEST-MODIFY-1", reason: `modifyChannel: version ${formatVersion(s.version ?? 0)} < 4.1 (-EIO)` });
        return s;
      }
      if (!c || c.phase.name !== "opened") return refuse(s, outputs, `modifyChannel ${a.relid}: channel not opened`);
      if (s.modifyPending.some((x) => x.relid === a.relid)) return refuse(s, outputs, `modifyChannel ${a.relid}: a MODIFYCHANNEL for the channel is outstanding`);
      // GUEST-MODIFY-3: target_cpu_store returns before posting when the target is unchanged.
      if (c.targetVp === a.targetVp) {
        outputs.push({ kind: "event", what: `modifyChannel ${a.relid}: target VP ${a.targetVp} unchanged, nothing posted (GUEST-MODIFY-3)` });
        return s;
      }
      const s1 = enqueue(s, post(s, { type: "ModifyChannel", childRelid: a.relid, targetVp: a.targetVp }, a.relid));
      return { ...s1, modifyPending: [...s1.modifyPending, { relid: a.relid, targetVp: a.targetVp }].sort((x, y) => x.relid - y.relid) };
    }
    case "unload": {
      if (s.version === null || s.version < Version.WIN8_1) {
        outputs.push({ kind: "event", what: "unload: version < 3.0, no UNLOAD sent (GUEST-UNLOAD-1)" });
        return unloaded(s);
      }
      return enqueue({ ...s, phase: "disconnecting" }, post(s, { type: "Unload" }, 0));
    }
  }
};

// ---- post results -------------------------------------------------------------------------

const RETRYABLE: ReadonlySet<number> = new Set([HvStatus.INSUFFICIENT_MEMORY, HvStatus.INSUFFICIENT_BUFFERS, HvStatus.INVALID_CONNECTION_ID]);

const postResult = (config: GuestConfig, s: GuestState, lane: number, status: number, outputs: GuestOutput[]): GuestState => {
  const at = s.outbox.findIndex((o) => o.lane === lane);
  const head = s.outbox[at];
  if (!head) return s;
  outputs.push({ kind: "posted", connectionId: head.connectionId, message: head.message, bytes: outgoingBytes(head), status });
  const rest: GuestState = { ...s, outbox: s.outbox.filter((_, i) => i !== at) };
  if (status === HvStatus.SUCCESS) {
    const m = head.message;
    // Below 5.3 there is no MODIFYCHANNEL_RESPONSE: the retarget is done once posted.
    return m.type === "ModifyChannel" && (s.version ?? 0) < Version.WIN10_V5_3 ? modifyDone(rest, m.childRelid) : rest;
  }
  // Linux vmbus_post_msg: only INITIATE_CONTACT failing with INVALID_CONNECTION_ID returns at
  // once (the next version is tried); every other retryable status is retried (GUEST-POST-1).
  const immediate = head.message.type === "InitiateContact" && status === HvStatus.INVALID_CONNECTION_ID;
  if (!immediate && RETRYABLE.has(status) && head.attempts < config.postRetries) {
    return { ...s, outbox: s.outbox.map((o, i) => (i === at ? { ...head, attempts: head.attempts + 1 } : o)) };
  }
  const reason = `post of ${head.message.type} failed with status ${status}`;
  return postFailed(config, rest, head.message, reason, outputs);
};

/** What failing to post `m` does to the operation that posted it (Linux drivers/hv/connection.c, Linux drivers/hv/channel.c error paths). */
const postFailed = (config: GuestConfig, s: GuestState, m: GuestMessage, reason: string, outputs: GuestOutput[]): GuestState => {
  const fail = (rule: string) => outputs.push({ kind: "failed", rule, reason });
  switch (m.type) {
    case "InitiateContact": {
      fail("GUEST-VERSION-2");
      return s.phase === "connecting" ? tryNextVersion(config, s, outputs) : s;
    }
    case "GpadlHeader":
    case "GpadlBody": {
      fail("GUEST-GPADL-2");
      const g = gpadlOf(s, m.gpadl);
      const s1 = dropGpadl(unqueue(s, (x) => isGpadlCarrier(x, m.gpadl)), m.gpadl);
      return g?.purpose === "ring" ? setPhase(s1, g.relid, { name: "offered" }) : s1;
    }
    case "OpenChannel": {
      fail("GUEST-OPEN-1");
      const c = channelOf(s, m.childRelid);
      const g = gpadlOf(s, m.ringBufferGpadlHandle);
      if (!c || !g) return s;
      return startTeardown(setPhase(s, c.relid, { name: "closing", gpadl: g.handle }), g);
    }
    case "CloseChannel": {
      // "If we failed to post the close msg, it is perhaps better to leak memory" (Linux drivers/hv/channel.c).
      fail("GUEST-CLOSE-1");
      const c = channelOf(s, m.childRelid);
      if (!c || c.phase.name !== "closing") return s;
      const ring = c.phase.gpadl;
      return subChannelClosed(setPhase(dropGpadl(unqueue(s, (x) => x.type === "GpadlTeardown" && x.gpadl === ring), ring), c.relid, { name: "offered" }), c.relid);
    }
    case "GpadlTeardown": {
      fail("GUEST-GPADL-4");
      const g = gpadlOf(s, m.gpadl);
      const s1 = dropGpadl(s, m.gpadl);
      const c = g ? channelOf(s, g.relid) : undefined;
      return c && c.phase.name === "closing" && c.phase.gpadl === m.gpadl ? subChannelClosed(setPhase(s1, c.relid, { name: "offered" }), c.relid) : s1;
    }
    case "ModifyChannel": {
      fail("GUEST-MODIFY-1");
      return { ...s, modifyPending: s.modifyPending.filter((x) => x.relid !== m.childRelid) };
    }
    case "Unload": {
      // GUEST-UNLOAD-2: vmbus_initiate_unload ignores the post's result and waits anyway.
      fail("GUEST-UNLOAD-2");
      return s;
    }
    case "RequestOffers":
    case "RelIdReleased": {
      fail("GUEST-POST-1");
      return s;
    }
  } // every GuestMessage type: the guest posts no other
};

// ---- host messages ------------------------------------------------------------------------

const ignore = (s: GuestState, outputs: GuestOutput[], rule: string, reason: string): GuestState => {
  outputs.push({ kind: "ignored", rule, reason });
  return s;
};

const hostMessage = (config: GuestConfig, s: GuestState, payloadSize: number, payload: string, outputs: GuestOutput[]): GuestState => {
  const accepted = acceptHostMessage(payloadSize, payload, s.version ?? (s.requestedVersion || null));
  if (!accepted.ok) {
    outputs.push({ kind: "dropped", rule: accepted.error.rule, reason: accepted.error.reason });
    return s;
  }
  const waits = guestWaits(s);
  const m = accepted.value;
  switch (m.type) {
    case "VersionResponse": {
      const w = waits.find((w) => w.for === "VersionResponse");
      if (!w || w.for !== "VersionResponse") return ignore(s, outputs, "GUEST-MATCH-1", "VERSION_RESPONSE without a pending INITIATE_CONTACT");
      if (m.versionSupported === 0) {
        outputs.push({ kind: "event", what: `version ${formatVersion(w.version)} refused` });
        return tryNextVersion(config, s, outputs);
      }
      const connId = w.version >= Version.WIN10_V5 ? m.msgConnId : 1;
      outputs.push({ kind: "event", what: `connected at ${formatVersion(w.version)}, message connection id ${connId}` });
      const connected: GuestState = { ...s, phase: "connected", version: w.version, messageConnectionId: connId };
      return enqueue(connected, onConnection(connId, { type: "RequestOffers" }));
    }
    case "OfferChannel": {
      if (s.phase !== "connected") return ignore(s, outputs, "GUEST-OFFER-4", `offer ${m.childRelid} while ${s.phase}`);
      if (m.childRelid >= Limits.LINUX_MAX_CHANNEL_RELIDS) return ignore(s, outputs, "GUEST-OFFER-1", `offer relid ${m.childRelid} ≥ 2048 not mapped`);
      if (LINUX_UNSUPPORTED_DEVICES.includes(m.interfaceType.toLowerCase()))
        return ignore(s, outputs, "GUEST-OFFER-5", `offer ${m.childRelid} of unsupported device ${m.interfaceType} ignored`);
      if (channelOf(s, m.childRelid)) return ignore(s, outputs, "GUEST-OFFER-3", `offer for relid ${m.childRelid} already in use`);
      const sibling = s.channels.some((c) => c.interfaceType === m.interfaceType && c.interfaceInstance === m.interfaceInstance);
      if (sibling && m.subChannelIndex === 0) return ignore(s, outputs, "GUEST-OFFER-2", `sub-channel offer ${m.childRelid} with sub_channel_index 0`);
      const c: GuestChannel = {
        relid: m.childRelid,
        interfaceType: m.interfaceType,
        interfaceInstance: m.interfaceInstance,
        subChannelIndex: m.subChannelIndex,
        signalConnectionId: m.form === "win7" ? m.connectionId : 0,
        targetVp: config.connectVp,
        phase: { name: "offered" },
      };
      outputs.push({ kind: "event", what: `channel ${m.childRelid} offered` });
      return { ...s, channels: [...s.channels, c].sort((a, b) => a.relid - b.relid) };
    }
    case "AllOffersDelivered": return (s.phase === "connected" ? { ...s, allOffersDelivered: true } : s);
    case "RescindChannelOffer": return rescind(s, m.childRelid, outputs);
    case "GpadlCreated": {
      const g = gpadlOf(s, m.gpadl);
      if (!g || g.relid !== m.childRelid || g.state !== "creating")
        return ignore(s, outputs, "GUEST-MATCH-1", `GPADL_CREATED (${m.childRelid}, ${m.gpadl}) matches no pending GPADL`);
      if (m.creationStatus !== 0) {
        outputs.push({ kind: "failed", rule: "GUEST-GPADL-3", reason: `GPADL ${m.gpadl} creation_status ${m.creationStatus} (-EDQUOT)` });
        const s1 = dropGpadl(s, g.handle);
        return g.purpose === "ring" ? setPhase(s1, g.relid, { name: "offered" }) : s1;
      }
      const s1 = setGpadl(s, g.handle, "created");
      const c = channelOf(s, g.relid);
      if (g.purpose !== "ring" || !c || c.phase.name !== "creatingRing" || c.phase.gpadl !== g.handle) return s1;
      return enqueue(setPhase(s1, c.relid, { name: "opening", gpadl: g.handle, sendPages: c.phase.sendPages }), post(s, openChannel(config, c.relid, g.handle, c.phase.sendPages), c.relid));
    }
    case "OpenChannelResult": {
      const c = channelOf(s, m.childRelid);
      if (!c || c.phase.name !== "opening" || m.openId !== c.relid)
        return ignore(s, outputs, "GUEST-MATCH-1", `OPENCHANNEL_RESULT (${m.childRelid}, ${m.openId}) matches no pending open`);
      if (m.status === 0) {
        outputs.push({ kind: "event", what: `channel ${c.relid} opened` });
        return setPhase(s, c.relid, { name: "opened", gpadl: c.phase.gpadl });
      }
      outputs.push({ kind: "failed", rule: "GUEST-OPEN-2", reason: `open of channel ${c.relid} failed with status ${m.status} (-EAGAIN)` });
      const g = gpadlOf(s, c.phase.gpadl);
      const s1 = setPhase(s, c.relid, { name: "closing", gpadl: c.phase.gpadl });
      return g ? startTeardown(s1, g) : setPhase(s, c.relid, { name: "offered" });
    }
    case "GpadlTorndown": {
      const g = gpadlOf(s, m.gpadl);
      if (!g || g.state !== "tearingDown") return ignore(s, outputs, "GUEST-MATCH-1", `GPADL_TORNDOWN ${m.gpadl} matches no pending teardown`);
      const s1 = dropGpadl(s, g.handle);
      const c = channelOf(s, g.relid);
      if (c && c.phase.name === "closing" && c.phase.gpadl === g.handle) {
        outputs.push({ kind: "event", what: `channel ${c.relid} closed` });
        return subChannelClosed(setPhase(s1, c.relid, { name: "offered" }), c.relid);
      }
      return s1;
    }
    case "ModifyChannelResponse": {
      if (!guestWaits(s).some((w) => w.for === "ModifyChannelResponse" && w.relid === m.childRelid))
        return ignore(s, outputs, "GUEST-MATCH-1", `MODIFYCHANNEL_RESPONSE ${m.childRelid} matches no pending MODIFYCHANNEL`);
      if (m.status !== 0) {
        outputs.push({ kind: "failed", rule: "GUEST-MODIFY-2", reason: `MODIFYCHANNEL of channel ${m.childRelid} failed with status 0x${(m.status >>> 0).toString(16)} (-EIO)` });
        return { ...s, modifyPending: s.modifyPending.filter((x) => x.relid !== m.childRelid) };
      }
      return modifyDone(s, m.childRelid);
    }
    case "UnloadResponse": {
      if (s.phase !== "disconnecting") return ignore(s, outputs, "GUEST-MATCH-1", "UNLOAD_RESPONSE without UNLOAD (accepted, nothing to do)");
      outputs.push({ kind: "event", what: "unloaded" });
      return unloaded(s);
    }
  }
};

/** RESCIND_CHANNELOFFER (GUEST-RESCIND-1/2). */
const rescind = (s: GuestState, relid: number, outputs: GuestOutput[]): GuestState => {
  if (s.phase !== "connected") return ignore(s, outputs, "GUEST-OFFER-4", `rescind ${relid} while ${s.phase}`);
  const c = channelOf(s, relid);
  if (!c) return ignore(s, outputs, "GUEST-RESCIND-1", `rescind for unknown relid ${relid}`);
  const ours = new Set(s.gpadls.filter((g) => g.relid === relid).map((g) => g.handle));
  // Waiters wake; unposted work for the channel is abandoned (a rescinded channel posts no
  // GPADL_TEARDOWN, Linux drivers/hv/channel.c vmbus_teardown_gpadl), except a CLOSECHANNEL already decided on.
  let s1 = unqueue(s, (m) =>
    (m.type === "GpadlHeader" && m.childRelid === relid) ||
    (m.type === "GpadlBody" && ours.has(m.gpadl)) ||
    (m.type === "GpadlTeardown" && m.childRelid === relid) ||
    (m.type === "OpenChannel" && m.childRelid === relid) ||
    (m.type === "ModifyChannel" && m.childRelid === relid),
  );
  const primary = primaryOf(s, c);
  if (primary && c.phase.name === "opened") {
    // GUEST-RESCIND-3: an open sub-channel is closed and released only when its primary closes
    // (vmbus_onoffer_rescind completes rescind_event; vmbus_disconnect_ring does the rest).
    outputs.push({ kind: "event", what: `sub-channel ${relid} rescinded while open: released when channel ${primary.relid} closes` });
    return setPhase({ ...s1, gpadls: s1.gpadls.filter((g) => g.relid !== relid), modifyPending: s1.modifyPending.filter((x) => x.relid !== relid) }, relid, { name: "rescindedOpen", gpadl: c.phase.gpadl });
  }
  if (primary && c.phase.name === "closing" && primary.phase.name === "closingSubChannels" && primary.phase.pending[0] === relid) {
    // Rescinded while its primary's close waits for its GPADL_TORNDOWN: the wait ends, the
    // sub-channel is released, and the primary's close goes on.
    outputs.push({ kind: "event", what: `channel ${relid} rescinded` });
    const s2 = enqueue({ ...s1, gpadls: s1.gpadls.filter((g) => g.relid !== relid), channels: s1.channels.filter((x) => x.relid !== relid) },
      post(s1, { type: "RelIdReleased", childRelid: relid }, primary.relid));
    return closeNextSubChannel(setPhase(s2, primary.relid, { ...primary.phase, pending: primary.phase.pending.slice(1) }), primary.relid);
  }
  if (c.phase.name === "closingSubChannels") {
    // Rescinded while its close works through its sub-channels: it ends without a teardown.
    outputs.push({ kind: "event", what: `channel ${relid} rescinded while closing its sub-channels` });
    return setPhase({ ...s1, gpadls: s1.gpadls.filter((g) => g.relid !== relid) }, relid, { ...c.phase, rescinded: true });
  }
  // A primary with open sub-channels: the driver's remove() → vmbus_close closes them first (GUEST-CLOSE-2).
  const openSubs = primary ? [] : subChannelsOf(s, c).filter((x) => x.phase.name === "opened" || x.phase.name === "rescindedOpen").map((x) => x.relid);
  if (c.phase.name === "opened" && openSubs.length > 0) {
    outputs.push({ kind: "event", what: `channel ${relid} rescinded: its sub-channels are closed first` });
    const s2 = { ...s1, gpadls: s1.gpadls.filter((g) => g.relid !== relid), modifyPending: s1.modifyPending.filter((x) => x.relid !== relid) };
    return closeNextSubChannel(setPhase(s2, relid, { name: "closingSubChannels", gpadl: c.phase.gpadl, pending: openSubs, rescinded: true }), relid);
  }
  // The driver's remove() closes an opened channel (vmbus_close posts CLOSECHANNEL).
  if (c.phase.name === "opened") s1 = enqueue(s1, post(s1, { type: "CloseChannel", childRelid: relid }, relid));
  s1 = {
    ...s1,
    gpadls: s1.gpadls.filter((g) => g.relid !== relid),
    channels: s1.channels.filter((x) => x.relid !== relid),
    modifyPending: s1.modifyPending.filter((x) => x.relid !== relid),
  };
  outputs.push({ kind: "event", what: `channel ${relid} rescinded` });
  return enqueue(s1, post(s1, { type: "RelIdReleased", childRelid: relid }, relid));
};
