/**
 * io-ts codecs for host-reducer inputs (spec/host/interface.ts HostInput) as JSON: shared by
 * the `vmbus-spec host` script reader (src/cli/commands/host.ts) and the host conformance
 * vectors (src/vectors/host.ts, docs/vectors.md), so both accept exactly the same shapes.
 */
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import { encodeMessage, validateMessage } from "../../spec/wire/codec.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import type { HostInput } from "../../spec/host/interface.js";
import { decodeMessageJson, MessageJson } from "./messages.js";
import { closed, formatErrors, Guid, Hex, U16, U32 } from "./primitives.js";

export const DeviceJson = closed(
  "Device",
  {
    name: t.string,
    interfaceType: Guid,
    interfaceInstance: Guid,
    subChannels: U16,
    channelFlags: U16,
    mmioMegabytes: U16,
    openResult: t.keyof({ ok: null, fail: null }),
  },
);

const Run = closed("run", { kind: t.literal("run") });
const DeliveryResult = closed("deliveryResult", { kind: t.literal("deliveryResult"), result: t.keyof({ delivered: null, slotBusy: null, fatal: null }) });
const SignalEvent = closed("signalEvent", { kind: t.literal("signalEvent"), connectionId: U32, flagNumber: U16 }, { interruptPageBits: t.array(U32) });
const DeviceAdded = closed("deviceAdded", { kind: t.literal("deviceAdded"), device: DeviceJson });
const RescindChannel = closed("rescindChannel", { kind: t.literal("rescindChannel"), relid: U32 });
const DeviceSignal = closed("deviceSignal", { kind: t.literal("deviceSignal"), relid: U32 });
const Reset = closed("reset", { kind: t.literal("reset") });

/** A HostInput exactly as the reducer takes it (every field explicit): the vectors' `input`. */
export const HostInputJson = t.union([
  closed("postMessage", { kind: t.literal("postMessage"), connectionId: U32, messageType: U32, payloadSize: U32, payload: Hex }),
  Run,
  DeliveryResult,
  SignalEvent,
  DeviceAdded,
  RescindChannel,
  DeviceSignal,
  Reset,
]);

const GUEST_OPTIONAL = { connectionId: U32, payloadSize: U32 };
/** A `guest` line's envelope; its message is decoded on its own so errors name the message's fields. */
const GuestEnvelope = closed("guest", { kind: t.literal("guest"), message: t.unknown }, GUEST_OPTIONAL);

/**
 * One line of a `vmbus-spec host` script: a HostInput with defaults, or `guest` / `settle`.
 * (A `guest` message must also satisfy the spec's cross-field rules, validateMessage.)
 */
export const ScriptLineJson = t.union([
  closed("postMessage", { kind: t.literal("postMessage"), connectionId: U32, payload: Hex }, { payloadSize: U32, messageType: U32 }),
  closed("guest", { kind: t.literal("guest"), message: MessageJson }, GUEST_OPTIONAL),
  Run,
  closed("settle", { kind: t.literal("settle") }),
  DeliveryResult,
  SignalEvent,
  DeviceAdded,
  RescindChannel,
  DeviceSignal,
  Reset,
]);

export type ScriptStep = HostInput | { readonly kind: "settle" };
export const SCRIPT_KINDS = ["postMessage", "guest", "run", "settle", "deliveryResult", "signalEvent", "deviceAdded", "rescindChannel", "deviceSignal", "reset"];

/** A parsed script value -> a step (guest messages encoded, defaults filled), or error lines prefixed with `at`. */
export const decodeScriptStep = (json: unknown, at: string): { ok: true; value: ScriptStep } | { ok: false; errors: string[] } => {
  const kind = typeof json === "object" && json !== null ? (json as { kind?: unknown }).kind : undefined;
  if (typeof kind !== "string" || !SCRIPT_KINDS.includes(kind)) return { ok: false, errors: [`${at}: kind: expected one of ${SCRIPT_KINDS.join(", ")}, got ${JSON.stringify(kind) ?? "nothing"}`] };
  // Decode against the member for this kind only, so errors name that member's fields.
  const member = kind === "guest" ? GuestEnvelope : ScriptLineJson.types[SCRIPT_KINDS.indexOf(kind)]!;
  const r = (member as t.Type<unknown>).decode(json);
  if (isLeft(r)) return { ok: false, errors: formatErrors(`${at}: ${kind}`, r.left) };
  const v = r.right as Record<string, unknown>;
  if (kind === "guest") {
    const m = decodeMessageJson(v.message, `${at}: guest.message`);
    if (!m.ok) return { ok: false, errors: m.errors.map((e) => (e.startsWith(at) ? e : `${at}: guest.message.${e}`)) };
    const valid = validateMessage(m.value);
    if (!valid.ok) return { ok: false, errors: [`${at}: guest.message: ${valid.error.message}`] };
    const bytes = encodeMessage(valid.value);
    return {
      ok: true,
      value: { kind: "postMessage", connectionId: (v.connectionId as number | undefined) ?? 1, messageType: 1, payloadSize: (v.payloadSize as number | undefined) ?? bytes.length, payload: bytesToHex(bytes) },
    };
  }
  if (kind === "postMessage")
    return {
      ok: true,
      value: { kind: "postMessage", connectionId: v.connectionId as number, messageType: (v.messageType as number | undefined) ?? 1, payloadSize: (v.payloadSize as number | undefined) ?? (v.payload as string).length / 2, payload: v.payload as string },
    };
  return { ok: true, value: v as unknown as ScriptStep };
};

/** One script line (text) -> a step, or error lines naming the line and the bad field. */
export const parseScriptLine = (text: string, lineNo: number): { ok: true; value: ScriptStep } | { ok: false; errors: string[] } => {
  const at = `line ${lineNo}`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`${at}: bad JSON: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`] };
  }
  return decodeScriptStep(json, at);
};
