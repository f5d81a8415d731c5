/**
 * Drive one guest-role session: the verifier is the host (spec/host, the chosen profile, run to
 * quiescence) and the SynIC. It answers every guest hypercall with the spec host's status,
 * delivers the host's messages one at a time, and at each quiet point (nothing in flight, the
 * guest idle) takes the session's next driver action. The engine judges every guest line
 * against the spec guest; with --any-guest only against the host's rules.
 */
import { DEFAULT_GUEST_CONFIG } from "../../spec/guest/config.js";
import type { DriverAction } from "../../spec/guest/io.js";
import { hostRunnable, hostStep, initialHostState, type HostConfig, type HostState } from "../../spec/host/host.js";
import type { HostInput, HostOutput } from "../../spec/host/interface.js";
import type { HostProfileName } from "../../spec/host/profiles.js";
import { createEngine, type Expectation } from "../conformance/engine.js";
import { createGuestModel, type GuestEvent, type GuestModelState } from "../conformance/guest-model.js";
import { initialGuestState } from "../../spec/guest/guest.js";
import type { Child } from "./child.js";
import { decodeGuestLine } from "./contract.js";
import type { GuestSession } from "./guest-contract.js";
import { exitText } from "./host-run.js";
import type { SessionResult, Verdict } from "./session.js";

/** Host rules that are not the guest's fault in --any-guest mode (resource limits, a connection id the profile does not listen on). */
const ANY_GUEST_TOLERATED = new Set(["HOST-HC-3", "HOST-HC-6"]);
const SETTLE_LIMIT = 10_000;

export interface GuestRunOptions {
  readonly timeoutMs: number;
  readonly anyGuest: boolean;
  /** Instead of the session's actions: choose one at each quiet point (session generation). */
  readonly choose?: (s: GuestModelState) => DriverAction | undefined;
  /** Rules the host applied (coverage). */
  readonly rules?: Set<string>;
}

export const runGuestSession = async (child: Child, profile: HostProfileName, session: GuestSession, opts: GuestRunOptions): Promise<SessionResult & { actions: DriverAction[] }> => {
  const hostConfig: HostConfig = { profile, devices: session.devices, vcpuCount: session.vcpus };
  const guestConfig = DEFAULT_GUEST_CONFIG;
  const model = createGuestModel(guestConfig);
  const engine = createEngine<GuestModelState, GuestEvent>(model, [{ g: initialGuestState(guestConfig), why: [] }], { maxStates: 256, maxSilentDepth: 0 });
  let h: HostState = initialHostState(hostConfig);
  const taken: DriverAction[] = [];
  let steps = 0;
  let step = -1;
  let input: unknown = { kind: "restart" };
  let truncated = false;

  const host = (i: HostInput): readonly HostOutput[] => {
    const r = hostStep(hostConfig, h, i);
    h = r.state;
    const out = [...r.outputs];
    for (let n = 0; n < SETTLE_LIMIT && hostRunnable(hostConfig, h); n++) {
      const rr = hostStep(hostConfig, h, { kind: "run" });
      h = rr.state;
      out.push(...rr.outputs);
    }
    for (const o of out) if ((o.kind === "rejected" || o.kind === "defect") && opts.rules) opts.rules.add(o.rule);
    return out;
  };
  const expectedNow = (): { expected: Expectation[]; rules: string[] } => {
    const m = new Map<string, Set<string>>();
    for (const s of engine.states()) for (const e of model.expected(s)) m.set(e.description, new Set([...(m.get(e.description) ?? []), ...e.rules]));
    const expected = [...m].map(([description, rs]) => ({ description, rules: [...rs].sort() }));
    return { expected, rules: [...new Set(expected.flatMap((e) => e.rules))].sort() };
  };
  const fail = (kind: Verdict["kind"], observed: string, detail?: string, over?: { expected: Expectation[]; rules: string[] }): SessionResult & { actions: DriverAction[] } => {
    const { expected, rules } = over ?? expectedNow();
    return { ok: false, steps, actions: taken, verdict: { kind, step, input, observed, expected, rules, inconclusive: truncated, ...(detail ? { detail } : {}) } };
  };
  const observe = (e: GuestEvent, line: string): ReturnType<typeof fail> | undefined => {
    if (opts.anyGuest) return undefined;
    const o = engine.observe(e);
    truncated ||= o.truncated;
    return o.ok ? undefined : fail("divergence", line, undefined, { expected: [...o.expected], rules: [...o.rules] });
  };

  // Read guest lines until idle, answering each hypercall with the spec host's status.
  const untilIdle = async (): Promise<ReturnType<typeof fail> | undefined> => {
    let deadline = performance.now() + opts.timeoutMs;
    for (;;) {
      const r = await child.next(deadline);
      if (r.kind === "timeout") return fail("hang", `no idle within ${opts.timeoutMs} ms`);
      if (r.kind === "exit") return fail("crash", `the implementation exited (${exitText(r)})`, child.stderrTail() || undefined);
      if (r.kind === "tooLong") return fail("garbage", `line ${r.lineNo}: longer than 1 MiB`);
      const d = decodeGuestLine(r.text, r.lineNo);
      if (!d.ok) return fail("garbage", d.error);
      const v = d.value;
      const line = `line ${r.lineNo}: ${r.text}`;
      if (v.kind === "log") continue;
      if (v.kind === "hello" || v.kind === "error") return fail("garbage", `line ${r.lineNo}: unexpected ${v.kind}`);
      if (v.kind === "idle") return observe({ kind: "idle" }, line);
      const out =
        v.kind === "post"
          ? host({ kind: "postMessage", connectionId: v.connectionId, messageType: v.messageType, payloadSize: v.payloadSize, payload: v.payload })
          : host({ kind: "signalEvent", connectionId: v.connectionId, flagNumber: v.flagNumber });
      const st = out.find((o) => o.kind === "hypercallStatus");
      const status = st && st.kind === "hypercallStatus" ? st.status : 3;
      const bad = observe(v.kind === "post" ? { ...v, status } : { ...v, status }, line);
      if (bad) return bad;
      if (opts.anyGuest) {
        const rules = out.flatMap((o) => ((o.kind === "rejected" || o.kind === "defect") && !ANY_GUEST_TOLERATED.has(o.rule) ? [o.rule] : []));
        if (rules.length > 0) return fail("divergence", line, undefined, { expected: [{ description: "a post the spec host accepts", rules }], rules });
      }
      child.send(JSON.stringify({ kind: "status", status }));
      deadline = performance.now() + opts.timeoutMs;
    }
  };

  child.send(JSON.stringify({ kind: "restart", vcpus: session.vcpus, devices: session.devices }));
  let bad = await untilIdle();
  if (bad) return bad;
  let k = 0;
  for (;;) {
    steps++;
    const msg = h.inFlight;
    if (msg) {
      step = taken.length;
      input = { kind: "message", payloadSize: msg.payloadSize, payload: msg.bytes };
      child.send(JSON.stringify(input));
      const e: GuestEvent = { kind: "message", payloadSize: msg.payloadSize, payload: msg.bytes };
      host({ kind: "deliveryResult", result: "delivered" });
      bad = observe(e, "(message delivered)") ?? (await untilIdle());
      if (bad) return bad;
      continue;
    }
    const action = opts.choose ? opts.choose(engine.states()[0]!) : session.actions[k++];
    if (!action) break;
    taken.push(action);
    step = taken.length - 1;
    input = { kind: "driver", action };
    child.send(JSON.stringify(input));
    bad = observe({ kind: "driver", action }, "(driver action)") ?? (await untilIdle());
    if (bad) return bad;
    if (steps > 100_000) break;
  }
  return { ok: true, steps, actions: taken };
};
