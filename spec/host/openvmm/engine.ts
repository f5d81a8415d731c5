/**
 * The `openvmm` host: OpenVMM vm/devices/vmbus/vmbus_server (channels.rs, lib.rs) at microsoft/openvmm
 * 1488a37b on the KVM backend, as a sans-IO reducer. `run` flushes PendingMessages when it can,
 * else handles one incoming SynIC message (lib.rs:1266-1285); every reply goes at once to the
 * backend's unbounded SynIC queue (HOST-OPENVMM-SEND-1). A guest-reachable panic is a
 * HOST-OPENVMM-DEFECT-n output, after which the server processes nothing (HOST-OPENVMM-CRASHED-1).
 */
import { match } from "ts-pattern";
import { HvStatus, Limits } from "../../wire/constants.js";
import { bytesToHex } from "../../wire/hex.js";
import { decodeMessage } from "../../wire/codec.js";
import { type Ctx, defect, emit, reject } from "../common.js";
import type { HostConfig } from "../config.js";
import type { HostInput } from "../interface.js";
import type { HostProfileParameters } from "../profiles.js";
import { payloadArea, u32At, u64At } from "../raw.js";
import type { ChannelState, GpadlState, HostState } from "../state.js";
import { handleCloseChannel, handleCloseReserved, handleModifyChannel, handleOpenChannel, handleOpenReserved, handleRelIdReleased } from "./channel.js";
import { disconnect, handleInitiateContact, handleRequestOffers, handleUnload, offerChannel } from "./connection.js";
import { handleGpadlBody, handleGpadlHeader, handleGpadlTeardown } from "./gpadl.js";
import { postMessageHypercall, signalEventHypercall } from "../hypercall.js";
import { kvmPostMessage, kvmSignalEvent } from "./hypercall.js";
import { CLIENT_MESSAGES, parseMessage } from "./parse.js";
import { flushPending, ov, send, setOv } from "./send.js";
import type { OvmmChannel, OvmmState } from "./state.js";

export const openvmmInitial = (config: HostConfig, base: HostState): HostState => {
  const channels: OvmmChannel[] = [];
  config.devices.forEach((d, device) => {
    const n = 1 + Math.max(0, Math.floor(Number.isFinite(d.subChannels) ? d.subChannels : 0));
    for (let i = 0; i < n && channels.length < 2047; i++)
      channels.push({ offerId: channels.length, device, subChannelIndex: i, state: "ClientReleased", channelId: 0, params: null, reserved: null });
  });
  const openvmm: OvmmState = { connection: null, channels, nextOfferId: channels.length, gpadls: [], incomplete: [], pending: [], synic: [], crashed: null };
  return project({ ...base, model: "synicQueue", devices: [...config.devices], channels: [], targetVp: 0, openvmm }, openvmm);
};

/** The shared HostState fields as a view of the OpenVMM state (hostView, invariants, CLI). */
export const project = (s: HostState, o: OvmmState): HostState => {
  // Open parameters exist exactly on an Open channel (state.ts).
  const open = (ch: OvmmChannel): boolean => ch.params !== null;
  const channels: ChannelState[] = o.channels
    .filter((ch) => ch.channelId !== 0)
    .map((ch) => ({
      relid: ch.channelId, device: ch.device, subChannelIndex: ch.subChannelIndex,
      offerState: "sent", state: open(ch) ? "open" : "init", isOpen: open(ch), openId: ch.params?.openId ?? 0,
      targetVp: ch.params?.targetVp ?? 0xffffffff, ringGpadl: ch.params?.ringGpadl ?? 0, sendOffset: ch.params?.downstreamOffset ?? 0,
      rescinded: ch.state === "Revoked", modifyPending: false, // a modify completes within the step (state.ts)
    }));
  const relidOf = (offerId: number): number => o.channels.find((x) => x.offerId === offerId)?.channelId ?? 0;
  const gpadls: GpadlState[] = o.gpadls.map((g) => {
    // refcount as HOST-INV-4 counts it (one per open channel whose ring has this id).
    const users = channels.filter((ch) => ch.isOpen && ch.ringGpadl === g.id).length;
    return {
      id: g.id, childRelid: relidOf(g.offerId), expected: g.capacity, data: g.buf, rangeCount: g.count,
      state: g.state === "InProgress" ? "init" : g.state === "TearingDown" ? "tearingdown" : "alive", refcount: 1 + users, header: null, bodies: [],
    };
  });
  const conn = o.connection;
  return {
    ...s, channels, gpadls, connected: conn !== null, version: conn?.version ?? 0, features: conn?.featureFlags ?? 0,
    paused: conn?.paused ?? false, offersRequested: conn?.offersSent ?? false, allOffersSent: conn?.offersSent ?? false,
    inFlight: o.synic[0] ?? null, outQueue: o.pending, interruptPage: conn?.interruptPage ?? "0", msgConnId: conn && conn.version >= 0x50000 ? 1 : 0,
  };
};

export const openvmmRunnable = (s: HostState): boolean => {
  const o = s.openvmm;
  if (!o || o.crashed) return false;
  return (o.pending.length > 0 && !(o.connection?.paused ?? false)) || s.rxQueue.length > 0;
};

/** handle_synic_message (channels.rs:3650). */
const processOne = (c: Ctx): void => {
  const head = c.s.rxQueue[0];
  if (!head) return;
  c.s = { ...c.s, rxQueue: c.s.rxQueue.slice(1) };
  const area = payloadArea(head.payload);
  const b = (area.ok ? area.value : new Uint8Array(Limits.MESSAGE_PAYLOAD)).subarray(0, head.payloadSize);
  const conn = ov(c).connection;
  const m = parseMessage(b, conn ? { version: conn.version, features: conn.featureFlags } : null);
  if (!m.ok) {
    // Features are negotiated only from 6.0 (connection.ts), so a feature here implies 6.0.
    const openChannel2 = m.type === 5 && ((conn?.featureFlags ?? 0) & 0x03) !== 0;
    return void reject(c, m.error === "InvalidMessageType" ? "HOST-OPENVMM-PARSE-1" : openChannel2 ? "HOST-OPENVMM-PARSE-3" : "HOST-OPENVMM-PARSE-2", `${m.error}(${m.type})`);
  }
  if (conn?.paused) {
    if (!["Resume", "Unload", "InitiateContact", "InitiateContact2"].includes(m.name)) return void reject(c, "HOST-OPENVMM-PAUSE-1", `${m.name} while paused (ChannelError::Paused)`);
    setOv(c, { connection: { ...conn, paused: false } });
  }
  if (CLIENT_MESSAGES.has(m.name)) {
    defect(c, "HOST-OPENVMM-DEFECT-1", `${m.name} from the guest: unreachable!("Server received client message") panics (channels.rs:3729)`);
    return setOv(c, { crashed: "HOST-OPENVMM-DEFECT-1" });
  }
  match(m.name)
    .with("InitiateContact2", () => handleInitiateContact(c, b, true, head.connectionId === 4))
    .with("InitiateContact", () => handleInitiateContact(c, b, false, head.connectionId === 4))
    .with("Unload", () => handleUnload(c))
    .with("RequestOffers", () => handleRequestOffers(c))
    .with("GpadlHeader", () => handleGpadlHeader(c, b))
    .with("GpadlBody", () => handleGpadlBody(c, b))
    .with("GpadlTeardown", () => handleGpadlTeardown(c, b))
    .with("OpenChannel", "OpenChannel2", () => handleOpenChannel(c, b))
    .with("CloseChannel", () => handleCloseChannel(c, b))
    .with("RelIdReleased", () => handleRelIdReleased(c, b))
    .with("ModifyChannel", () => handleModifyChannel(c, u32At(b, 8), u32At(b, 12)))
    .with("OpenReservedChannel", () => handleOpenReserved(c, b))
    .with("CloseReservedChannel", () => handleCloseReserved(c, b))
    .with("TlConnectRequest", "TlConnectRequest2", () => {
      // No hvsock listener: the relay refuses; TL_CONNECT_RESULT exists from 4.1 (channels.rs:3414).
      reject(c, "HOST-OPENVMM-TL-1", "no hv_sock listener: connection refused");
      const d = decodeMessage(b.subarray(0, 40), { direction: "guest-to-host" });
      if (d.ok && d.value.message.type === "TlConnectRequest" && (conn?.version ?? 0) >= 0x40001)
        send(c, { type: "TlConnectResult", endpointId: d.value.message.guestEndpointId, serviceId: d.value.message.hostServiceId, status: 0xc0000236 });
    })
    .with("ModifyConnection", () => {
      if ((u64At(b, 8) === 0n) !== (u64At(b, 16) === 0n)) {
        // modify_connection bails before setting `modifying`; complete_modify_connection then panics.
        defect(c, "HOST-OPENVMM-DEFECT-3", "MODIFY_CONNECTION with one monitor page: \"ModifyConnection response while not modifying\" panics (channels.rs:3584, :3620)");
        return setOv(c, { crashed: "HOST-OPENVMM-DEFECT-3" });
      }
      c.s = { ...c.s, monitorPage1: String(u64At(b, 8)), monitorPage2: String(u64At(b, 16)) };
      send(c, { type: "ModifyConnectionResponse", connectionState: 0 });
    })
    .with("Pause", () => {
      send(c, { type: "PauseResponse" });
      const now = ov(c).connection;
      if (now) setOv(c, { connection: { ...now, paused: true } });
    })
    .otherwise(() => undefined); // Resume: the pause ended above
};

/** A device revokes its channel (revoke_channel, channels.rs:1908; revoke :3845). */
const rescind = (c: Ctx, relid: number): void => {
  const ch = ov(c).channels.find((x) => x.channelId === relid && x.channelId !== 0);
  if (!ch || ch.state === "Revoked") return void reject(c, "HOST-DEV-1", `no live channel ${relid} to rescind`);
  reject(c, "HOST-OPENVMM-RESCIND-1", `channel ${relid} revoked in state ${ch.state}`);
  if (ch.state === "Open") emit(c, { kind: "deviceNotify", relid, reason: "closed" });
  setOv(c, { channels: ov(c).channels.map((x) => (x === ch ? { ...x, state: "Revoked" as const, params: null, reserved: null } : x)) });
  for (const g of ov(c).gpadls.filter((x) => x.offerId === ch.offerId && x.state === "TearingDown")) {
    setOv(c, { gpadls: ov(c).gpadls.filter((x) => x !== g) });
    send(c, { type: "GpadlTorndown", gpadl: g.id });
  }
  send(c, { type: "RescindChannelOffer", childRelid: relid });
};

export const openvmmStep = (config: HostConfig, p: HostProfileParameters, state: HostState, input: HostInput): { readonly state: HostState; readonly outputs: Ctx["out"] } => {
  const c: Ctx = { config, p, s: state.openvmm ? state : openvmmInitial(config, state), out: [] };
  const kind = (input as { kind?: unknown })?.kind;
  const crashed = ov(c).crashed;
  match(input)
    .with({ kind: "postMessage" }, (i) => (c.p.hypercallBackend === "kvm" ? kvmPostMessage(c, i) : postMessageHypercall(c, i)))
    .with({ kind: "signalEvent" }, (i) => (c.p.hypercallBackend === "kvm" ? kvmSignalEvent(c, i) : signalEventHypercall(c, i)))
    .with({ kind: "run" }, () => {
      if (crashed) return;
      if (ov(c).pending.length > 0 && !ov(c).connection?.paused) return flushPending(c);
      processOne(c);
    })
    .with({ kind: "deliveryResult" }, (i) => {
      const [head, ...rest] = ov(c).synic;
      if (!head) return void reject(c, "HOST-RUN-4", "delivery result with no message in flight");
      if (i.result === "delivered") return setOv(c, { synic: rest });
      if (i.result === "slotBusy") return emit(c, head); // the backend queue keeps it first (HOST-OPENVMM-SEND-1)
      reject(c, "HOST-IN-1", `delivery result ${String(i.result)}: the KVM backend's queue has no such result`);
    })
    .with({ kind: "deviceAdded" }, (i) => {
      if (typeof i.device !== "object" || i.device === null) return void reject(c, "HOST-IN-1", "deviceAdded without a device");
      // offer_channel: TooManyChannels once every channel id could be taken (channels.rs:1873).
      if (ov(c).channels.length >= 2047) return void reject(c, "HOST-OFFER-8", `no spare channel id for device ${i.device.name} (TooManyChannels)`);
      const device = c.s.devices.length;
      const offerId = ov(c).nextOfferId;
      c.s = { ...c.s, devices: [...c.s.devices, i.device] };
      setOv(c, { nextOfferId: offerId + 1, channels: [...ov(c).channels, { offerId, device, subChannelIndex: 0, state: "ClientReleased", channelId: 0, params: null, reserved: null }] });
      if (ov(c).connection?.offersSent) offerChannel(c, offerId);
    })
    .with({ kind: "rescindChannel" }, (i) => rescind(c, i.relid))
    .with({ kind: "deviceSignal" }, (i) => {
      const ch = c.s.channels.find((x) => x.relid === i.relid && x.isOpen);
      if (!ch) return void reject(c, "HOST-SIG-4", `channel ${i.relid} is not open`);
      emit(c, { kind: "channelSignal", relid: i.relid, targetVp: ch.targetVp });
    })
    .with({ kind: "reset" }, () => {
      // VM reset: everything released, reserved channels too; pending and queued messages cleared.
      setOv(c, { channels: ov(c).channels.map((x) => (x.reserved ? { ...x, reserved: null } : x)) });
      disconnect(c);
      setOv(c, { pending: [], synic: [] }); // a panicked server stays gone (HOST-OPENVMM-CRASHED-1)
      c.s = { ...c.s, rxQueue: [] };
    })
    .otherwise(() => reject(c, "HOST-IN-1", `unknown input kind ${String(kind)}`));
  return { state: project(c.s, ov(c)), outputs: c.out };
};

export { send };
