/**
 * The QEMU log as an observation of the spec host (spec/host, profile qemu), for the
 * conformance engine (src/conformance/engine.ts). One observed event is one trace line.
 *
 * - A host step (hostStep) can print several lines; the ones not yet observed stay `pending`
 *   and must come next (QEMU runs each step under the BQL, so its lines are contiguous).
 * - Hidden choices are explored: when each run happens (the bottom half), each delivery
 *   result (only its status is printed), every guest message's bytes beyond what the lines
 *   show (payloads.ts), and — unless disabled — machine resets, which QEMU does not trace.
 * - Guest messages are queued with placeholder bytes (type, zeros) and get their candidate
 *   bytes when the run that processes them is explained; the history records the choice so
 *   the session can be written out as a `host` script.
 */
import { hostRunnable, hostStep, type HostConfig, type HostState } from "../../../spec/host/host.js";
import type { HostInput, HostOutput } from "../../../spec/host/interface.js";
import { resolveParameters } from "../../../spec/host/profiles.js";
import { formatQemuTrace } from "../../../spec/host/trace.js";
import type { Expectation, Move, ObservationModel } from "../../conformance/engine.js";
import { argNumber, type QemuEvent } from "./events.js";
import { parseQemuLine } from "./line.js";
import { payloadCandidates } from "./payloads.js";

/** What one line of the log is, for the engine: the event, its line number and what follows. */
export interface QemuObservation {
  readonly lineNo: number;
  readonly event: QemuEvent;
  /** The event as the spec prints it (formatEvent): what spec lines are compared with. */
  readonly canonical: string;
  /** The next few events (look-ahead window) — hints for the guest bytes, never trusted. */
  readonly ahead: readonly QemuEvent[];
}

/** The session so far, newest first (only kept when a script or diagram is wanted). */
export type History =
  | null
  | { readonly prev: History; readonly input: HostInput; readonly lineNo: number }
  | { readonly prev: History; readonly resolve: number; readonly payload: string };

export interface QemuTraceState {
  readonly host: HostState;
  /** Lines the last step printed that the log has not shown yet. */
  readonly pending: readonly string[];
  readonly pendingRules: readonly string[];
  /** Rules of what the last step dropped or flagged (rejected / defect outputs): context for a rejection. */
  readonly dropped: readonly { readonly rule: string; readonly reason: string }[];
  /** Line numbers of the vmbus_recv_message lines of the queued messages, parallel to host.rxQueue. */
  readonly queue: readonly number[];
  readonly history: History;
}

export interface QemuModelOptions {
  readonly config: HostConfig;
  /** A machine reset may happen at any point (QEMU traces none). */
  readonly resets: boolean;
  /** Compare vmbus_send_offer's dev argument (true when the devices were read from the log). */
  readonly compareDevices: boolean;
  /** Keep the history (for --script / --mermaid); off keeps memory bounded by the state set. */
  readonly keepHistory: boolean;
}

const EAGAIN = -11;
const ENXIO = -6;

/**
 * The spec's trace line of an output (undefined for other outputs), without trailing blanks:
 * QEMU prints a space after an event with an empty format, the canonical form does not.
 */
const toLine = (o: HostOutput): string | undefined => formatQemuTrace(o)?.trimEnd();

const stepRules = (outputs: readonly HostOutput[]): string[] =>
  outputs.flatMap((o) => (o.kind === "rejected" || o.kind === "defect" ? [o.rule] : []));

/** Lines a run prints first (everything but guest posts, delivery results and signals). */
const RUN_LINE = (name: string): boolean =>
  name !== "vmbus_recv_message" && name !== "vmbus_msg_cb" && name !== "vmbus_signal_event" && name !== "vmbus_channel_notify_guest";

/** The rules that decide what a run posts in each bus state (spec/host/rules.ts). */
const RUN_RULES: Readonly<Record<string, readonly string[]>> = {
  listen: ["HOST-RUN-1"],
  handshake: ["HOST-CONNECT-2"],
  offer: ["HOST-OFFER-1", "HOST-OFFER-5"],
  createGpadl: ["HOST-GPADL-4"],
  teardownGpadl: ["HOST-GPADL-6"],
  openChannel: ["HOST-OPEN-5"],
  unload: ["HOST-UNLOAD-1"],
};

/**
 * The identity of a host state for de-duplication: everything that decides future lines.
 * Left out: the devices (fixed), queued payloads beyond type and size (placeholders until
 * processed) and PFN values (QEMU only counts them).
 */
export const hostKey = (h: HostState): string => {
  // Every field counts (so a field the spec adds later is never merged away) except the bulky
  // ones, which are summarised.
  const { devices, rxQueue, gpadls, inFlight, outQueue, ...rest } = h;
  return JSON.stringify([
    rest,
    devices.length,
    rxQueue.map((q) => `${q.connectionId}:${q.payloadSize}:${q.payload.slice(0, 8)}`),
    gpadls.map(({ data, header, bodies, ranges, ...g }) => [g, data.length, header !== null, bodies.length, ranges?.length ?? -1]),
    inFlight ? [inFlight.payloadSize, inFlight.bytes, inFlight.targetVp] : null,
    outQueue.map((m) => m.bytes),
  ]);
};

export const createQemuModel = (o: QemuModelOptions): ObservationModel<QemuTraceState, QemuObservation> => {
  const { config } = o;
  const p = resolveParameters("qemu", config.parameters);
  const connectionId = p.messageConnectionIds[0] ?? 1;

  const matches = (spec: string, seen: QemuObservation): boolean => {
    if (spec === seen.canonical) return true;
    // Devices given with --devices: their names need not be the tokens the log prints.
    if (o.compareDevices || seen.event.name !== "vmbus_send_offer" || !spec.startsWith("vmbus_send_offer ")) return false;
    const p = parseQemuLine(spec);
    return p.kind === "event" && p.event.args[0] === seen.event.args[0];
  };

  /** Apply `input`; the successor when its first trace line is `seen` (or, with seen undefined, when it prints none). */
  const apply = (s: QemuTraceState, host: HostState, input: HostInput, seen: QemuObservation | undefined, lineNo: number, history: History): QemuTraceState | undefined => {
    const r = hostStep(config, host, input);
    const events: string[] = [];
    for (const x of r.outputs) {
      const l = toLine(x);
      if (l !== undefined) events.push(l);
    }
    if (seen === undefined ? events.length > 0 : events.length === 0 || !matches(events[0]!, seen)) return undefined;
    // Keep the queue ids parallel to rxQueue: a post appends, processing or UNLOAD drops from the front.
    let queue = s.queue;
    const before = host.rxQueue.length;
    const after = r.state.rxQueue.length;
    if (input.kind === "postMessage" && after === before + 1) queue = [...queue, lineNo];
    else if (after < before) queue = queue.slice(before - after);
    return {
      host: r.state,
      pending: events.slice(1),
      pendingRules: [...RUN_RULES[host.bus] ?? [], ...stepRules(r.outputs)],
      dropped: r.outputs.flatMap((x) => (x.kind === "rejected" ? [{ rule: x.rule, reason: x.reason }] : x.kind === "defect" ? [{ rule: x.rule, reason: x.description }] : [])),
      queue,
      history: o.keepHistory ? { prev: history, input, lineNo } : null,
    };
  };

  // The engine asks for a state's key more than once (set insertion, silent closure): computed once.
  const keys = new WeakMap<QemuTraceState, string>();
  const key = (s: QemuTraceState): string => {
    let k = keys.get(s);
    if (k === undefined) keys.set(s, (k = `${hostKey(s.host)}|${s.pending.join(";")}|${s.queue.join(",")}`));
    return k;
  };

  /** The runs the spec may do now, with the queued head's candidate bytes. */
  const runs = (s: QemuTraceState, ahead: readonly QemuEvent[]): { host: HostState; history: History }[] => {
    if (!hostRunnable(config, s.host)) return [];
    const head = s.host.rxQueue[0];
    if (s.host.bus !== "listen" || !head) return [{ host: s.host, history: s.history }];
    const type = Number.parseInt(head.payload.slice(0, 8).match(/../g)!.reverse().join(""), 16);
    const id = s.queue[0] ?? 0;
    return payloadCandidates(type, head.payloadSize, ahead, s.host, p.minRingPages).map((payload) => ({
      host: { ...s.host, rxQueue: [{ ...head, payload }, ...s.host.rxQueue.slice(1)] },
      history: o.keepHistory ? { prev: s.history, resolve: id, payload } : null,
    }));
  };

const explainStep = (s: QemuTraceState, obs: QemuObservation): Move<QemuTraceState>[] => {
    const seen = obs.event;
    if (s.pending.length > 0) {
      if (!matches(s.pending[0]!, obs)) return [];
      return [{ label: `continues: ${obs.canonical}`, state: { ...s, pending: s.pending.slice(1) } }];
    }
    const moves: Move<QemuTraceState>[] = [];
    const tryInput = (label: string, host: HostState, input: HostInput, history: History): void => {
      const n = apply(s, host, input, obs, obs.lineNo, history);
      if (n) moves.push({ label, state: n });
    };
    switch (seen.name) {
      case "vmbus_recv_message": {
        const type = argNumber(seen, 0) >>> 0;
        const size = argNumber(seen, 1);
        if (size < 0 || size > 240) break;
        const b = new Uint8Array(size);
        new DataView(b.buffer).setUint32(0, type, true);
        const payload = Buffer.from(b).toString("hex");
        tryInput(`guest posts type ${type} size ${size}`, s.host, { kind: "postMessage", connectionId, messageType: 1, payloadSize: size, payload }, s.history);
        break;
      }
      case "vmbus_msg_cb": {
        const st = argNumber(seen, 0);
        const result = st === 0 ? "delivered" : st === EAGAIN ? "slotBusy" : st === ENXIO ? "fatal" : undefined;
        if (result && s.host.inFlight) tryInput(`delivery: ${result}`, s.host, { kind: "deliveryResult", result }, s.history);
        break;
      }
      case "vmbus_signal_event":
        tryInput("guest signals connection 2", s.host, { kind: "signalEvent", connectionId: 2, flagNumber: 0 }, s.history);
        break;
      case "vmbus_channel_notify_guest":
        tryInput(`device signals channel ${argNumber(seen, 0)}`, s.host, { kind: "deviceSignal", relid: argNumber(seen, 0) >>> 0 }, s.history);
        break;
      default:
        for (const r of runs(s, obs.ahead)) tryInput("run", r.host, { kind: "run" }, r.history);
    }
    return moves;
  };

  return {
    key,
    silent: (s) => {
      if (s.pending.length > 0) return [];
      const out: Move<QemuTraceState>[] = [];
      const k = key(s);
      // A run that prints nothing (QEMU's state runner finding nothing to send) still changes state.
      if (hostRunnable(config, s.host) && s.host.bus !== "listen") {
        const n = apply(s, s.host, { kind: "run" }, undefined, 0, s.history);
        if (n && key(n) !== k) out.push({ label: "run (no line)", state: n });
      }
      return out;
    },
    explain: (s, obs) => {
      const moves = explainStep(s, obs);
      if (!o.resets || s.pending.length > 0 || !RUN_LINE(obs.event.name)) return moves;
      // A machine reset leaves no line in QEMU's log. It keeps QEMU's incoming queue (so it
      // commutes with guest posts) and makes a later delivery or signal line impossible, so it
      // only matters right before a run: that is the one place the checker tries it.
      const r = apply(s, s.host, { kind: "reset" }, undefined, obs.lineNo, s.history);
      if (!r || key(r) === key(s)) return moves;
      return [...moves, ...explainStep(r, obs).map((m) => ({ label: `machine reset (no line); ${m.label}`, state: m.state }))];
    },
    expected: (s) => {
      if (s.pending.length > 0) return [{ description: s.pending[0]!, rules: s.pendingRules }];
      const out: Expectation[] = [{ description: "vmbus_recv_message type T size N (a guest HvPostMessage, at any time)", rules: [] }];
      if (s.host.inFlight) out.push({ description: `vmbus_msg_cb message status 0|-11|-6 (the delivery of ${s.host.inFlight.message.type})`, rules: ["HOST-RUN-1", "HOST-RUN-2", "HOST-RUN-3"] });
      else if (hostRunnable(config, s.host)) {
        const r = hostStep(config, s.host, { kind: "run" });
        const first = r.outputs.map(toLine).find((e) => e !== undefined);
        if (first) out.push({ description: first, rules: [...(RUN_RULES[s.host.bus] ?? []), ...stepRules(r.outputs)] });
      }
      for (const d of s.dropped) out.push({ description: `(earlier, the spec host dropped a message: ${d.reason})`, rules: [d.rule] });
      if (s.host.channels.some((c) => c.isOpen)) out.push({ description: "vmbus_channel_notify_guest channel #R (an open channel)", rules: ["HOST-SIG-4"] });
      return out;
    },
  };
};

export const initialQemuTraceState = (host: HostState): QemuTraceState => ({ host, pending: [], pendingRules: [], dropped: [], queue: [], history: null });

/** The session of an accepted state, oldest first, with each guest post's chosen bytes. */
export const sessionOf = (s: QemuTraceState): { input: HostInput; lineNo: number }[] => {
  const resolved = new Map<number, string>();
  const steps: { input: HostInput; lineNo: number }[] = [];
  for (let h: History = s.history; h; h = h.prev) {
    if ("resolve" in h) resolved.set(h.resolve, h.payload);
    else steps.push({ input: h.input, lineNo: h.lineNo });
  }
  steps.reverse();
  return steps.map((x) => {
    const payload = x.input.kind === "postMessage" ? resolved.get(x.lineNo) : undefined;
    return payload !== undefined && x.input.kind === "postMessage" ? { ...x, input: { ...x.input, payload: payload.slice(0, x.input.payloadSize * 2) } } : x;
  });
};
