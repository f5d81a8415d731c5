/**
 * Drive one host-role session through an implementation and judge every line it prints with
 * the conformance engine (src/conformance) over the host model. Crash, hang and garbage are
 * verdicts too, each with the step that caused it.
 */
import { initialHostState, type HostConfig } from "../../spec/host/host.js";
import type { HostProfileName } from "../../spec/host/profiles.js";
import { createEngine, type EngineLimits, type Engine, type Expectation } from "../conformance/engine.js";
import { createHostModel, type HostEvent, type HostModelState } from "../conformance/host-model.js";
import type { Child, Read } from "./child.js";
import { CONTRACT_VERSION, decodeHostLine, type Role } from "./contract.js";
import type { HostSession, SessionResult, Verdict } from "./session.js";

export const DEFAULT_ENGINE_LIMITS: EngineLimits = { maxStates: 256, maxSilentDepth: 64 };

export type HandshakeResult = { ok: true; name: string } | { ok: false; message: string };

/** Send hello and read the implementation's hello: anything else is a contract error. */
export const handshake = async (child: Child, role: Role, profile: string, timeoutMs: number): Promise<HandshakeResult> => {
  child.send(JSON.stringify({ kind: "hello", contract: CONTRACT_VERSION, role, profile }));
  // Starting an interpreter can take longer than one step: the hello gets at least 10 s.
  const wait = Math.max(timeoutMs, 10_000);
  const deadline = performance.now() + wait;
  for (;;) {
    const r = await child.next(deadline);
    if (r.kind === "timeout") return { ok: false, message: `no hello within ${wait} ms` };
    if (r.kind === "exit") return { ok: false, message: `the implementation exited (${exitText(r)}) before its hello${child.stderrTail() ? `: ${child.stderrTail()}` : ""}` };
    if (r.kind === "tooLong") return { ok: false, message: `line ${r.lineNo}: longer than 1 MiB` };
    const d = decodeHostLine(r.text, r.lineNo);
    if (!d.ok) return { ok: false, message: d.error };
    if (d.value.kind === "log") continue;
    if (d.value.kind === "error") return { ok: false, message: `the implementation refused the hello: ${d.value.message}` };
    if (d.value.kind !== "hello") return { ok: false, message: `line ${r.lineNo}: expected hello, got ${d.value.kind}` };
    if (d.value.contract !== CONTRACT_VERSION) return { ok: false, message: `line ${r.lineNo}: contract ${d.value.contract}, the verifier speaks contract ${CONTRACT_VERSION}` };
    if (d.value.role !== role) return { ok: false, message: `line ${r.lineNo}: role ${d.value.role}, expected ${role}` };
    return { ok: true, name: d.value.name ?? "implementation" };
  }
};

export const exitText = (r: Extract<Read, { kind: "exit" }>): string => (r.signal ? `signal ${r.signal}` : `exit status ${r.code}`);

const expectedOf = <S, E>(model: { expected(s: S): readonly Expectation[] }, engine: Engine<S, E>): { expected: Expectation[]; rules: string[] } => {
  const m = new Map<string, Set<string>>();
  for (const s of engine.states()) for (const e of model.expected(s)) m.set(e.description, new Set([...(m.get(e.description) ?? []), ...e.rules]));
  const expected = [...m].map(([description, rs]) => ({ description, rules: [...rs].sort() }));
  return { expected, rules: [...new Set(expected.flatMap((e) => e.rules))].sort() };
};

export interface RunOptions {
  readonly timeoutMs: number;
  /** The session's lines were already sent (the caller pipelines sessions). */
  readonly alreadySent?: boolean;
  readonly limits?: EngineLimits;
}

export const hostConfigOf = (profile: HostProfileName, s: HostSession): HostConfig => ({ profile, devices: s.devices, vcpuCount: s.vcpus });

/** Every line of a session: the restart, then the inputs. */
export const sendHostSession = (child: Child, session: HostSession): void =>
  child.send([JSON.stringify({ kind: "restart", vcpus: session.vcpus, devices: session.devices }), ...session.inputs.map((i) => JSON.stringify(i))].join("\n"));

export const runHostSession = async (child: Child, profile: HostProfileName, session: HostSession, opts: RunOptions): Promise<SessionResult> => {
  const config = hostConfigOf(profile, session);
  const model = createHostModel(config);
  const engine = createEngine<HostModelState, HostEvent>(model, [{ h: initialHostState(config), pending: [], why: [] }], opts.limits ?? DEFAULT_ENGINE_LIMITS);
  let truncated = false;

  const fail = (step: number, input: unknown, kind: Verdict["kind"], observed: string, detail?: string): SessionResult => {
    const { expected, rules } = expectedOf(model, engine);
    return { ok: false, steps: step + 1, verdict: { kind, step, input, observed, expected, rules, inconclusive: truncated, ...(detail ? { detail } : {}) } };
  };

  // Read lines until idle; a verdict ends the session.
  const readStep = async (step: number, input: unknown): Promise<SessionResult | undefined> => {
    const deadline = performance.now() + opts.timeoutMs;
    for (;;) {
      const r = await child.next(deadline);
      if (r.kind === "timeout") return fail(step, input, "hang", `no idle within ${opts.timeoutMs} ms`);
      if (r.kind === "exit") return fail(step, input, "crash", `the implementation exited (${exitText(r)})`, child.stderrTail() || undefined);
      if (r.kind === "tooLong") return fail(step, input, "garbage", `line ${r.lineNo}: longer than 1 MiB`);
      const d = decodeHostLine(r.text, r.lineNo);
      if (!d.ok) return fail(step, input, "garbage", d.error);
      const v = d.value;
      if (v.kind === "log") continue;
      if (v.kind === "hello" || v.kind === "error") return fail(step, input, "garbage", `line ${r.lineNo}: unexpected ${v.kind}${v.kind === "error" ? `: ${v.message}` : ""}`);
      const o = engine.observe(v);
      truncated ||= o.truncated;
      if (!o.ok) {
        return { ok: false, steps: step + 1, verdict: { kind: "divergence", step, input, observed: `line ${r.lineNo}: ${r.text}`, expected: o.expected, rules: o.rules, inconclusive: o.truncated } };
      }
      if (v.kind === "idle") return undefined;
    }
  };

  // The inputs do not depend on the answers, so the whole session is sent at once (pipelined);
  // each step's deadline starts when the previous step's idle arrived.
  if (!opts.alreadySent) sendHostSession(child, session);
  const first = await readStep(-1, { kind: "restart" });
  if (first) return first;
  for (const [i, input] of session.inputs.entries()) {
    const o = engine.observe({ kind: "input", input });
    if (!o.ok) return fail(i, input, "divergence", "(the verifier's input met a spec that is not quiescent: a verifier bug)");
    const r = await readStep(i, input);
    if (r) return r;
  }
  return { ok: true, steps: session.inputs.length + 1 };
};
