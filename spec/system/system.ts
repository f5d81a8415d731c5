/**
 * Guest + host + SynIC transport as one pure reducer (fact sheet §1, §4.2, §5):
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
import type { SystemConfig } from "./config.js";
import { enabledDriverActions, INITIAL_DRIVER, recordDriverAction, recordSignal, signallable } from "./driver.js";
import type { HostModel } from "./host-model.js";
import type { SystemInput } from "./inputs.js";
import type { SystemOutput } from "./outputs.js";
import type { PostedMessage, SystemState } from "./state.js";

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

export const createSystem = <HC, HS>(host: HostModel<HC, HS>): SystemModel<HC, HS> => {
  const initial = (config: SystemConfig<HC>): SystemState<HS> => ({
    guest: config.hostile ? null : initialGuestState(config.guest),
    host: host.initial(config.host),
    slot: null,
    inFlight: [],
    driver: INITIAL_DRIVER,
    rescinded: [],
  });

  const enabled = (config: SystemConfig<HC>, s: SystemState<HS>): readonly SystemInput[] => {
    const out: SystemInput[] = [];
    if (s.guest) {
      for (const action of enabledDriverActions(config.driver, s.driver, s.guest)) out.push({ kind: "driver", action });
      for (const o of guestPostable(config.guest, s.guest)) out.push({ kind: "guestPost", lane: o.lane });
      for (const relid of signallable(config.driver, s.driver, s.guest)) out.push({ kind: "guestSignal", relid });
    }
    if (config.hostile && host.view(s.host).queuedIncoming < config.hostile.queueBound) {
      for (const e of config.hostile.catalogue) out.push({ kind: "hostilePost", ...e });
    }
    if (host.runnable(config.host, s.host)) out.push({ kind: "hostRun" });
    const head = s.inFlight[0];
    if (head && !(s.slot && s.slot.pending)) out.push({ kind: "deliver" });
    if (s.slot) out.push({ kind: "guestReceive" });
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
    const next = match(input)
      .with({ kind: "driver" }, (i): SystemState<HS> => {
        if (!s.guest) return s;
        const guest = toGuest(config, s.guest, { kind: "driver", action: i.action }, outputs);
        return { ...s, guest, driver: recordDriverAction(s.driver, i.action) };
      })
      .with({ kind: "guestPost" }, (i): SystemState<HS> => {
        const head = s.guest ? guestLaneHead(s.guest, i.lane) : undefined;
        if (!s.guest || !head) return s;
        const payload = outgoingBytes(head);
        const [s1, status] = post(config, s, head.connectionId, payload.length / 2, payload, outputs);
        return { ...s1, guest: toGuest(config, s.guest, { kind: "postResult", lane: i.lane, status }, outputs) };
      })
      .with({ kind: "hostilePost" }, (i) => post(config, s, i.connectionId, i.payloadSize, i.payload, outputs)[0])
      .with({ kind: "hostRun" }, () => toHost(config, s, { kind: "run" }, outputs)[0])
      .with({ kind: "deliver" }, (): SystemState<HS> => {
        const head = s.inFlight[0];
        if (!head) return s;
        const type = messageTypeNumber(head.message);
        if (s.slot) {
          if (s.slot.pending) return s;
          outputs.push({ source: "transport", event: { kind: "slotBusy", messageType: type } });
          return { ...s, slot: { ...s.slot, pending: true } };
        }
        outputs.push({ source: "transport", event: { kind: "delivered", messageType: type, payloadSize: head.payloadSize, payload: head.bytes } });
        const s1: SystemState<HS> = { ...s, inFlight: s.inFlight.slice(1), slot: { payloadSize: head.payloadSize, payload: head.bytes, pending: false } };
        return toHost(config, s1, { kind: "deliveryResult", result: "delivered" }, outputs)[0];
      })
      .with({ kind: "guestReceive" }, (): SystemState<HS> => {
        const slot = s.slot;
        if (!slot) return s;
        // Linux copies the slot, handles the message, frees the slot, then EOM if pending (§1.1, §5.6).
        const guest = s.guest ? toGuest(config, s.guest, { kind: "hostMessage", payloadSize: slot.payloadSize, payload: slot.payload }, outputs) : null;
        outputs.push({ source: "transport", event: { kind: "slotFreed", eom: slot.pending } });
        const s1: SystemState<HS> = { ...s, guest, slot: null };
        if (!slot.pending) return s1;
        // The message that found the slot busy goes back to its host, which re-posts it later.
        const s2: SystemState<HS> = { ...s1, inFlight: s1.inFlight.slice(1) };
        return toHost(config, s2, { kind: "deliveryResult", result: "slotBusy" }, outputs)[0];
      })
      .with({ kind: "guestSignal" }, (i): SystemState<HS> => {
        const c = s.guest?.channels.find((x) => x.relid === i.relid);
        if (!c) return s;
        const hostOpen = host.view(s.host).openChannels.some((x) => x.relid === i.relid);
        const [s1, hostOut] = toHost(config, s, { kind: "signalEvent", connectionId: c.signalConnectionId, flagNumber: 0 }, outputs);
        const st = hostOut.find((o) => o.kind === "hypercallStatus");
        const status = st && st.kind === "hypercallStatus" ? st.status : HvStatus.INVALID_HYPERCALL_INPUT;
        outputs.push({ source: "transport", event: { kind: "signal", relid: i.relid, connectionId: c.signalConnectionId, status, hostOpen } });
        return { ...s1, driver: recordSignal(s1.driver, i.relid) };
      })
      .with({ kind: "rescind" }, (i): SystemState<HS> => {
        const s1 = toHost(config, s, { kind: "rescindChannel", relid: i.relid }, outputs)[0];
        return { ...s1, rescinded: [...s.rescinded, i.relid].sort((a, b) => a - b) };
      })
      .exhaustive();
    return { state: next, outputs };
  };

  return { host, initial, enabled, step };
};
