/**
 * The VMBus host as a pure reducer: `hostStep(config, state, input) -> { state', outputs }`.
 * Profiles: `qemu` (QEMU's hw/hyperv/vmbus.c exactly, spec/host/qemu), `strict` (the whole
 * protocol, spec/host/server) and `openvmm` (OpenVMM vm/devices/vmbus/vmbus_server at 1488a37b, spec/host/openvmm).
 * Every difference is a named parameter in profiles.ts.
 */
import { busReset, type Ctx, freeRelids, NO_VP, reject } from "./common.js";
import type { HostConfig } from "./config.js";
import { deviceSignal, postMessageHypercall, signalEventHypercall } from "./hypercall.js";
import type { DeviceSpec, HostInput, HostOutput } from "./interface.js";
import { resolveParameters, type HostProfileParameters } from "./profiles.js";
import { qemuDelivery, qemuInitialized, qemuReset, qemuRun, qemuRunnable, qemuStallCheck } from "./qemu/engine.js";
import { kvmPostMessage, kvmSignalEvent } from "./openvmm/hypercall.js";
import { openvmmInitial, openvmmRunnable, openvmmStep } from "./openvmm/engine.js";
import { serverDelivery, serverDeviceAdded, serverRescind, serverRun, serverRunnable } from "./server/engine.js";
import type { ChannelState, HostState } from "./state.js";

export type { HostConfig } from "./config.js";
export type { HostProfileName, HostProfileParameters } from "./profiles.js";
export type { HostState } from "./state.js";
export { checkHostInvariants } from "./invariants.js";
export { formatQemuTrace } from "./trace.js";


/** An unknown profile name falls back to strict (resolveParameters). */
const params = (config: HostConfig): HostProfileParameters => resolveParameters(config.profile, config.parameters);

const newChannel = (relid: number, device: number, subChannelIndex: number): ChannelState => ({
  relid, device, subChannelIndex, offerState: "init", state: "init", isOpen: false, openId: 0, targetVp: 0,
  ringGpadl: 0, sendOffset: 0, rescinded: false, modifyPending: false,
});

const channelCount = (d: DeviceSpec): number => 1 + Math.max(0, Math.floor(Number.isFinite(d.subChannels) ? d.subChannels : 0));

/** Realize a device: relids for its channels, first free (HOST-OFFER-2); undefined if none left (HOST-OFFER-8). */
const realize = (s: HostState, device: DeviceSpec): { state: HostState; relids: number[] } | undefined => {
  const n = channelCount(device);
  const relids = n <= 2047 ? freeRelids(s, n) : undefined;
  if (!relids) return undefined;
  const index = s.devices.length;
  return {
    state: { ...s, devices: [...s.devices, device], channels: [...s.channels, ...relids.map((r, i) => newChannel(r, index, i))] },
    relids,
  };
};

const EMPTY: HostState = {
  model: "outgoingQueue", listening: [], bus: "listen", version: 0, connected: false, targetVp: NO_VP, sintRoute: false, interruptPage: "0",
  monitorPage1: "0", monitorPage2: "0", features: 0, msgConnId: 0, rxQueue: [], inFlight: null, outQueue: [],
  devices: [], channels: [], gpadls: [], offersRequested: false, allOffersSent: false, paused: false, runPending: false, staleDeliveries: 0,
};

export const initialHostState = (config: HostConfig): HostState => {
  const p = params(config);
  // OpenVMM assigns relids in (interface id, offer order, instance id) order (HOST-OFFER-6); the
  // offer order is unique, so the instance id never decides: the interface types ascending
  // (string order), each type's devices in their order (grouped, not sorted with a comparator:
  // an index tie-break never decided).
  const order =
    p.offerOrder === "interfaceInstance"
      ? [...new Set(config.devices.map((d) => d.interfaceType))].sort().flatMap((t) => config.devices.filter((d) => d.interfaceType === t))
      : config.devices;
  let s: HostState = { ...EMPTY, model: p.replyModel, listening: [...p.messageConnectionIds] };
  if (p.replyModel === "synicQueue") return openvmmInitial(config, s); // spec/host/openvmm
  for (const d of order) s = realize(s, d)?.state ?? s;
  return s;
};

export const hostStep = (config: HostConfig, state: HostState, input: HostInput): { readonly state: HostState; readonly outputs: readonly HostOutput[] } => {
  const c: Ctx = { config, p: params(config), s: state, out: [] };
  if (c.p.replyModel === "synicQueue") return openvmmStep(config, c.p, state, input);
  const qemu = c.p.replyModel === "stateRunner";
  const kind: string = (input as { kind?: unknown })?.kind as string;
  // A switch, not ts-pattern: this dispatch runs for every host step the checker explores.
  switch (kind) {
    case "postMessage": {
      const i = input as Extract<HostInput, { kind: "postMessage" }>;
      if (c.p.hypercallBackend === "kvm") kvmPostMessage(c, i);
      else postMessageHypercall(c, i);
      break;
    }
    case "run":
      if (qemu) qemuRun(c);
      else serverRun(c);
      break;
    case "deliveryResult": {
      const i = input as Extract<HostInput, { kind: "deliveryResult" }>;
      if (i.result !== "delivered" && i.result !== "slotBusy" && i.result !== "fatal") {
        reject(c, "HOST-IN-1", `unknown delivery result ${String(i.result)}`);
        break;
      }
      if (qemu) qemuDelivery(c, i.result);
      else serverDelivery(c, i.result);
      break;
    }
    case "signalEvent": {
      const i = input as Extract<HostInput, { kind: "signalEvent" }>;
      if (c.p.hypercallBackend === "kvm") kvmSignalEvent(c, i);
      else signalEventHypercall(c, i);
      break;
    }
    case "deviceAdded": {
      const i = input as Extract<HostInput, { kind: "deviceAdded" }>;
      if (typeof i.device !== "object" || i.device === null) {
        reject(c, "HOST-IN-1", "deviceAdded without a device");
        break;
      }
      if (qemu) {
        reject(c, "HOST-OFFER-9", `QEMU's VMBus has no hotplug handler: device ${i.device.name} cannot be added while the machine runs`);
        break;
      }
      const r = realize(c.s, i.device);
      if (!r) {
        reject(c, "HOST-OFFER-8", `no spare channel id for device ${i.device.name}`);
        break;
      }
      c.s = r.state;
      serverDeviceAdded(c, r.relids);
      break;
    }
    case "rescindChannel": {
      const i = input as Extract<HostInput, { kind: "rescindChannel" }>;
      if (qemu) reject(c, "HOST-RESCIND-3", `QEMU cannot rescind channel ${i.relid}`);
      else serverRescind(c, i.relid);
      break;
    }
    case "deviceSignal":
      deviceSignal(c, (input as Extract<HostInput, { kind: "deviceSignal" }>).relid);
      break;
    case "reset":
      if (qemu) qemuReset(c);
      else {
        busReset(c);
        c.s = { ...c.s, rxQueue: [] };
      }
      break;
    default:
      reject(c, "HOST-IN-1", `unknown input kind ${String(kind)}`);
  }
  if (qemu) qemuStallCheck(c, state);
  return { state: c.s, outputs: c.out };
};

export const hostRunnable = (config: HostConfig, state: HostState): boolean =>
  params(config).replyModel === "stateRunner" ? qemuRunnable(state) : params(config).replyModel === "synicQueue" ? openvmmRunnable(state) : serverRunnable(state);

export interface HostView {
  readonly connected: boolean;
  readonly version: number | undefined;
  readonly messageConnectionIds: readonly number[];
  readonly offeredRelids: readonly number[];
  readonly openChannels: readonly { relid: number; gpadl: number }[];
  readonly gpadls: readonly { id: number; childRelid: number; complete: boolean; state: string }[];
  readonly messageInFlight: boolean;
  readonly queuedIncoming: number;
}

/**
 * A profile-independent summary. `connected`: a version was accepted (queue model: when the
 * INITIATE_CONTACT is handled; QEMU: when its VERSION_RESPONSE, with 0 < v ≤ 4.0, is delivered).
 * `messageConnectionIds`: the message connection ids the host listens on (profile parameter).
 */
export const hostView = (state: HostState): HostView => {
  const connected = state.connected;
  return {
    connected,
    version: connected ? state.version : undefined,
    messageConnectionIds: state.listening,
    offeredRelids: state.channels.filter((ch) => ch.offerState === "sent" && !ch.rescinded).map((ch) => ch.relid),
    openChannels: state.channels.filter((ch) => ch.isOpen && ch.state === "open").map((ch) => ({ relid: ch.relid, gpadl: ch.ringGpadl })),
    gpadls: state.gpadls.map((g) => ({ id: g.id, childRelid: g.childRelid, complete: g.data.length >= g.expected, state: g.state })),
    messageInFlight: state.inFlight !== null,
    queuedIncoming: state.rxQueue.length,
  };
};

export { qemuInitialized };
