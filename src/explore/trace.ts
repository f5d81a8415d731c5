/**
 * A finding's trace as data (JSON steps), as text, and as a Mermaid sequence diagram.
 */
import { match } from "ts-pattern";
import { describeInput } from "../../spec/system/inputs.js";
import type { SystemOutput } from "../../spec/system/outputs.js";
import { HvStatus } from "../../spec/wire/constants.js";
import { messageTypeName, messageTypeNumber } from "../../spec/wire/messages.js";
import type { TraceStep } from "./bfs.js";

export interface TraceStepJson {
  readonly step: number;
  /** The input kind (driver, guestPost, hostilePost, hostRun, deliver, guestReceive, rescind). */
  readonly input: string;
  readonly description: string;
  /** For a message the guest posts: its type number, payload hex, connection id and status. */
  readonly messageType?: number;
  readonly hex?: string;
  readonly connectionId?: number;
  readonly status?: number;
  /** For a host message posted or delivered in this step. */
  readonly hostMessage?: { readonly messageType: number; readonly hex: string; readonly payloadSize: number };
  /** Guest and host events of note (waits, failures, rejections, defects). */
  readonly notes: readonly string[];
}

const STATUS_NAMES = new Map<number, string>(Object.entries(HvStatus).map(([k, v]) => [v, k]));
export const statusName = (s: number): string => STATUS_NAMES.get(s) ?? `status ${s}`;
export const typeLabel = (n: number): string => `${messageTypeName(n) ?? "UNKNOWN"} (${n})`;

const note = (o: SystemOutput): string | undefined =>
  match(o)
    .with({ source: "guest" }, ({ output: g }) =>
      match(g)
        .with({ kind: "posted" }, () => undefined)
        .with({ kind: "wait" }, (w) => `guest waits for ${w.wait.for}`)
        .with({ kind: "event" }, (e) => `guest: ${e.what}`)
        .with({ kind: "dropped" }, (e) => `guest DROPS host message [${e.rule}]: ${e.reason}`)
        .with({ kind: "ignored" }, (e) => `guest ignores [${e.rule}]: ${e.reason}`)
        .with({ kind: "refused" }, (e) => `guest refuses [${e.rule}]: ${e.reason}`)
        .with({ kind: "failed" }, (e) => `guest: operation failed [${e.rule}]: ${e.reason}`)
        .exhaustive(),
    )
    .with({ source: "host" }, ({ output: h }) =>
      match(h)
        .with({ kind: "defect" }, (d) => `host DEFECT [${d.rule}]: ${d.description}`)
        .with({ kind: "rejected" }, (d) => `host drops [${d.rule}]: ${d.reason}`)
        .with({ kind: "postMessage" }, (p) => `host posts ${p.message.type}`)
        .with({ kind: "channelSignal" }, (p) => `host signals channel ${p.relid}`)
        .with({ kind: "deviceNotify" }, (p) => `device ${p.relid}: ${p.reason}`)
        .with({ kind: "trace" }, { kind: "hypercallStatus" }, () => undefined)
        .exhaustive(),
    )
    .with({ source: "transport" }, ({ event: t }) =>
      match(t)
        .with({ kind: "post" }, () => undefined)
        .with({ kind: "delivered" }, (d) => `slot ← ${typeLabel(d.messageType)}`)
        .with({ kind: "slotBusy" }, (d) => `slot busy: ${typeLabel(d.messageType)} waits (PENDING flag set)`)
        .with({ kind: "slotFreed" }, (d) => (d.eom ? "slot freed, EOM" : undefined))
        .with({ kind: "signal" }, (d) => `HvSignalEvent(connection ${d.connectionId}) -> ${statusName(d.status)}`)
        .with({ kind: "deliveryFailed" }, (d) => `delivery of ${typeLabel(d.messageType)} failed (${d.status}: SynIC message page disabled)`)
        .with({ kind: "synic" }, (d) => `SynIC message page ${d.messagePage ? "enabled" : "disabled"}, SINT ${d.sintMasked ? "masked" : "unmasked"}`)
        .exhaustive(),
    )
    .exhaustive();

export const traceToJson = (trace: readonly TraceStep[]): TraceStepJson[] =>
  trace.map((t, i) => {
    const post = t.outputs.find((o) => o.source === "transport" && o.event.kind === "post");
    const hostPost = t.outputs.find((o) => o.source === "host" && o.output.kind === "postMessage");
    const delivered = t.outputs.find((o) => o.source === "transport" && o.event.kind === "delivered");
    const base: TraceStepJson = {
      step: i + 1,
      input: t.input.kind,
      description: describeInput(t.input),
      notes: t.outputs.map(note).filter((x): x is string => x !== undefined),
    };
    const withPost =
      post && post.source === "transport" && post.event.kind === "post"
        ? { ...base, messageType: post.event.messageType, hex: post.event.payload, connectionId: post.event.connectionId, status: post.event.status }
        : base;
    if (hostPost && hostPost.source === "host" && hostPost.output.kind === "postMessage") {
      const b = hostPost.output.bytes;
      return { ...withPost, hostMessage: { messageType: messageTypeNumber(hostPost.output.message), hex: b, payloadSize: hostPost.output.payloadSize } };
    }
    if (delivered && delivered.source === "transport" && delivered.event.kind === "delivered")
      return { ...withPost, hostMessage: { messageType: delivered.event.messageType, hex: delivered.event.payload, payloadSize: delivered.event.payloadSize } };
    return withPost;
  });

export const traceToText = (steps: readonly TraceStepJson[]): string =>
  steps
    .map((s) => {
      const head =
        s.messageType !== undefined
          ? `${s.step}. ${s.input === "hostilePost" ? s.description : `guest posts ${typeLabel(s.messageType)} to connection ${s.connectionId}`} -> ${statusName(s.status ?? 0)}\n     ${s.hex}`
          : `${s.step}. ${s.description}`;
      return [head, ...s.notes.map((n) => `     ${n}`)].join("\n");
    })
    .join("\n");

const esc = (s: string): string => s.replace(/[;#]/g, " ").replace(/:/g, " -");

/** Shorten a note at a word boundary, marking the cut with "…" (never mid-word). */
export const clip = (text: string, max: number): string => {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(" ", max - 1);
  return `${text.slice(0, cut > max / 2 ? cut : max - 1).trimEnd()}…`;
};

export const traceToMermaid = (steps: readonly TraceStepJson[], verdict: string): string => {
  const lines = ["sequenceDiagram", "  participant G as Guest", "  participant S as SINT-2 slot", "  participant H as Host"];
  for (const s of steps) {
    if (s.messageType !== undefined) lines.push(`  G->>H: ${esc(typeLabel(s.messageType))} conn ${s.connectionId} → ${esc(statusName(s.status ?? 0))}`);
    else if (s.input === "deliver" && s.hostMessage && s.notes.some((n) => n.startsWith("slot ←"))) lines.push(`  H-->>S: ${esc(typeLabel(s.hostMessage.messageType))}`);
    else if (s.input === "deliver") lines.push(`  H--xS: slot busy, PENDING`);
    else if (s.input === "guestReceive") lines.push(`  S-->>G: read${s.notes.includes("slot freed, EOM") ? " + EOM" : ""}`);
    else if (s.input === "hostRun") lines.push(`  Note over H: run${s.hostMessage ? ` posts ${esc(typeLabel(s.hostMessage.messageType))}` : ""}`);
    else lines.push(`  Note over G: ${esc(s.description)}`);
    for (const n of s.notes) if (/DEFECT|DROPS|failed|refuses/.test(n)) lines.push(`  Note over ${n.startsWith("host") ? "H" : "G"}: ${clip(esc(n), 120)}`);
  }
  lines.push(`  Note over G,H: ${clip(esc(verdict), 160)}`);
  return lines.join("\n");
};
