/**
 * The host role as an ObservationModel (docs/verify.md, contract 1): the spec host (spec/host)
 * observed through the lines an implementation prints. The observer sees the hypercall status,
 * every posted message, every channel signal and the idle marker; it does not see the host's
 * deferred-work runs, so a run that posts nothing (a message processed or dropped) is a silent
 * step. The contract has the host run to quiescence before `idle`: idle is explained only by a
 * state where nothing is runnable (a message in flight waits for its delivery result).
 */
import { hostRunnable, hostStep, type HostConfig, type HostState } from "../../spec/host/host.js";
import type { HostInput, HostOutput } from "../../spec/host/interface.js";
import { messageTypeName, type MessageTypeName } from "../../spec/wire/messages.js";
import type { Expectation, Move, ObservationModel } from "./engine.js";

/** What the observer can see of one host output. */
export type Visible =
  | { readonly kind: "hypercallStatus"; readonly status: number }
  | { readonly kind: "postMessage"; readonly bytes: string; readonly payloadSize: number; readonly targetVp: number; readonly sint: number }
  | { readonly kind: "channelSignal"; readonly relid: number; readonly targetVp: number };

export type HostEvent = { readonly kind: "input"; readonly input: HostInput } | Visible | { readonly kind: "idle" };

interface Pending {
  readonly v: Visible;
  readonly rules: readonly string[];
}

export interface HostModelState {
  readonly h: HostState;
  /** Visible outputs of the last spec step not yet observed, in order. */
  readonly pending: readonly Pending[];
  /** Rules applied since the last observation (rejections, defects): why the spec is silent. */
  readonly why: readonly string[];
}

const QUEUE = (c: HostConfig): boolean => c.profile !== "qemu";

/** The rules that decide a posted message of this type (besides the step's rejections). */
const messageRules = (config: HostConfig, type: MessageTypeName | undefined): string[] => {
  const q = QUEUE(config);
  switch (type) {
    case "VersionResponse":
      return q ? ["HOST-CONNECT-3", "HOST-CONNECT-4", "HOST-CONNECT-5"] : ["HOST-CONNECT-2"];
    case "OfferChannel":
      return ["HOST-OFFER-1", q ? "HOST-OFFER-4" : "HOST-OFFER-3"];
    case "AllOffersDelivered":
      return ["HOST-OFFER-1", "HOST-OFFER-5"];
    case "GpadlCreated":
      return ["HOST-GPADL-4"];
    case "GpadlTorndown":
      return ["HOST-GPADL-6"];
    case "OpenChannelResult":
      return ["HOST-OPEN-5"];
    case "UnloadResponse":
      return ["HOST-UNLOAD-1"];
    case "RescindChannelOffer":
      return ["HOST-RESCIND-1"];
    case "ModifyChannelResponse":
      return ["HOST-MODIFY-2"];
    case "TlConnectResult":
      return ["HOST-TL-1"];
    case "CloseReservedResponse":
      return ["HOST-RESERVED-1"];
    case "ModifyConnectionResponse":
      return ["HOST-MODCONN-1"];
    case "PauseResponse":
      return ["HOST-PAUSE-1"];
    default:
      return [];
  }
};

const typeOfBytes = (hex: string): MessageTypeName | undefined => (hex.length >= 8 ? messageTypeName(parseInt(hex.slice(6, 8) + hex.slice(4, 6) + hex.slice(2, 4) + hex.slice(0, 2), 16)) : undefined);

/** The visible outputs of one spec step, each with the rules that decide it. */
export const visibleOutputs = (config: HostConfig, outputs: readonly HostOutput[]): { visible: Pending[]; rules: string[] } => {
  const rules = outputs.flatMap((o) => (o.kind === "rejected" || o.kind === "defect" ? [o.rule] : []));
  const visible: Pending[] = [];
  for (const o of outputs) {
    if (o.kind === "hypercallStatus") visible.push({ v: { kind: "hypercallStatus", status: o.status }, rules: rules.filter((r) => /^HOST-(HC|SIG)-/.test(r)) });
    else if (o.kind === "postMessage")
      visible.push({ v: { kind: "postMessage", bytes: o.bytes, payloadSize: o.payloadSize, targetVp: o.targetVp, sint: o.sint }, rules: [...new Set([...messageRules(config, o.message.type), ...rules])] });
    else if (o.kind === "channelSignal") visible.push({ v: { kind: "channelSignal", relid: o.relid, targetVp: o.targetVp }, rules: ["HOST-SIG-4"] });
  }
  return { visible, rules };
};

export const sameVisible = (a: Visible, b: Visible): boolean => {
  if (a.kind === "hypercallStatus" && b.kind === "hypercallStatus") return a.status === b.status;
  if (a.kind === "postMessage" && b.kind === "postMessage")
    return a.bytes.toLowerCase() === b.bytes.toLowerCase() && a.payloadSize === b.payloadSize && a.targetVp === b.targetVp && a.sint === b.sint;
  if (a.kind === "channelSignal" && b.kind === "channelSignal") return a.relid === b.relid && a.targetVp === b.targetVp;
  return false;
};

export const describeVisible = (v: Visible | { kind: "idle" }): string => {
  switch (v.kind) {
    case "hypercallStatus":
      return `hypercallStatus ${v.status}`;
    case "postMessage":
      return `postMessage ${typeOfBytes(v.bytes) ?? "?"} payloadSize ${v.payloadSize} targetVp ${v.targetVp} sint ${v.sint} bytes ${v.bytes}`;
    case "channelSignal":
      return `channelSignal relid ${v.relid} targetVp ${v.targetVp}`;
    case "idle":
      return "idle";
  }
};

export const describeEvent = (e: HostEvent): string => (e.kind === "input" ? `input ${JSON.stringify(e.input)}` : describeVisible(e));

export const createHostModel = (config: HostConfig): ObservationModel<HostModelState, HostEvent> => {
  const run = (s: HostModelState): { state: HostModelState; visible: Pending[] } => {
    const r = hostStep(config, s.h, { kind: "run" });
    const { visible, rules } = visibleOutputs(config, r.outputs);
    return { state: { h: r.state, pending: visible.slice(1), why: [...s.why, ...rules] }, visible };
  };
  const quiescent = (s: HostModelState): boolean => s.pending.length === 0 && !hostRunnable(config, s.h);

  return {
    key: (s) => JSON.stringify([s.h, s.pending]),
    silent: (s): Move<HostModelState>[] => {
      if (s.pending.length > 0 || !hostRunnable(config, s.h)) return [];
      const r = run(s);
      return r.visible.length === 0 ? [{ label: "run", state: r.state }] : [];
    },
    explain: (s, e): Move<HostModelState>[] => {
      if (e.kind === "input") {
        if (!quiescent(s)) return [];
        const r = hostStep(config, s.h, e.input);
        const { visible, rules } = visibleOutputs(config, r.outputs);
        return [{ label: `input ${JSON.stringify(e.input)}`, state: { h: r.state, pending: visible, why: rules } }];
      }
      if (e.kind === "idle") return quiescent(s) ? [{ label: "idle", state: { ...s, why: [] } }] : [];
      const head = s.pending[0];
      if (head) return sameVisible(head.v, e) ? [{ label: describeVisible(e), state: { ...s, pending: s.pending.slice(1), why: [] } }] : [];
      if (!hostRunnable(config, s.h)) return [];
      const r = run(s);
      const first = r.visible[0];
      return first && sameVisible(first.v, e) ? [{ label: `run, ${describeVisible(e)}`, state: { ...r.state, why: [] } }] : [];
    },
    expected: (s): Expectation[] => {
      const head = s.pending[0];
      if (head) return [{ description: describeVisible(head.v), rules: head.rules }];
      if (hostRunnable(config, s.h)) {
        const r = run(s);
        const first = r.visible[0];
        return first ? [{ description: describeVisible(first.v), rules: [...new Set([...first.rules, ...s.why])] }] : [];
      }
      const why = s.why.length > 0 ? s.why : s.h.inFlight ? ["HOST-RUN-1"] : [];
      return [{ description: s.h.inFlight ? "idle (a message is in flight: nothing more until its delivery result)" : "idle (nothing left to run)", rules: [...new Set(why)] }];
    },
  };
};
