/**
 * Guest + host + SynIC transport as one pure reducer:
 *
 *   enabled(config, state) -> every input that may happen next
 *   step(config, state, input) -> { state', outputs }
 *
 * `createSystem(host)` binds a host model (the real spec/host reducer, a stub, a mutant).
 */
import { match } from "ts-pattern";
import { guestLaneHead, guestPostable, guestStep, initialGuestState, outgoingBytes } from "../guest/guest.js";
import type { GuestOutput } from "../guest/io.js";
import type { GuestState } from "../guest/state.js";
import type { HostInput, HostOutput } from "../host/interface.js";
import { HV_MESSAGE_VMBUS, HvStatus } from "../wire/constants.js";
import { messageTypeNumber } from "../wire/messages.js";
import { peekMessageType } from "../guest/validate.js";
import { hexToBytes } from "../wire/hex.js";
import type { HostileStart, SystemConfig } from "./config.js";
import { liveCatalogue, type LiveIds } from "./hostile.js";
import { enabledDriverActions, INITIAL_DRIVER, recordDriverAction, recordSignal, signallable } from "./driver.js";
import type { HostModel, HostView } from "./host-model.js";
import { SYNIC_ACTIONS, type SynicAction, type SystemInput } from "./inputs.js";
import type { SystemOutput } from "./outputs.js";
import type { PostedMessage, SynicState, SystemState } from "./state.js";
import { encodeMessage } from "../wire/codec.js";
import { bytesToHex } from "../wire/hex.js";
import { Version } from "../wire/versions.js";

export interface SystemStep<HS> {
  readonly state: SystemState<HS>;
  readonly outputs: readonly SystemOutput[];
}

export interface SystemModel<HC, HS> {
  readonly host: HostModel<HC, HS>;
  readonly initial: (config: SystemConfig<HC>) => SystemState<HS>;
  readonly enabled: (config: SystemConfig<HC>, state: SystemState<HS>) => readonly SystemInput[];
  readonly step: (config: SystemConfig<HC>, state: SystemState<HS>, input: SystemInput) => SystemStep<HS>;
}

const typeOfHex = (hex: string): number => {
  const b = hexToBytes(hex);
  return b.ok ? peekMessageType(b.value) : 0;
};

const ENXIO = -6;
const SYNIC_ON: SynicState = { messagePage: true, sintMasked: false };
const SYNIC_CRASHED: SynicState = { messagePage: false, sintMasked: true };

const applySynic = (s: SynicState, a: SynicAction): SynicState =>
  match(a)
    .with("disableMessagePage", () => ({ ...s, messagePage: false }))
    .with("enableMessagePage", () => ({ ...s, messagePage: true }))
    .with("maskSint", () => ({ ...s, sintMasked: true }))
    .with("unmaskSint", () => ({ ...s, sintMasked: false }))
    .exhaustive();
const synicChanges = (s: SynicState, a: SynicAction): boolean => {
  const t = applySynic(s, a);
  return t.messagePage !== s.messagePage || t.sintMasked !== s.sintMasked;
};

/** The ids live in a host state (mixed mode's hostile posts name them). */
export const liveIds = (v: HostView): LiveIds => ({
  relids: [...new Set([...v.offeredRelids, ...v.openChannels.map((c) => c.relid)])].sort((a, b) => a - b),
  gpadls: v.gpadls.map((g) => ({ id: g.id, childRelid: g.childRelid })),
});

/** Whether the well-behaved guest has reached the hostile guest's start point (mixed mode). */
export const reachedStart = <HS>(start: HostileStart, s: SystemState<HS>): boolean => {
  const g = s.guest;
  return match(start)
    .with("boot", () => true)
    .with("connected", () => g !== null && g.phase === "connected")
    .with("open", () => g !== null && g.channels.some((c) => c.phase.name === "opened"))
    .with("closed", () =>
      g !== null &&
      s.driver.closed.some((r) => g.channels.some((c) => c.relid === r && c.phase.name === "offered")) &&
      !g.outbox.some((o) => o.message.type === "CloseChannel"),
    )
    .exhaustive();
};

/** Arm the hostile guest once its start point is reached; it stays armed for the rest of the run. */
const arm = <HC, HS>(config: SystemConfig<HC>, s: SystemState<HS>): SystemState<HS> =>
  !config.hostile || s.hostile.armed || !reachedStart(config.hostile.start, s) ? s : { ...s, hostile: { ...s.hostile, armed: true } };

export const createSystem = <HC, HS>(host: HostModel<HC, HS>): SystemModel<HC, HS> => {
  const initial = (config: SystemConfig<HC>): SystemState<HS> => ({
    guest: config.hostile?.start === "boot" ? null : initialGuestState(config.guest),
    host: host.initial(config.host),
    slot: null,
    inFlight: [],
    driver: INITIAL_DRIVER,
    rescinded: [],
    hostile: { armed: config.hostile?.start === "boot", posts: 0 },
    synic: SYNIC_ON,
    crash: "none",
  });

  const enabled = (config: SystemConfig<HC>, s: SystemState<HS>): readonly SystemInput[] => {
    const out: SystemInput[] = [];
    if (s.guest && s.crash === "crashed") out.push({ kind: "kdumpBoot" });
    else if (s.guest) {
      // Mixed mode: the driver script stops at the hostile guest's start point (the guest still
      // posts what it has queued, reads its slot and signals).
      if (!s.hostile.armed) for (const action of enabledDriverActions(config.driver, s.driver, s.guest)) out.push({ kind: "driver", action });
      for (const o of guestPostable(config.guest, s.guest)) out.push({ kind: "guestPost", lane: o.lane });
      for (const relid of signallable(config.driver, s.driver, s.guest)) out.push({ kind: "guestSignal", relid });
      if (config.driver.crash && s.crash === "none" && s.guest.phase === "connected" && !s.hostile.armed) out.push({ kind: "guestCrash" });
    }
    // The hostile guest posts whenever the hypercall can be made (a full queue answers
    // INSUFFICIENT_BUFFERS), within its budget of posts per run.
    const hs = config.hostile;
    if (hs && s.hostile.armed && s.hostile.posts < hs.posts) {
      for (const e of hs.catalogue) out.push({ kind: "hostilePost", ...e });
      if (hs.live) for (const e of liveCatalogue(liveIds(host.view(s.host)), hs.catalogue)) out.push({ kind: "hostilePost", ...e });
      if (hs.synic) for (const action of SYNIC_ACTIONS) if (synicChanges(s.synic, action)) out.push({ kind: "hostileSynic", action });
    }
    if (host.runnable(config.host, s.host)) out.push({ kind: "hostRun" });
    const head = s.inFlight[0];
    if (head && !(s.slot && s.slot.pending)) out.push({ kind: "deliver" });
    // The guest reads its slot when interrupted: message page enabled, SINT not masked (HOST-RUN-6).
    if (s.slot && s.synic.messagePage && !s.synic.sintMasked && s.crash !== "crashed") out.push({ kind: "guestReceive" });
    if (s.rescinded.length < config.rescinds) {
      for (const relid of host.view(s.host).offeredRelids) if (!s.rescinded.includes(relid)) out.push({ kind: "rescind", relid });
    }
    return out;
  };

  /** Feed the host one input; collect its outputs, moving posted messages in flight. */
  const toHost = (config: SystemConfig<HC>, s: SystemState<HS>, input: HostInput, outputs: SystemOutput[]): [SystemState<HS>, readonly HostOutput[]] => {
    const r = host.step(config.host, s.host, input);
    const posted: PostedMessage[] = [];
    for (const o of r.outputs) {
      outputs.push({ source: "host", output: o });
      if (o.kind === "postMessage") posted.push(o);
    }
    return [{ ...s, host: r.state, inFlight: posted.length ? [...s.inFlight, ...posted] : s.inFlight }, r.outputs];
  };

  const toGuest = (config: SystemConfig<HC>, g: GuestState, input: Parameters<typeof guestStep>[2], outputs: SystemOutput[]): GuestState => {
    const r = guestStep(config.guest, g, input);
    for (const o of r.outputs) outputs.push({ source: "guest", output: o as GuestOutput });
    return r.state;
  };

  /** The slot is emptied without the guest handling it (EOM if PENDING: the waiting message goes back as slotBusy). */
  const drainSlot = (config: SystemConfig<HC>, s: SystemState<HS>, outputs: SystemOutput[]): SystemState<HS> => {
    const slot = s.slot;
    if (!slot) return s;
    outputs.push({ source: "transport", event: { kind: "slotFreed", eom: slot.pending } });
    const s1: SystemState<HS> = { ...s, slot: null };
    if (!slot.pending) return s1;
    return toHost(config, { ...s1, inFlight: s1.inFlight.slice(1) }, { kind: "deliveryResult", result: "slotBusy" }, outputs)[0];
  };

  const post = (config: SystemConfig<HC>, s: SystemState<HS>, connectionId: number, payloadSize: number, payload: string, outputs: SystemOutput[]): [SystemState<HS>, number] => {
    const [s1, hostOut] = toHost(config, s, { kind: "postMessage", connectionId, messageType: HV_MESSAGE_VMBUS, payloadSize, payload }, outputs);
    const st = hostOut.find((o) => o.kind === "hypercallStatus");
    // A host that does not answer the hypercall is treated as INVALID_HYPERCALL_INPUT (see SYS-HCALL-1).
    const status = st && st.kind === "hypercallStatus" ? st.status : HvStatus.INVALID_HYPERCALL_INPUT;
    outputs.push({ source: "transport", event: { kind: "post", connectionId, messageType: typeOfHex(payload), payloadSize, payload, status } });
    return [s1, status];
  };

  const step = (config: SystemConfig<HC>, s: SystemState<HS>, input: SystemInput): SystemStep<HS> => {
    const outputs: SystemOutput[] = [];
    // A switch, not ts-pattern: this dispatch runs for every step the checker explores.
    const next = ((): SystemState<HS> => {
      switch (input.kind) {
        case "driver": {
          const i = input;
          if (!s.guest) return s;
          const guest = toGuest(config, s.guest, { kind: "driver", action: i.action }, outputs);
          return { ...s, guest, driver: recordDriverAction(s.driver, i.action) };
        }
        case "guestPost": {
          const i = input;
          const head = s.guest ? guestLaneHead(s.guest, i.lane) : undefined;
          if (!s.guest || !head) return s;
          const payload = outgoingBytes(head);
          const [s1, status] = post(config, s, head.connectionId, payload.length / 2, payload, outputs);
          return { ...s1, guest: toGuest(config, s.guest, { kind: "postResult", lane: i.lane, status }, outputs) };
        }
        case "hostilePost": {
          const i = input;
          const s1 = post(config, s, i.connectionId, i.payloadSize, i.payload, outputs)[0];
          return { ...s1, hostile: { ...s1.hostile, posts: s1.hostile.posts + 1 } };
        }
        case "hostRun":
          return toHost(config, s, { kind: "run" }, outputs)[0];
        case "deliver": {
          const head = s.inFlight[0];
          if (!head) return s;
          const type = messageTypeNumber(head.message);
          if (!s.synic.messagePage) {
            // HOST-RUN-6 (QEMU hw/hyperv/hyperv.c cpu_post_msg): no message page → -ENXIO, a fatal failure.
            outputs.push({ source: "transport", event: { kind: "deliveryFailed", messageType: type, status: ENXIO } });
            return toHost(config, { ...s, inFlight: s.inFlight.slice(1) }, { kind: "deliveryResult", result: "fatal" }, outputs)[0];
          }
          if (s.slot) {
            if (s.slot.pending) return s;
            outputs.push({ source: "transport", event: { kind: "slotBusy", messageType: type } });
            return { ...s, slot: { ...s.slot, pending: true } };
          }
          outputs.push({ source: "transport", event: { kind: "delivered", messageType: type, payloadSize: head.payloadSize, payload: head.bytes } });
          const s1: SystemState<HS> = { ...s, inFlight: s.inFlight.slice(1), slot: { payloadSize: head.payloadSize, payload: head.bytes, pending: false } };
          return toHost(config, s1, { kind: "deliveryResult", result: "delivered" }, outputs)[0];
        }
        case "guestReceive": {
          const slot = s.slot;
          if (!slot) return s;
          // Linux copies the slot, handles the message, frees the slot, then EOM if pending.
          const guest = s.guest ? toGuest(config, s.guest, { kind: "hostMessage", payloadSize: slot.payloadSize, payload: slot.payload }, outputs) : null;
          outputs.push({ source: "transport", event: { kind: "slotFreed", eom: slot.pending } });
          const s1: SystemState<HS> = { ...s, guest, slot: null };
          if (!slot.pending) return s1;
          // The message that found the slot busy goes back to its host, which re-posts it later.
          const s2: SystemState<HS> = { ...s1, inFlight: s1.inFlight.slice(1) };
          // A re-posted message goes first again (a host with several in flight, e.g. OpenVMM's SynIC queue).
          const [s3] = toHost(config, { ...s2, inFlight: [] }, { kind: "deliveryResult", result: "slotBusy" }, outputs);
          return { ...s3, inFlight: [...s3.inFlight, ...s2.inFlight] };
        }
        case "guestSignal": {
          const i = input;
          const c = s.guest?.channels.find((x) => x.relid === i.relid);
          if (!c) return s;
          const hostOpen = host.view(s.host).openChannels.some((x) => x.relid === i.relid);
          const [s1, hostOut] = toHost(config, s, { kind: "signalEvent", connectionId: c.signalConnectionId, flagNumber: 0 }, outputs);
          const st = hostOut.find((o) => o.kind === "hypercallStatus");
          const status = st && st.kind === "hypercallStatus" ? st.status : HvStatus.INVALID_HYPERCALL_INPUT;
          outputs.push({ source: "transport", event: { kind: "signal", relid: i.relid, connectionId: c.signalConnectionId, status, hostOpen } });
          return { ...s1, driver: recordSignal(s1.driver, i.relid) };
        }
        case "rescind": {
          const i = input;
          const s1 = toHost(config, s, { kind: "rescindChannel", relid: i.relid }, outputs)[0];
          return { ...s1, rescinded: [...s.rescinded, i.relid].sort((a, b) => a - b) };
        }
        case "guestCrash": {
          const g = s.guest;
          if (!g || s.crash !== "none") return s;
          // Linux hv_crash_handler → vmbus_initiate_unload(true): UNLOAD from 3.0, its status ignored.
          let s1 = s;
          if (g.version !== null && g.version >= Version.WIN8_1) {
            const bytes = bytesToHex(encodeMessage({ type: "Unload" }));
            s1 = post(config, s1, g.messageConnectionId, bytes.length / 2, bytes, outputs)[0];
          }
          // vmbus_wait_for_unload drains the message slot (EOM if PENDING); then
          // hv_synic_disable_regs disables the message page and masks the SINT.
          s1 = drainSlot(config, s1, outputs);
          outputs.push({ source: "transport", event: { kind: "synic", ...SYNIC_CRASHED } });
          return { ...s1, guest: initialGuestState(config.guest), driver: INITIAL_DRIVER, synic: SYNIC_CRASHED, crash: "crashed" };
        }
        case "kdumpBoot": {
          if (s.crash !== "crashed") return s;
          outputs.push({ source: "transport", event: { kind: "synic", ...SYNIC_ON } });
          return { ...s, synic: SYNIC_ON, crash: "rebooted" };
        }
        case "hostileSynic": {
          const i = input;
          const synic = applySynic(s.synic, i.action);
          outputs.push({ source: "transport", event: { kind: "synic", ...synic } });
          return { ...s, synic, hostile: { ...s.hostile, posts: s.hostile.posts + 1 } };
        }
      }
    })();
    return { state: arm(config, next), outputs };
  };

  return { host, initial, enabled, step };
};
