/**
 * One step's verdict: the implementation's exit, stdout lines and image file against what the
 * spec does (oracle.ts). The first difference found is the divergence, with the rule IDs that
 * decide it. Crashes, hangs, garbage on stdout and refused invocations are verdicts too.
 */
import { CONTROL_OFFSETS, CONTROL_PAGE_SIZE } from "../../../spec/ring/state.js";
import type { Expected, Json } from "./oracle.js";
import { decodeLine } from "./output.js";
import type { ImplResult } from "./process.js";
import type { Step } from "./session.js";

export type DivergenceKind = "output" | "exit" | "image" | "crash" | "hang" | "garbage" | "contract";

export interface Divergence {
  readonly kind: DivergenceKind;
  /** Index of the step in the session (0 = init). */
  readonly stepIndex: number;
  readonly step: Step;
  /** One line saying what differs. */
  readonly what: string;
  /** What the spec does there, and what the implementation did (JSON values or short text). */
  readonly spec: unknown;
  readonly impl: unknown;
  readonly rules: readonly string[];
  /** The implementation's stderr (first lines), when it says something. */
  readonly stderr: string;
}

type Diff = { readonly path: string; readonly spec: unknown; readonly impl: unknown };

/** First difference between two JSON values (`message` fields are free text and skipped). */
export const firstDiff = (spec: unknown, impl: unknown, path: string): Diff | null => {
  if (Array.isArray(spec) && Array.isArray(impl)) {
    for (let i = 0; i < Math.max(spec.length, impl.length); i++) {
      if (i >= spec.length || i >= impl.length) return { path: `${path}[${i}]`, spec: spec[i] ?? "(nothing)", impl: impl[i] ?? "(nothing)" };
      const d = firstDiff(spec[i], impl[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (typeof spec === "object" && spec !== null && typeof impl === "object" && impl !== null && !Array.isArray(spec) && !Array.isArray(impl)) {
    const s = spec as Record<string, unknown>;
    const m = impl as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(s), ...Object.keys(m)])].filter((k) => k !== "message");
    // The discriminating fields first, so that "written vs full" is reported as such.
    const order = ["outcome", "fault", "stop", ...keys.filter((k) => k !== "outcome" && k !== "fault" && k !== "stop")].filter((k) => keys.includes(k));
    for (const k of order) {
      if (!(k in s)) return { path: `${path}.${k}`, spec: "(absent)", impl: m[k] };
      if (!(k in m)) return { path: `${path}.${k}`, spec: s[k], impl: "(absent)" };
      const d = firstDiff(s[k], m[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return Object.is(spec, impl) ? null : { path, spec, impl };
};

const leaf = (path: string): string => path.replace(/\[\d+\]/g, "").split(".").pop() ?? "";
const ruleOf = (x: unknown): string[] => (typeof x === "object" && x !== null && typeof (x as Json).rule === "string" ? [(x as Json).rule as string] : []);
const kindOf = (x: unknown): string => {
  if (typeof x !== "object" || x === null) return "none";
  const o = x as Json;
  return "outcome" in o ? String(o.outcome) : "stop" in o ? "incomplete" : "fault" in o ? "fault" : "packet";
};

/** The rules that decide a difference in one output line. */
const lineRules = (op: Step["op"], d: Diff, spec: unknown, impl: unknown): string[] => {
  const f = leaf(d.path);
  const both = [...ruleOf(spec), ...ruleOf(impl)];
  if (op === "init") return ["RING-GEOM-1"];
  if (op === "write") {
    if (kindOf(spec) !== kindOf(impl)) return [...new Set([...(["written", "full"].includes(kindOf(spec)) || ["written", "full"].includes(kindOf(impl)) ? ["RING-WRITE-1"] : []), ...both])];
    if (f === "signal") return ["RING-WRITE-6"];
    if (f === "writeIndexAfter" || f === "bytes") return ["RING-WRITE-4"];
    if (f === "needed" || f === "available" || f === "writeIndexBefore") return ["RING-WRITE-1"];
    return ruleOf(spec);
  }
  // read lines and show packets
  if (kindOf(spec) !== kindOf(impl) || f === "stop" || f === "fault") {
    const r = new Set(both);
    if (kindOf(spec) === "incomplete" || kindOf(impl) === "incomplete") r.add("RING-READ-6");
    if (r.size === 0) r.add("RING-READ-2");
    return [...r];
  }
  if (f === "signal") return ["RING-READ-4"];
  if (f === "start" || f === "next") return ["RING-READ-2"];
  if (f === "offset8") return ["RING-PKT-2", "RING-PKT-3"];
  if (f === "len8" || f === "payload") return ["RING-PKT-4", "RING-READ-6"];
  if (f === "ranges" || f === "byteCount" || f === "byteOffset" || f === "pfns" || f === "reserved" || f === "transferPageSetId" || f === "senderOwnsSet") return ["RING-PKT-6", "RING-PKT-7", "RING-PKT-8"];
  if (d.path.includes(".control")) return [];
  return ruleOf(spec).length > 0 ? ruleOf(spec) : ["RING-READ-2"];
};

const u32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const hexAt = (b: Uint8Array, o: number, n: number): string => Buffer.from(b.subarray(o, Math.min(b.length, o + n))).toString("hex");

/** The first byte where two images differ, named (control field or data offset) with its rules. */
const imageDiff = (op: Step["op"], exp: Expected, spec: Uint8Array, impl: Uint8Array): { what: string; spec: unknown; impl: unknown; rules: string[] } | null => {
  if (spec.length !== impl.length) return { what: `the image file is ${impl.length} bytes, the spec's ${spec.length}`, spec: spec.length, impl: impl.length, rules: [] };
  let o = 0;
  while (o < spec.length && spec[o] === impl[o]) o++;
  if (o === spec.length) return null;
  if (o < CONTROL_PAGE_SIZE) {
    const field = (Object.entries(CONTROL_OFFSETS) as [string, number][]).find(([, at]) => o >= at && o < at + 4);
    if (!field) return { what: `control page byte ${o} differs`, spec: spec[o], impl: impl[o], rules: [] };
    const [name, at] = field;
    const rules =
      name === "pendingSendSize" ? ["RING-WRITE-7"] : name === "writeIndex" && op === "write" ? ["RING-WRITE-1", "RING-WRITE-4"] : name === "readIndex" && op === "read" ? ["RING-READ-2"] : [];
    return { what: `control field ${name} in the image`, spec: u32(spec, at), impl: u32(impl, at), rules };
  }
  const size = spec.length - CONTROL_PAGE_SIZE;
  const d = o - CONTROL_PAGE_SIZE;
  const bytes = { spec: hexAt(spec, o, 16), impl: hexAt(impl, o, 16) };
  if (op !== "write") return { what: `data byte ${d} (the ${op} changed the data area)`, ...bytes, rules: op === "read" ? ["RING-READ-1"] : [] };
  for (const e of exp.written) {
    const rel = (d - e.start + size) % size;
    if (rel >= e.total) continue;
    const part = rel < 16 ? "descriptor" : rel < e.contentBytes ? "typed header/payload" : rel < e.total - 8 ? "padding" : "trailer";
    return { what: `data byte ${d}: byte ${rel} of the packet written at ${e.start} (${part})`, ...bytes, rules: part === "padding" || part === "trailer" ? ["RING-WRITE-5"] : ["RING-WRITE-4"] };
  }
  return { what: `data byte ${d}, outside every packet the spec writes in this step`, ...bytes, rules: ["RING-WRITE-1"] };
};

const firstLines = (s: string): string =>
  s
    .split("\n")
    .filter((l) => l.trim() !== "")
    .slice(0, 3)
    .join(" | ")
    .slice(0, 300);

/**
 * Compare one step. `image` is the file's content after the step (null: no file). Returns
 * null when the implementation did exactly what the spec does.
 */
export const compareStep = (stepIndex: number, step: Step, exp: Expected, r: ImplResult, image: Uint8Array | null): Divergence | null => {
  const stderr = firstLines(r.stderr);
  const div = (kind: DivergenceKind, what: string, spec: unknown, impl: unknown, rules: readonly string[]): Divergence => ({ kind, stepIndex, step, what, spec, impl, rules, stderr });
  if (step.op === "patch") return null;
  const expectedCode = exp.code ?? 0;
  if (r.spawnError !== null) return div("contract", `the implementation could not be started: ${r.spawnError}`, "a running process", r.spawnError, []);
  if (r.timedOut) return div("hang", "no exit within the per-step timeout", `exit ${expectedCode}`, "still running (killed)", exp.rules);
  if (r.overflow) return div("garbage", "more output than the verifier keeps", "a few JSON lines", "more than 8 MiB", []);
  if (r.code === null || ![0, 1, 2].includes(r.code)) return div("crash", r.code === null ? `killed by ${r.signal}` : `exit code ${r.code}`, `exit ${expectedCode}`, r.code === null ? r.signal : `exit ${r.code}`, exp.rules);
  if (r.code === 2 && expectedCode !== 2) return div("contract", "the implementation refused a valid invocation (exit 2)", `exit ${expectedCode}`, stderr || "exit 2", []);
  const texts = r.stdout.split("\n").filter((l) => l.trim() !== "");
  const actual: Json[] = [];
  for (const [i, t] of texts.entries()) {
    const d = decodeLine(step.op, t);
    if (!d.ok) return div("garbage", `stdout line ${i + 1}: ${d.error}`, "a line of contract 1", t.slice(0, 200), []);
    actual.push(d.value);
  }
  for (let i = 0; i < Math.max(actual.length, exp.lines.length); i++) {
    const s = exp.lines[i];
    const m = actual[i];
    if (s === undefined || m === undefined) {
      const rules = step.op === "write" ? ["RING-WRITE-1"] : step.op === "init" ? ["RING-GEOM-1"] : [...ruleOf(s ?? m), "RING-READ-2"];
      return div("output", `stdout line ${i + 1}: ${s === undefined ? "the spec prints no such line" : "missing"}`, s ?? "(no line)", m ?? "(no line)", [...new Set(rules)]);
    }
    const d = firstDiff(s, m, `line ${i + 1}`);
    if (d) return div("output", `stdout ${d.path}`, d.spec, d.impl, lineRules(step.op, d, s, m));
  }
  if (r.code !== expectedCode) return div("exit", "exit code", expectedCode, r.code, step.op === "init" ? ["RING-GEOM-1"] : exp.rules);
  if (exp.image === null || image === null) {
    if (exp.image !== image) return div("image", exp.image === null ? "the image file exists; the spec creates none" : "the image file is missing", exp.image === null ? "no file" : "a file", image === null ? "no file" : "a file", step.op === "init" ? ["RING-GEOM-1"] : []);
    return null;
  }
  const d = imageDiff(step.op, exp, exp.image, image);
  return d ? div("image", d.what, d.spec, d.impl, d.rules) : null;
};
