/**
 * Checking a QEMU log against the spec host: stream the lines, parse each vmbus event, and
 * feed it to the conformance engine with a small look-ahead window. The first line no spec
 * behaviour explains is the verdict; bad log text stops with one clear message.
 */
import { initialHostState, type HostConfig } from "../../../spec/host/host.js";
import { createEngine, type Expectation } from "../../conformance/engine.js";
import type { TraceVerdict } from "../verdict.js";
import { type LogLine, readLines } from "../lines.js";
import { formatEvent, type QemuEvent } from "./events.js";
import { parseQemuLine } from "./line.js";
import { createQemuModel, initialQemuTraceState, type QemuObservation, sessionOf, type QemuTraceState } from "./model.js";

export const LOOK_AHEAD = 16;
const REROOT_EVERY = 2048;

export interface QemuCheckOptions {
  readonly config: HostConfig;
  readonly resets: boolean;
  readonly compareDevices: boolean;
  readonly keepHistory: boolean;
  readonly maxStates?: number;
  /** Called every few thousand lines with the bytes read so far. */
  readonly progress?: (bytes: number, lines: number) => void;
  /** Polled between lines: true stops the check (Ctrl-C). */
  readonly interrupted?: () => boolean;
}

export type { TraceVerdict };

interface Pending {
  readonly lineNo: number;
  readonly text: string;
  readonly event: QemuEvent;
}

const uniq = (xs: readonly string[]): string[] => [...new Set(xs)];

export const checkQemuLog = (path: string, o: QemuCheckOptions): Promise<TraceVerdict> => checkQemuLines(readLines(path), o);

export const checkQemuLines = async (source: AsyncIterable<LogLine> | Iterable<LogLine>, o: QemuCheckOptions): Promise<TraceVerdict> => {
  const model = createQemuModel({ config: o.config, resets: o.resets, compareDevices: o.compareDevices, keepHistory: o.keepHistory });
  const limits = { maxStates: o.maxStates ?? 4096, maxSilentDepth: 4 };
  let engine = createEngine<QemuTraceState, QemuObservation>(model, [initialQemuTraceState(initialHostState(o.config))], limits);
  const warnings: string[] = [];
  const warned = new Set<string>();
  const warnOnce = (k: string, text: string): void => {
    if (warned.has(k)) return;
    warned.add(k);
    warnings.push(text);
  };
  const window: Pending[] = [];
  let events = 0;
  let guestMessages = 0;
  let maxStates = 1;
  let truncated = false;

  const observeHead = (): TraceVerdict | undefined => {
    const head = window.shift()!;
    const r = engine.observe({ lineNo: head.lineNo, event: head.event, canonical: formatEvent(head.event), ahead: window.map((w) => w.event) });
    // Re-root now and then: the engine keeps parent links for its witness, which this checker
    // does not use (the history lives in the states), so memory stays bounded by the state set.
    if (r.ok && events % REROOT_EVERY === REROOT_EVERY - 1) engine = createEngine<QemuTraceState, QemuObservation>(model, engine.states(), limits);
    events++;
    if (head.event.name === "vmbus_recv_message") guestMessages++;
    truncated ||= r.truncated;
    maxStates = Math.max(maxStates, r.states);
    if (r.ok) return undefined;
    const why = lineRules(head.event);
    return { verdict: "rejected", lineNo: head.lineNo, line: head.text, expected: dedupe([...r.expected, ...why]), rules: uniq([...r.rules, ...why.flatMap((w) => w.rules)]), events: events - 1, truncated, warnings };
  };

  let lines = 0;
  for await (const l of source) {
    lines = l.lineNo;
    if (l.lineNo % 4096 === 0) {
      o.progress?.(l.offset, l.lineNo);
      if (o.interrupted?.()) return { verdict: "interrupted", lineNo: l.lineNo, events, warnings };
    }
    if (l.binary) return { verdict: "badLog", lineNo: l.lineNo, error: "binary data (NUL bytes or invalid UTF-8): not a QEMU trace log", warnings };
    const p = parseQemuLine(l.text);
    if (l.overlong) {
      if (p.kind === "noise") {
        warnOnce("overlong", `line ${l.lineNo}: longer than 4096 bytes, not a vmbus event: skipped (further such lines skipped silently)`);
        continue;
      }
      return { verdict: "badLog", lineNo: l.lineNo, error: "a vmbus trace line longer than 4096 bytes (garbage or a corrupted log)", warnings };
    }
    if (p.kind === "noise") continue;
    if (p.kind === "unknownEvent") {
      warnOnce(`unknown:${p.name}`, `line ${l.lineNo}: unknown event ${p.name} (not in QEMU 7.2-9.x hw/hyperv/trace-events): skipped, and every later one`);
      continue;
    }
    if (p.kind === "malformed") return { verdict: "badLog", lineNo: l.lineNo, error: `${p.error} (truncated line?)`, warnings };
    if (p.extra !== "") warnOnce(`extra:${p.event.name}`, `line ${l.lineNo}: ${p.event.name}: extra text '${p.extra.slice(0, 40)}' after the known arguments ignored (a newer QEMU?)`);
    window.push({ lineNo: l.lineNo, text: l.text.replace(/\r$/, ""), event: p.event });
    if (window.length > LOOK_AHEAD) {
      const v = observeHead();
      if (v) return v;
    }
  }
  while (window.length > 0) {
    const v = observeHead();
    if (v) return v;
  }
  const done = engine.states().filter((s) => s.pending.length === 0);
  if (done.length === 0) {
    const expected = dedupe(engine.states().flatMap((s) => model.expected(s)));
    return { verdict: "rejected", lineNo: lines + 1, line: "(end of log)", expected, rules: uniq(expected.flatMap((e) => e.rules)), events, truncated, warnings };
  }
  const base = { verdict: "accepted" as const, events, guestMessages, lines, maxStates, truncated, warnings };
  return o.keepHistory ? { ...base, session: sessionOf(pickSimplest(done)) } : base;
};

const dedupe = (xs: readonly Expectation[]): Expectation[] => {
  const seen = new Map<string, Expectation>();
  for (const x of xs) {
    const prev = seen.get(x.description);
    seen.set(x.description, prev ? { description: x.description, rules: uniq([...prev.rules, ...x.rules]) } : x);
  }
  return [...seen.values()];
};

/** Prefer the accepted session with the fewest inputs (fewest guesses such as resets). */
const pickSimplest = (xs: readonly QemuTraceState[]): QemuTraceState => {
  let best = xs[0]!;
  let bestLen = Infinity;
  for (const s of xs) {
    let n = 0;
    for (let h = s.history; h; h = h.prev) n++;
    if (n < bestLen) (best = s), (bestLen = n);
  }
  return best;
};

/** Rules a line breaks by itself, whatever the state (QEMU checks these in the hypercall, before tracing). */
const lineRules = (e: QemuEvent): Expectation[] => {
  if (e.name !== "vmbus_recv_message") return [];
  const size = Number(e.args[1]);
  if (size > 240) return [{ description: "a guest post of at most 240 bytes (HvPostMessage fails larger ones before QEMU traces them)", rules: ["HOST-HC-2"] }];
  if (size < 8) return [{ description: "a guest post of at least the 8-byte message header", rules: ["HOST-HC-4"] }];
  return [];
};
