/**
 * Checking a Linux tracefs log against the spec's Linux-like guest: stream, parse the hyperv
 * events, feed the engine with a look-ahead window; the first line no guest behaviour explains
 * is the verdict.
 */
import { DEFAULT_GUEST_CONFIG, type GuestConfig } from "../../../spec/guest/config.js";
import { createEngine, type Expectation } from "../../conformance/engine.js";
import { type LogLine, readLines } from "../lines.js";
import type { TraceVerdict } from "../verdict.js";
import type { LinuxEvent } from "./events.js";
import { parseLinuxLine } from "./events.js";
import { createLinuxModel, initialLinuxTraceState, type LinuxObservation, type LinuxTraceState } from "./model.js";

export const LINUX_LOOK_AHEAD = 32;

export interface LinuxCheckOptions {
  readonly config?: GuestConfig;
  readonly maxStates?: number;
  readonly progress?: (bytes: number, lines: number) => void;
  readonly interrupted?: () => boolean;
}

const uniq = (xs: readonly string[]): string[] => [...new Set(xs)];
const dedupe = (xs: readonly Expectation[]): Expectation[] => {
  const m = new Map<string, Expectation>();
  for (const x of xs) {
    const p = m.get(x.description);
    m.set(x.description, p ? { description: x.description, rules: uniq([...p.rules, ...x.rules]) } : x);
  }
  return [...m.values()];
};

export const checkLinuxLog = (path: string, o: LinuxCheckOptions = {}): Promise<TraceVerdict> => checkLinuxLines(readLines(path), o);

export const checkLinuxLines = async (source: AsyncIterable<LogLine> | Iterable<LogLine>, o: LinuxCheckOptions = {}): Promise<TraceVerdict> => {
  const config = o.config ?? DEFAULT_GUEST_CONFIG;
  const model = createLinuxModel(config);
  const limits = { maxStates: o.maxStates ?? 4096, maxSilentDepth: 6 };
  let engine = createEngine<LinuxTraceState, LinuxObservation>(model, [initialLinuxTraceState(config)], limits);
  const warnings: string[] = [];
  const warned = new Set<string>();
  const warnOnce = (k: string, t: string): void => {
    if (!warned.has(k)) (warned.add(k), warnings.push(t));
  };
  const window: { lineNo: number; text: string; event: LinuxEvent }[] = [];
  let events = 0;
  let received = 0;
  let maxStates = 1;
  let truncated = false;
  let lines = 0;
  const observeHead = (): TraceVerdict | undefined => {
    const head = window.shift()!;
    const r = engine.observe({ lineNo: head.lineNo, event: head.event, ahead: window.map((w) => w.event) });
    // Re-root now and then so the engine's witness links do not keep the whole run (memory bound).
    if (r.ok && events % 2048 === 2047) engine = createEngine<LinuxTraceState, LinuxObservation>(model, engine.states(), limits);
    events++;
    if (head.event.name === "vmbus_on_msg_dpc") received++;
    truncated ||= r.truncated;
    maxStates = Math.max(maxStates, r.states);
    if (r.ok) return undefined;
    return { verdict: "rejected", lineNo: head.lineNo, line: head.text, expected: dedupe(r.expected), rules: uniq(r.rules), events: events - 1, truncated, warnings };
  };
  for await (const l of source) {
    lines = l.lineNo;
    if (l.lineNo % 4096 === 0) {
      o.progress?.(l.offset, l.lineNo);
      if (o.interrupted?.()) return { verdict: "interrupted", lineNo: l.lineNo, events, warnings };
    }
    if (l.binary) return { verdict: "badLog", lineNo: l.lineNo, error: "binary data (NUL bytes or invalid UTF-8): not a tracefs trace file", warnings };
    const p = parseLinuxLine(l.text);
    if (l.overlong) {
      if (p.kind === "noise") {
        warnOnce("overlong", `line ${l.lineNo}: longer than 4096 bytes, not a hyperv event: skipped (further such lines skipped silently)`);
        continue;
      }
      return { verdict: "badLog", lineNo: l.lineNo, error: "a hyperv trace line longer than 4096 bytes (garbage or a corrupted log)", warnings };
    }
    if (p.kind === "noise") continue;
    if (p.kind === "unknownEvent") {
      warnOnce(`unknown:${p.name}`, `line ${l.lineNo}: unknown event ${p.name} (not in Linux drivers/hv/hv_trace.h): skipped, and every later one`);
      continue;
    }
    if (p.kind === "malformed") return { verdict: "badLog", lineNo: l.lineNo, error: `${p.error} (truncated line?)`, warnings };
    if (p.extra !== "") warnOnce(`extra:${p.event.name}`, `line ${l.lineNo}: ${p.event.name}: extra text '${p.extra.slice(0, 40)}' after the known fields ignored (a newer kernel?)`);
    window.push({ lineNo: l.lineNo, text: l.text.replace(/\r$/, ""), event: p.event });
    if (window.length > LINUX_LOOK_AHEAD) {
      const v = observeHead();
      if (v) return v;
    }
  }
  while (window.length > 0) {
    const v = observeHead();
    if (v) return v;
  }
  return { verdict: "accepted", events, guestMessages: received, lines, maxStates, truncated, warnings };
};
