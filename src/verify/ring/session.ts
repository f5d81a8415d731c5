/**
 * A ring verification session (docs/verify-ring.md, contract 1): an `init` the implementation
 * performs, then steps. `write`, `read` and `show` run the implementation; `patch` is the
 * verifier storing bytes into the image itself (a peer changing control fields, or a hostile
 * writer's bytes). Sessions are plain data so that a minimal one can be written to a file and
 * re-run with `--replay`; the file is decoded with io-ts (unknown fields rejected).
 */
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import { formatErrors, Hex, U16, U32, U64, U8 } from "../../io/primitives.js";
import { isProfileName, type ProfileName } from "../../../spec/profiles.js";
import type { RingControl } from "../../../spec/ring/state.js";
import { hexToBytes } from "../../../spec/wire/hex.js";
import { PacketType, type Packet, type PacketBody } from "../../../spec/wire/packet.js";

export const RING_CONTRACT_VERSION = 1;

/** A packet exactly as the verifier feeds it to `write` (one JSON line of the ring CLI's input). */
export interface PacketLine {
  readonly type: number;
  readonly flags: number;
  readonly transId: string;
  readonly payload: string;
  readonly ranges?: readonly ({ readonly byteCount: number; readonly byteOffset: number; readonly pfns: readonly string[] } | { readonly byteCount: number; readonly byteOffset: number })[];
  readonly reserved?: number;
  readonly transferPageSetId?: number;
  readonly senderOwnsSet?: number;
}

export type ControlPatch = Partial<RingControl>;

export type Step =
  | { readonly op: "init"; readonly dataSize: number; readonly control?: ControlPatch }
  | { readonly op: "patch"; readonly control?: ControlPatch; readonly at?: number; readonly hex?: string }
  | { readonly op: "write"; readonly packets: readonly PacketLine[]; readonly batch?: boolean }
  | { readonly op: "read"; readonly max?: number }
  | { readonly op: "show" };

export interface Session {
  /** Where the session comes from (a vector id, a rule case, `random #n`, a replay file). */
  readonly origin: string;
  readonly steps: readonly Step[];
}

/** The replay file written for a minimal diverging session. */
export interface SessionFile {
  readonly contract: number;
  readonly kind: "vmbus-spec ring session";
  readonly profile: ProfileName;
  readonly origin: string;
  readonly steps: readonly Step[];
}

// ---- io-ts ---------------------------------------------------------------------------------

/** Required `req` and optional `opt` fields, nothing else. */
export const strictObject = <R extends t.Props, O extends t.Props>(req: R, opt: O, name: string): t.Type<t.TypeOf<t.TypeC<R>> & Partial<t.TypeOf<t.TypeC<O>>>, unknown, unknown> => {
  const base = t.intersection([t.type(req), t.partial(opt)]);
  const known = new Set([...Object.keys(req), ...Object.keys(opt)]);
  return new t.Type(name, base.is, (u, c) => {
    if (typeof u !== "object" || u === null || Array.isArray(u)) return t.failure(u, c, `expected a JSON object, got ${JSON.stringify(u)?.slice(0, 40)}`);
    for (const k of Object.keys(u)) if (!known.has(k)) return t.failure((u as Record<string, unknown>)[k], t.appendContext(c, k, t.never), "unknown field");
    // Validate as the intersection itself, so that error paths skip its member index (formatErrors).
    const last = c[c.length - 1];
    return base.validate(u, last ? [...c.slice(0, -1), { ...last, type: base }] : c);
  }, t.identity) as never;
};

const ControlPatchC = strictObject({}, { writeIndex: U32, readIndex: U32, interruptMask: U32, pendingSendSize: U32, featureBits: U32 }, "Control");
const GpaRangeC = strictObject({ byteCount: U32, byteOffset: U32, pfns: t.array(U64) }, {}, "GpaRange");
const XferRangeC = strictObject({ byteCount: U32, byteOffset: U32 }, {}, "TransferPageRange");
const PacketLineC = strictObject(
  { type: U16, flags: U16, transId: U64, payload: Hex },
  { ranges: t.union([t.array(GpaRangeC), t.array(XferRangeC)]), reserved: U32, transferPageSetId: U16, senderOwnsSet: U8 },
  "Packet",
);
const op = <N extends string>(name: N) => t.literal(name);
const StepC = t.union([
  strictObject({ op: op("init"), dataSize: U32 }, { control: ControlPatchC }, "InitStep"),
  strictObject({ op: op("patch") }, { control: ControlPatchC, at: U32, hex: Hex }, "PatchStep"),
  strictObject({ op: op("write"), packets: t.array(PacketLineC) }, { batch: t.boolean }, "WriteStep"),
  strictObject({ op: op("read") }, { max: U32 }, "ReadStep"),
  strictObject({ op: op("show") }, {}, "ShowStep"),
]);
const SessionFileC = strictObject(
  { contract: t.number, kind: t.literal("vmbus-spec ring session"), profile: t.string, origin: t.string, steps: t.array(StepC) },
  {},
  "Session",
);

/** Decode a replay file's JSON: the session, or lines naming the field path of what is wrong. */
export const decodeSessionFile = (json: unknown): { ok: true; value: SessionFile } | { ok: false; errors: string[] } => {
  const d = SessionFileC.decode(json);
  if (isLeft(d)) return { ok: false, errors: formatErrors("Session", d.left) };
  const v = d.right;
  if (v.contract !== RING_CONTRACT_VERSION) return { ok: false, errors: [`Session.contract: this verifier speaks contract ${RING_CONTRACT_VERSION}, the file says ${v.contract}`] };
  if (!isProfileName(v.profile)) return { ok: false, errors: [`Session.profile: unknown profile '${v.profile}'`] };
  const first = v.steps[0];
  if (first === undefined || first.op !== "init") return { ok: false, errors: ["Session.steps[0]: the first step must be an init"] };
  for (const [i, s] of v.steps.entries()) {
    if (i > 0 && s.op === "init") return { ok: false, errors: [`Session.steps[${i}]: only the first step is an init`] };
    if (s.op === "patch" && (s.at === undefined) !== (s.hex === undefined)) return { ok: false, errors: [`Session.steps[${i}]: a patch gives both at and hex, or neither`] };
    if (s.op === "write") {
      for (const [k, p] of s.packets.entries()) {
        const bad = packetLineProblem(p);
        if (bad) return { ok: false, errors: [`Session.steps[${i}].packets[${k}]: ${bad}`] };
      }
    }
  }
  return { ok: true, value: { ...v, profile: v.profile } as SessionFile };
};

const packetLineProblem = (p: PacketLine): string | null => {
  const typed = p.type === PacketType.DataUsingGpaDirect || p.type === PacketType.DataUsingTransferPages;
  if (!typed && (p.ranges !== undefined || p.reserved !== undefined || p.transferPageSetId !== undefined || p.senderOwnsSet !== undefined)) return `only packets of type 7 or 9 carry ranges and typed-header fields (type is ${p.type})`;
  if (p.type === PacketType.DataUsingGpaDirect && (p.transferPageSetId !== undefined || p.senderOwnsSet !== undefined || (p.ranges ?? []).some((r) => !("pfns" in r)))) return "a GPA-direct packet has ranges with pfns and no transfer-page fields";
  if (p.type === PacketType.DataUsingTransferPages && (p.ranges ?? []).some((r) => "pfns" in r)) return "transfer-page ranges carry no pfns";
  return null;
};

// ---- packets --------------------------------------------------------------------------------

/** The spec's Packet for a line the verifier writes (the lines are built valid: see packetLineProblem). */
export const packetOfLine = (p: PacketLine): Packet => {
  const bytes = hexToBytes(p.payload);
  const payload = bytes.ok ? bytes.value : new Uint8Array(0);
  let body: PacketBody = { kind: "plain" };
  if (p.type === PacketType.DataUsingGpaDirect) {
    body = { kind: "gpaDirect", reserved: p.reserved ?? 0, ranges: (p.ranges ?? []).map((r) => ({ byteCount: r.byteCount, byteOffset: r.byteOffset, pfns: "pfns" in r ? r.pfns : [] })) };
  } else if (p.type === PacketType.DataUsingTransferPages) {
    body = { kind: "transferPage", transferPageSetId: p.transferPageSetId ?? 0, senderOwnsSet: p.senderOwnsSet ?? 0, reserved: p.reserved ?? 0, ranges: (p.ranges ?? []).map((r) => ({ byteCount: r.byteCount, byteOffset: r.byteOffset })) };
  }
  return { type: p.type, flags: p.flags, transId: p.transId, body, payload };
};

/** Steps as one short line each (reports). */
export const describeStep = (s: Step): string => {
  switch (s.op) {
    case "init":
      return `init --data-size ${s.dataSize}${controlArgs(s.control ?? {}).map((a) => " " + a).join("")}`;
    case "patch":
      return `patch (verifier)${s.control ? " control " + JSON.stringify(s.control) : ""}${s.at !== undefined ? ` data[${s.at}..] = ${s.hex!.length > 48 ? s.hex!.slice(0, 48) + "…" : s.hex} (${s.hex!.length / 2} bytes)` : ""}`;
    case "write":
      return `write${s.batch ? " --batch" : ""} of ${s.packets.length} packet(s): ${s.packets.map((p) => `type ${p.type} payload ${p.payload.length / 2} B${p.ranges ? ` ${p.ranges.length} range(s)` : ""}`).join(", ")}`;
    case "read":
      return `read${s.max !== undefined ? ` --max ${s.max}` : ""}`;
    case "show":
      return "show";
  }
};

const CONTROL_FLAGS: readonly [keyof RingControl, string][] = [
  ["writeIndex", "--write-index"],
  ["readIndex", "--read-index"],
  ["interruptMask", "--interrupt-mask"],
  ["pendingSendSize", "--pending-send-size"],
  ["featureBits", "--feature-bits"],
];
/** `init` options for the given control fields (in a fixed order). */
export const controlArgs = (c: ControlPatch): string[] => CONTROL_FLAGS.flatMap(([k, flag]) => (c[k] === undefined ? [] : [flag, String(c[k])]));
