/**
 * The runner contract (docs/verify.md, contract 1): the JSON lines the verifier and an
 * implementation under test exchange on stdin/stdout, as io-ts codecs. Everything an
 * implementation prints is decoded here; unknown kinds and unknown fields are rejected, and an
 * error names the line number and the field path.
 */
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import { DeviceJson } from "../io/host-inputs.js";
import { formatErrors, Hex, U16, U32 } from "../io/primitives.js";

export const CONTRACT_VERSION = 1;
export type Role = "host" | "guest";

/** Closed objects: unknown fields are errors (one definition for every input codec, src/io/primitives.ts). */
export { closed } from "../io/primitives.js";
import { closed } from "../io/primitives.js";

// ---- implementation -> verifier ----

const Hello = closed("hello", { kind: t.literal("hello"), contract: t.number, role: t.keyof({ host: null, guest: null }) }, { name: t.string });
const Idle = closed("idle", { kind: t.literal("idle") });
const Log = closed("log", { kind: t.literal("log"), text: t.string });
const ErrorLine = closed("error", { kind: t.literal("error"), message: t.string });

/** Host role outputs. */
const HypercallStatus = closed("hypercallStatus", { kind: t.literal("hypercallStatus"), status: U32 });
const PostMessageOut = closed("postMessage", { kind: t.literal("postMessage"), bytes: Hex, payloadSize: U32, targetVp: U32, sint: U32 });
const ChannelSignal = closed("channelSignal", { kind: t.literal("channelSignal"), relid: U32, targetVp: U32 });

/** Guest role outputs. */
const GuestPost = closed("post", { kind: t.literal("post"), connectionId: U32, messageType: U32, payloadSize: U32, payload: Hex });
const GuestSignal = closed("signal", { kind: t.literal("signal"), connectionId: U32, flagNumber: U16 });

const COMMON = { hello: Hello, idle: Idle, log: Log, error: ErrorLine } as const;
const HOST_OUT = { ...COMMON, hypercallStatus: HypercallStatus, postMessage: PostMessageOut, channelSignal: ChannelSignal } as const;
const GUEST_OUT = { ...COMMON, post: GuestPost, signal: GuestSignal } as const;

export type HelloLine = t.TypeOf<typeof Hello>;
export type HostOutLine =
  | HelloLine
  | t.TypeOf<typeof Idle>
  | t.TypeOf<typeof Log>
  | t.TypeOf<typeof ErrorLine>
  | t.TypeOf<typeof HypercallStatus>
  | t.TypeOf<typeof PostMessageOut>
  | t.TypeOf<typeof ChannelSignal>;
export type GuestOutLine = HelloLine | t.TypeOf<typeof Idle> | t.TypeOf<typeof Log> | t.TypeOf<typeof ErrorLine> | t.TypeOf<typeof GuestPost> | t.TypeOf<typeof GuestSignal>;

/** Host-role observations the engine sees (everything but hello/log/error). */
export type HostObservation = Extract<HostOutLine, { kind: "hypercallStatus" | "postMessage" | "channelSignal" | "idle" }>;
export type GuestObservation = Extract<GuestOutLine, { kind: "post" | "signal" | "idle" }>;

export type LineResult<T> = { ok: true; value: T } | { ok: false; error: string };

const decodeWith = <T>(table: Readonly<Record<string, t.Decoder<unknown, unknown>>>, text: string, lineNo: number): LineResult<T> => {
  const at = `line ${lineNo}`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${at}: not JSON: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}: ${JSON.stringify(text.slice(0, 80))}` };
  }
  const kind = typeof json === "object" && json !== null && !Array.isArray(json) ? (json as { kind?: unknown }).kind : undefined;
  const codec = typeof kind === "string" && Object.hasOwn(table, kind) ? table[kind] : undefined;
  if (!codec) return { ok: false, error: `${at}: kind: expected one of ${Object.keys(table).join(", ")}, got ${JSON.stringify(kind) ?? "nothing"}` };
  const r = codec.decode(json);
  if (isLeft(r)) return { ok: false, error: formatErrors(`${at}: ${kind as string}`, r.left).join("; ") };
  return { ok: true, value: r.right as T };
};

export const decodeHostLine = (text: string, lineNo: number): LineResult<HostOutLine> => decodeWith<HostOutLine>(HOST_OUT, text, lineNo);
export const decodeGuestLine = (text: string, lineNo: number): LineResult<GuestOutLine> => decodeWith<GuestOutLine>(GUEST_OUT, text, lineNo);

// ---- verifier -> implementation (decoded by the spec's own serve mode) ----

export const HelloIn = closed("hello", { kind: t.literal("hello"), contract: t.number, role: t.keyof({ host: null, guest: null }), profile: t.string });
export const RestartHost = closed("restart", { kind: t.literal("restart"), vcpus: U32, devices: t.array(DeviceJson) });
export { DeviceJson };
