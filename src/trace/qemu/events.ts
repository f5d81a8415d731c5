/**
 * QEMU's VMBus trace events as the log trace backend prints them (QEMU hw/hyperv/trace-events):
 * one grammar per event, derived from the same table the spec host prints with
 * (spec/host/trace.ts QEMU_TRACE_EVENTS), so the parser and the formatter cannot drift apart.
 * A parsed event keeps its arguments as the canonical text the formatter prints (numbers
 * normalised), so comparing an observed line with a spec line is comparing strings.
 */
import { QEMU_TRACE_EVENTS } from "../../../spec/host/trace.js";

export interface QemuEvent {
  readonly name: string;
  /** Arguments in the event's order, normalised ("0x00ff" -> "ff", "+1" -> "1"). */
  readonly args: readonly string[];
}

export type ParsedEvent =
  | { readonly ok: true; readonly event: QemuEvent; readonly extra: string }
  | { readonly ok: false; readonly error: string };

const ARG_PATTERN: Readonly<Record<string, string>> = {
  d32: "([-+]?[0-9]+)",
  u16: "([0-9]+)",
  x64: "([0-9a-fA-F]+)",
  ptr: "(\\S+)",
};

interface Grammar {
  readonly kinds: readonly string[];
  readonly re: RegExp;
  readonly format: string;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const GRAMMARS: ReadonlyMap<string, Grammar> = new Map(
  Object.entries(QEMU_TRACE_EVENTS).map(([name, ev]) => {
    const parts = ev.format.split("%s");
    let src = "";
    parts.forEach((p, i) => {
      src += escapeRe(p).replace(/ /g, " +");
      if (i < ev.args.length) src += ARG_PATTERN[ev.args[i]!];
    });
    // Anything after the known fields (a newer QEMU's extra arguments) is kept as `extra`.
    return [name, { kinds: ev.args, re: new RegExp(`^${src}(.*)$`), format: ev.format }];
  }),
);

export const isQemuEventName = (name: string): boolean => GRAMMARS.has(name);

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

const normalise = (kind: string, text: string): { ok: true; value: string } | { ok: false; error: string } => {
  if (kind === "ptr") return { ok: true, value: text };
  if (kind === "x64") {
    const t = text.replace(/^0+(?=.)/, "").toLowerCase();
    if (t.length > 16) return { ok: false, error: `0x${text} does not fit in 64 bits` };
    return { ok: true, value: t };
  }
  if (text.replace(/^[-+]?0*/, "").length > 11) return { ok: false, error: `${text} is not a 32-bit number` };
  const n = Number(text);
  if (kind === "u16" ? n < 0 || n > 0xffff : n < INT32_MIN || n > INT32_MAX)
    return { ok: false, error: `${text} is out of range for ${kind === "u16" ? "a 16-bit" : "a 32-bit signed"} argument` };
  return { ok: true, value: String(n) };
};

/** Parse `<args>` of event `name` (the text after the event name and its separating space). */
export const parseEventArgs = (name: string, rest: string): ParsedEvent => {
  const g = GRAMMARS.get(name);
  if (!g) return { ok: false, error: `unknown event ${name}` };
  const m = g.re.exec(rest);
  if (!m) return { ok: false, error: `${name}: expected '${g.format}', got '${rest}'` };
  const args: string[] = [];
  for (let i = 0; i < g.kinds.length; i++) {
    const r = normalise(g.kinds[i]!, m[i + 1]!);
    if (!r.ok) return { ok: false, error: `${name}: argument ${i + 1}: ${r.error}` };
    args.push(r.value);
  }
  return { ok: true, event: { name, args }, extra: (m[g.kinds.length + 1] ?? "").trim() };
};

/** The event as the spec's formatter prints it (no trailing space). */
export const formatEvent = (e: QemuEvent): string => {
  const g = GRAMMARS.get(e.name);
  if (!g || g.format === "") return e.name;
  let i = 0;
  const body = g.format.replace(/%s/g, () => e.args[i++] ?? "");
  return `${e.name} ${body}`;
};

export const sameEvent = (a: QemuEvent, b: QemuEvent): boolean =>
  a.name === b.name && a.args.length === b.args.length && a.args.every((x, i) => x === b.args[i]);

export const argNumber = (e: QemuEvent, i: number): number => Number(e.args[i] ?? "0");
