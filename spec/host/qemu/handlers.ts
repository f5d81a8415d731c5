/** QEMU's incoming-message handlers (QEMU hw/hyperv/vmbus.c process_message and handle_*). */
import { Version } from "../../wire/versions.js";
import * as L from "../../wire/layouts/index.js";
import { MessageType } from "../../wire/messages.js";
import {
  busReset, closeChannelResources, type Ctx, deinit, defect, emit, findChannel, findGpadl, getGpadl, gpadlComplete,
  NO_VP, putGpadl, qtrace, reject, resetDevice, setChannel, setGpadl, vpExists,
} from "../common.js";
import { fieldAt, offsetOf, payloadArea, u32At, u64At, u64FieldAt } from "../raw.js";
import { qemuInitialized } from "./replies.js";

// ---- incoming handlers ----------------------------------------------------------

export const tooShort = (c: Ctx, name: string, len: number, need: number): boolean => {
  if (len >= need) return false;
  reject(c, "HOST-MSG-1", `${name}: payload_size ${len} < ${need}`);
  return true;
};
export const notInitialized = (c: Ctx, name: string): boolean => {
  if (qemuInitialized(c)) return false;
  reject(c, "HOST-MSG-2", `${name} while no version is negotiated (version 0x${c.s.version.toString(16)})`);
  return true;
};

export const handleInitiateContact = (c: Ctx, b: Uint8Array, len: number): void => {
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

export const handleRequestOffers = (c: Ctx): void => {
  if (notInitialized(c, "REQUESTOFFERS")) return;
  const first = c.s.channels.find((x) => x.offerState === "init");
  if (first) setChannel(c, first.relid, { offerState: "sending" });
  c.s = { ...c.s, bus: "offer", allOffersSent: false };
};

export const handleGpadlHeader = (c: Ctx, b: Uint8Array, len: number): void => {
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
  if (buflen < 8 * rangeCount) {
    if (c.p.hugeGpadlAllocation !== "succeeds")
      return void defect(c, "HOST-QEMU-DEFECT-3", `GPADL ${id}: range_buflen ${buflen} < 8 underflows num_gfns to ${numGfns}; g_new of a ${numGfns}-entry PFN array (32 GiB) fails and QEMU aborts`);
    defect(c, "HOST-QEMU-DEFECT-3", `GPADL ${id}: range_buflen ${buflen} < 8 underflows num_gfns to ${numGfns}; QEMU allocates a 32 GiB PFN array and lists a GPADL that never completes`);
  }
  const pfnBase = r0 + L.GpadlRange.size;
  const available = Math.max(0, Math.floor((len - pfnBase) / 8));
  const take = Math.min(numGfns, available);
  const data: string[] = [];
  for (let i = 0; i < take; i++) data.push(String(u64At(b, pfnBase + 8 * i)));
  const childRelid = fieldAt(b, L.GpadlHeader, "childRelid");
  c.s = { ...c.s, gpadls: [{ id, childRelid, expected: numGfns, data, rangeCount, state: "init", refcount: 1, header: null, bodies: [] }, ...c.s.gpadls] };
  if (take >= numGfns) c.s = { ...c.s, bus: "createGpadl" };
};

export const handleGpadlBody = (c: Ctx, b: Uint8Array, len: number): void => {
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

export const handleGpadlTeardown = (c: Ctx, b: Uint8Array, len: number): void => {
  if (tooShort(c, "GPADL_TEARDOWN", len, L.GpadlTeardown.size) || notInitialized(c, "GPADL_TEARDOWN")) return;
  const id = fieldAt(b, L.GpadlTeardown, "gpadl");
  qtrace(c, "vmbus_gpadl_teardown", id);
  const g = findGpadl(c.s, id);
  if (!g || g.state === "torndown") return void reject(c, "HOST-GPADL-12", `GPADL_TEARDOWN for ${g ? "torn-down" : "unknown"} GPADL ${id}`);
  setGpadl(c, id, { state: "tearingdown" });
  c.s = { ...c.s, bus: "teardownGpadl" };
};

/** open_channel: sets isOpen on success, explains the failure otherwise. */
export const openChannel = (c: Ctx, relid: number): void => {
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
  // make_sint_route reuses the bus's route or another open channel's on the same VP, and only a
  // new route can fail. Every existing route's VP exists (a route to a missing VP crashed QEMU
  // when it was made: HOST-QEMU-DEFECT-2, -4), so the outcome is decided by the VP alone.
  if (!vpExists(c, ch.targetVp)) {
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

export const handleOpenChannel = (c: Ctx, b: Uint8Array, len: number): void => {
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

export const handleCloseChannel = (c: Ctx, b: Uint8Array, len: number): void => {
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

export const processMessage = (c: Ctx): void => {
  const head = c.s.rxQueue[0];
  if (!head) return;
  c.s = { ...c.s, rxQueue: c.s.rxQueue.slice(1) };
  const area = payloadArea(head.payload);
  const b = area.ok ? area.value : new Uint8Array(240);
  // No payload_size < 8 check here: the hypercall already refused it (HOST-HC-4,
  // QEMU hw/hyperv/vmbus.c vmbus_recv_message), and nothing else fills rxQueue.
  const len = head.payloadSize;
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
