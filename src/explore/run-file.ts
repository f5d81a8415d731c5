/**
 * Run files: a check configuration plus a recorded run (inputs and the bytes of every message),
 * as JSON. Decoded with io-ts; errors name the path of the bad field.
 */
import * as t from "io-ts";
import type { SystemInput } from "../../spec/system/inputs.js";
import type { RunStep } from "../../spec/system/run.js";
import { Hex, U32, exactly, exactlyWith, formatErrors } from "../io/primitives.js";
import type { CheckOptions } from "./check.js";

export const RUN_FORMAT = "vmbus-spec-run";
export const RUN_FORMAT_VERSION = 1;

const Count = (max: number) =>
  new t.Type<number, number, unknown>(
    `integer 0..${max}`,
    (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= 0 && u <= max,
    (u, c) => (typeof u === "number" && Number.isInteger(u) && u >= 0 && u <= max ? t.success(u) : t.failure(u, c)),
    t.identity,
  );

const DriverActionJson = t.union([
  exactly({ kind: t.literal("openChannel"), relid: U32, sendPages: U32, recvPages: U32 }, "openChannel"),
  exactly({ kind: t.literal("closeChannel"), relid: U32 }, "closeChannel"),
  exactly({ kind: t.literal("createGpadl"), relid: U32, pages: U32 }, "createGpadl"),
  exactly({ kind: t.literal("teardownGpadl"), gpadl: U32 }, "teardownGpadl"),
  exactly({ kind: t.literal("modifyChannel"), relid: U32, targetVp: U32 }, "modifyChannel"),
  exactly({ kind: t.literal("unload") }, "unload"),
], "DriverAction (kind: openChannel | closeChannel | createGpadl | teardownGpadl | modifyChannel | unload)");

export const SystemInputJson = t.union([
  exactly({ kind: t.literal("driver"), action: DriverActionJson }, "driver"),
  exactly({ kind: t.literal("guestPost"), lane: U32 }, "guestPost"),
  exactly({ kind: t.literal("hostilePost"), label: t.string, connectionId: U32, payloadSize: U32, payload: Hex }, "hostilePost"),
  exactly({ kind: t.literal("hostRun") }, "hostRun"),
  exactly({ kind: t.literal("deliver") }, "deliver"),
  exactly({ kind: t.literal("guestReceive") }, "guestReceive"),
  exactly({ kind: t.literal("guestSignal"), relid: U32 }, "guestSignal"),
  exactly({ kind: t.literal("rescind"), relid: U32 }, "rescind"),
  exactly({ kind: t.literal("guestCrash") }, "guestCrash"),
  exactly({ kind: t.literal("kdumpBoot") }, "kdumpBoot"),
  exactly({ kind: t.literal("hostileSynic"), action: t.keyof({ disableMessagePage: null, enableMessagePage: null, maskSint: null, unmaskSint: null }, "hostileSynic") }),
], "SystemInput (kind: driver | guestPost | hostilePost | hostRun | deliver | guestReceive | guestSignal | rescind | guestCrash | kdumpBoot | hostileSynic)");

const RunMessageJson = exactlyWith(
  { direction: t.keyof({ guestToHost: null, hostToGuest: null }), messageType: U32, payloadSize: U32, hex: Hex },
  { connectionId: U32, status: U32 },
  "RunMessage",
);

export const CheckJson = exactlyWith(
  { profile: t.keyof({ strict: null, qemu: null, openvmm: null }), channels: Count(16), gpadls: Count(8), hostile: t.boolean },
  {
    rescinds: Count(16),
    offers: Count(16),
    modify: t.boolean,
    ringPages: Count(4095),
    cycles: Count(16),
    maxVersion: U32,
    hostilePosts: Count(64),
    hostileStart: t.keyof({ boot: null, connected: null, open: null, closed: null }),
    crash: t.boolean,
    hostileSynic: t.boolean,
  },
  "check",
);

export const RunFileJson = exactly({
  format: t.literal(RUN_FORMAT),
  formatVersion: t.literal(RUN_FORMAT_VERSION),
  check: CheckJson,
  steps: t.array(exactly({ input: SystemInputJson, messages: t.array(RunMessageJson) }, "step")),
}, "run file");

export type RunCheck = Pick<CheckOptions, "profile" | "channels" | "offers" | "gpadls" | "hostile" | "hostilePosts" | "hostileStart" | "rescinds" | "modify" | "ringPages" | "cycles" | "maxVersion" | "crash" | "hostileSynic">;

export interface RunFile {
  readonly format: typeof RUN_FORMAT;
  readonly formatVersion: typeof RUN_FORMAT_VERSION;
  readonly check: RunCheck;
  readonly steps: readonly RunStep[];
}

export const decodeRunFile = (u: unknown): { ok: true; value: RunFile } | { ok: false; errors: string[] } => {
  const r = RunFileJson.decode(u);
  if (r._tag === "Left") return { ok: false, errors: formatErrors("run", r.left) };
  return { ok: true, value: r.right as unknown as RunFile };
};

export const runFile = (check: RunCheck, steps: readonly RunStep[]): RunFile => ({ format: RUN_FORMAT, formatVersion: RUN_FORMAT_VERSION, check, steps });

/** The inputs of a decoded run (for re-recording). */
export const runInputs = (f: RunFile): readonly SystemInput[] => f.steps.map((s) => s.input);
