/**
 * Wire conformance vectors (format: docs/vectors.md). For every message type and form: valid
 * cases (message JSON + canonical hex + the decode context that selects the form, some padded
 * as real senders pad) and negative cases (hex + context + the expected error kind). Plus SynIC
 * slot / HvPostMessage framing vectors and GPADL header+body sequences.
 *
 * Deterministic: a fixed-seed PRNG of our own; the same files byte for byte on every run.
 * Every expectation is cross-checked against spec/ while writing (a disagreement aborts).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { match } from "ts-pattern";
import { decodeMessage, encodeMessage, validateMessage, type DecodeContext } from "../../spec/wire/codec.js";
import { FeatureFlag } from "../../spec/wire/constants.js";
import { isValueField } from "../../spec/wire/fields.js";
import { reassembleGpadl, splitGpadl } from "../../spec/wire/gpadl.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import type { Field } from "../../spec/wire/layout.js";
import type { GpaRange, Message } from "../../spec/wire/messages.js";
import { decodePostMessage, decodeSynicSlot, encodePostMessage, encodeSynicSlot } from "../../spec/wire/synic.js";
import { MESSAGE_TABLE, type FormInfo, type MessageInfo } from "../../spec/wire/table.js";
import { Version } from "../../spec/wire/versions.js";
import { Prng } from "./prng.js";

export const WIRE_VECTORS_FORMAT_VERSION = 1;
const SEED = 0x564d4255; // "VMBU"
const RANDOM_CASES_PER_FORM = 6;

export interface ValidCase {
  readonly id: string;
  readonly form?: string;
  readonly context: DecodeContext;
  readonly hex: string;
  readonly message: Message;
  readonly trailingBytes: number;
}
export interface InvalidCase {
  readonly id: string;
  readonly description: string;
  readonly context: DecodeContext;
  readonly hex: string;
  readonly error: string;
}
export interface MessageVectorFile {
  readonly formatVersion: number;
  readonly kind: "wire-message";
  readonly messageType: number;
  readonly name: string;
  readonly valid: readonly ValidCase[];
  readonly invalid: readonly InvalidCase[];
}

export interface WireVectorSummary {
  readonly outDir: string;
  readonly files: number;
  readonly valid: number;
  readonly invalid: number;
}

export interface WriteOptions {
  /** Called after each file is written (for a progress line). */
  readonly onProgress?: (done: number, total: number, file: string) => void;
}

// ---- message generation -------------------------------------------------------------------

const guid = (r: Prng): string => {
  const h = bytesToHex(r.bytes(16));
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

const randomValue = (r: Prng, f: Field, edge: "zero" | "max" | "random"): number | string =>
  match(f.type)
    .with("u8", () => (edge === "zero" ? 0 : edge === "max" ? 0xff : r.below(0x100)))
    .with("u16", () => (edge === "zero" ? 0 : edge === "max" ? 0xffff : r.below(0x10000)))
    .with("u32", () => (edge === "zero" ? 0 : edge === "max" ? 0xffffffff : r.u32()))
    .with("u64", () => (edge === "zero" ? "0" : edge === "max" ? "18446744073709551615" : r.u64()))
    .with("guid", () => (edge === "zero" ? "00000000-0000-0000-0000-000000000000" : edge === "max" ? "ffffffff-ffff-ffff-ffff-ffffffffffff" : guid(r)))
    .with("bytes", () => (edge === "zero" ? "00".repeat(f.size) : edge === "max" ? "ff".repeat(f.size) : bytesToHex(r.bytes(f.size))))
    .with("reserved", "array", () => 0)
    .exhaustive();

const randomRanges = (r: Prng, edge: "zero" | "max" | "random"): GpaRange[] => {
  const n = edge === "random" ? r.int(1, 3) : 1;
  return Array.from({ length: n }, () => {
    const byteOffset = edge === "max" ? 0xfff : edge === "zero" ? 0 : r.below(2) === 0 ? 0 : r.below(0x1000);
    const pages = edge === "max" ? 60 : edge === "zero" ? 1 : r.int(1, 40);
    const byteCount = pages * 4096 - byteOffset;
    return { byteCount, byteOffset, pfns: Array.from({ length: pages }, () => r.u64()) };
  });
};

/** Adjust fields so the message satisfies its form's rules (docs/wire.md "Form selection"). */
const fixForm = (m: Record<string, unknown>, form: string | undefined): void => {
  if (m["type"] === "InitiateContact") {
    const v = m["vmbusVersionRequested"] as number;
    if (form === "interruptPage") m["vmbusVersionRequested"] = v % Version.WIN10_V5;
    if (form === "msgSint") {
      if (v < Version.WIN10_V5) m["vmbusVersionRequested"] = Version.WIN10_V5 + (v % 4);
      const nv = m["vmbusVersionRequested"] as number;
      m["featureFlags"] = nv < Version.WIN10_V6_0 ? 0 : ((m["featureFlags"] as number) & ~FeatureFlag.CLIENT_ID) >>> 0;
    }
    if (form === "clientId") {
      if (v < Version.WIN10_V6_0) m["vmbusVersionRequested"] = Version.WIN10_V6_0;
      m["featureFlags"] = ((m["featureFlags"] as number) | FeatureFlag.CLIENT_ID) >>> 0;
    }
  }
  if (m["type"] === "VersionResponse" && form === "serverMonitor")
    m["supportedFeatures"] = ((m["supportedFeatures"] as number) | FeatureFlag.SERVER_SPECIFIED_MONITOR_PAGES) >>> 0;
};

const makeMessage = (r: Prng, info: MessageInfo, fi: FormInfo, edge: "zero" | "max" | "random"): Message => {
  if (info.type === "GpadlHeader") {
    const s = splitGpadl(r.u32(), r.u32(), randomRanges(r, edge));
    if (!s.ok) throw new Error(`vector generation: ${s.error.message}`);
    return s.value.header;
  }
  const m: Record<string, unknown> = { type: info.type };
  if (fi.form !== undefined) m["form"] = fi.form;
  for (const f of fi.layout.fields) if (isValueField(f)) m[f.name] = randomValue(r, f, edge);
  if (info.type === "GpadlBody") m["pfns"] = Array.from({ length: edge === "zero" ? 0 : edge === "max" ? 28 : r.int(1, 28) }, () => r.u64());
  fixForm(m, fi.form);
  const v = validateMessage(m as unknown as Message);
  if (!v.ok) throw new Error(`vector generation made an invalid ${info.type}: ${v.error.message}`);
  return v.value;
};

/** The decode context that selects this form, for a message of this type (see docs/wire.md). */
const contextFor = (info: MessageInfo, form: string | undefined): DecodeContext => {
  const base = { direction: info.direction };
  if (info.feature !== undefined) return { ...base, version: Version.WIN10_V6_0, features: 0xff };
  switch (`${info.type}.${form ?? ""}`) {
    case "OfferChannel.preWin7":
      return { ...base, version: Version.WS2008 };
    case "VersionResponse.copper":
    case "VersionResponse.serverMonitor":
      return { ...base, version: Version.WIN10_V6_0 };
    case "OpenChannel.openChannel2":
      return { ...base, version: Version.WIN10_V6_0, features: FeatureFlag.GUEST_SPECIFIED_SIGNAL_PARAMETERS | FeatureFlag.CHANNEL_INTERRUPT_REDIRECTION };
    case "TlConnectRequest.silo":
      return { ...base, version: Version.WIN10_V5_2 };
    case "InitiateContact.interruptPage":
    case "InitiateContact.msgSint":
    case "InitiateContact.clientId":
      return base; // the form is chosen by the message's own version field
    default:
      return { ...base, version: Math.max(info.minVersion, Version.WIN10) };
  }
};

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const checkValid = (c: ValidCase, bytes: Uint8Array): void => {
  const d = decodeMessage(bytes, c.context);
  if (!d.ok || d.value.trailingBytes !== c.trailingBytes || !sameJson(sortKeys(d.value.message), sortKeys(c.message)))
    throw new Error(`vector ${c.id}: spec decoder disagrees (${d.ok ? "different message" : d.error.message})`);
};

const sortKeys = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sortKeys) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sortKeys(x)])) : v;

const checkInvalid = (c: InvalidCase, bytes: Uint8Array): void => {
  const d = decodeMessage(bytes, c.context);
  if (d.ok || d.error.kind !== c.error) throw new Error(`vector ${c.id}: spec decoder gives ${d.ok ? "a message" : d.error.kind}, expected ${c.error}`);
};

const pad8 = (b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(Math.ceil(b.length / 8) * 8);
  out.set(b);
  return out;
};

/** The largest payload a SynIC message slot carries (longer is `tooLong`, a generic negative). */
const MAX_PAYLOAD = 240;

/**
 * The lengths around a form's size (size − 1, size, size + 1) and, for a message with several
 * forms, every length from its shortest form to its longest: the lengths between two forms
 * are where a decoder must choose (or refuse), e.g. an OFFERCHANNEL of 190–195 bytes is a
 * pre-Win7 offer at 0.13 and too short at 1.1 and later.
 */
export const boundaryLengths = (info: MessageInfo, fi: FormInfo): number[] => {
  const sizes = info.forms.map((f) => f.layout.size);
  const lens = new Set([fi.layout.size - 1, fi.layout.size, fi.layout.size + 1]);
  if (sizes.length > 1) for (let n = Math.min(...sizes); n <= Math.max(...sizes); n++) lens.add(n);
  return [...lens].filter((n) => n >= 0 && n <= MAX_PAYLOAD).sort((a, b) => a - b);
};

/**
 * The contexts the boundary lengths of a form are tried under: the one that selects the form,
 * and for the Win7 offer also the lowest version it exists in (1.1), where a decoder that
 * still takes the pre-Win7 form by length would accept 190–195 bytes.
 */
const boundaryContexts = (info: MessageInfo, form: string | undefined, ctx: DecodeContext): [string, DecodeContext][] =>
  info.type === "OfferChannel" && form === "win7" ? [["", ctx], ["@1.1", { ...ctx, version: Version.WIN7 }]] : [["", ctx]];

const messageFile = (r: Prng, info: MessageInfo): MessageVectorFile => {
  const valid: ValidCase[] = [];
  const invalid: InvalidCase[] = [];
  for (const fi of info.forms) {
    const formName = fi.form === undefined ? info.type : `${info.type}.${fi.form}`;
    const ctx = contextFor(info, fi.form);
    const edges: ("zero" | "max" | "random")[] = ["zero", "max", ...Array<"random">(RANDOM_CASES_PER_FORM).fill("random")];
    edges.forEach((edge, i) => {
      const message = makeMessage(r, info, fi, edge);
      const bytes = encodeMessage(message);
      if (valid.some((v) => v.hex === bytesToHex(bytes) && sameJson(v.context, ctx))) return; // header-only messages: one case
      const c: ValidCase = { id: `${formName}/${i}`, ...(fi.form === undefined ? {} : { form: fi.form }), context: ctx, hex: bytesToHex(bytes), message, trailingBytes: 0 };
      checkValid(c, bytes);
      valid.push(c);
      // Real senders pad (QEMU rounds payload sizes up to 8): the same message with trailing bytes.
      const padded = pad8(bytes);
      if (i === 2 && padded.length > bytes.length && padded.length <= 240) {
        const p: ValidCase = { ...c, id: `${formName}/${i}/padded`, hex: bytesToHex(padded), trailingBytes: padded.length - bytes.length };
        checkValid(p, padded);
        valid.push(p);
      }
    });
    // Negative cases for this form.
    const sample = valid.find((v) => v.id === `${formName}/2`) ?? valid.find((v) => v.id.startsWith(`${formName}/`))!;
    const sb = encodeMessage(sample.message);
    const neg = (id: string, description: string, context: DecodeContext, bytes: Uint8Array, error: string): void => {
      const c: InvalidCase = { id: `${formName}/${id}`, description, context, hex: bytesToHex(bytes), error };
      checkInvalid(c, bytes);
      invalid.push(c);
    };
    // Truncate below the shortest form (a longer form cut short may legitimately be a shorter one).
    const shortest = Math.min(...info.forms.map((x) => x.layout.size));
    if (shortest > 8) neg("truncated", `one byte short of the ${shortest}-byte shortest form of ${info.type}`, ctx, sb.subarray(0, shortest - 1), "tooShort");
    neg("direction", `${info.type} sent ${info.direction === "host-to-guest" ? "guest-to-host" : "host-to-guest"}`, { ...ctx, direction: info.direction === "host-to-guest" ? "guest-to-host" : "host-to-guest" }, sb, "wrongDirection");
    if (info.minVersion > Version.WS2008) neg("version", `${info.type} below its minimum version`, { ...ctx, version: info.minVersion - 1 }, sb, "typeNotInVersion");
    if (info.feature !== undefined) neg("feature", `${info.type} without feature 0x${info.feature.toString(16)}`, { ...ctx, features: 0xff & ~info.feature }, sb, "typeNotInVersion");
    // Every boundary length of this form, under each context that selects it; the decoder says
    // whether each length is accepted (and as what) or rejected.
    for (const [tag, bctx] of boundaryContexts(info, fi.form, ctx))
      for (const len of boundaryLengths(info, fi)) {
        const bytes = new Uint8Array(len);
        bytes.set(sb.subarray(0, Math.min(len, sb.length)));
        const hex = bytesToHex(bytes);
        if (valid.some((v) => v.hex === hex && sameJson(v.context, bctx)) || invalid.some((v) => v.hex === hex && sameJson(v.context, bctx))) continue;
        const id = `${formName}/len-${len}${tag}`;
        const d = decodeMessage(bytes, bctx);
        const how = len < sb.length ? `cut to ${len} bytes` : len > sb.length ? `padded with ${len - sb.length} zero byte(s) to ${len}` : `exactly ${len} bytes`;
        if (d.ok) {
          const form = (d.value.message as { form?: string }).form;
          const c: ValidCase = { id, ...(form === undefined ? {} : { form }), context: bctx, hex, message: d.value.message, trailingBytes: d.value.trailingBytes };
          checkValid(c, bytes);
          valid.push(c);
        } else neg(`len-${len}${tag}`, `${formName} (${sb.length} bytes) ${how}`, bctx, bytes, d.error.kind);
      }
  }
  if (info.type === "GpadlHeader") {
    const s = splitGpadl(1, 2, [{ byteCount: 8192, byteOffset: 0, pfns: ["10", "11"] }]);
    if (!s.ok) throw new Error(s.error.message);
    const b = encodeMessage(s.value.header);
    const mut = (at: number, v: number): Uint8Array => {
      const x = b.slice();
      x[at] = v;
      return x;
    };
    const ctx = contextFor(info, undefined);
    const neg = (id: string, description: string, bytes: Uint8Array): void => {
      const c: InvalidCase = { id: `GpadlHeader/${id}`, description, context: ctx, hex: bytesToHex(bytes), error: "countMismatch" };
      checkInvalid(c, bytes);
      invalid.push(c);
    };
    neg("rangecount", "rangecount 2 but range_buflen holds one range", mut(18, 2));
    neg("buflen-small", "range_buflen 16 but the range spans 2 pages", mut(16, 16));
    neg("buflen-odd", "range_buflen 25 is not a multiple of 8", mut(16, 25));
    neg("buflen-under", "rangecount 1 with range_buflen 4 (QEMU quirk Q3)", mut(16, 4));
  }
  return { formatVersion: WIRE_VECTORS_FORMAT_VERSION, kind: "wire-message", messageType: info.number, name: info.type, valid, invalid };
};

const genericFile = (): MessageVectorFile => {
  const invalid: InvalidCase[] = [];
  const add = (id: string, description: string, hex: string, error: string, context: DecodeContext = {}): void => {
    const c: InvalidCase = { id, description, context, hex, error };
    const b = Uint8Array.from(hex.match(/../g) ?? [], (x) => parseInt(x, 16));
    checkInvalid(c, b);
    invalid.push(c);
  };
  add("empty", "no bytes", "", "tooShort");
  add("header-7", "7 bytes", "03000000000000", "tooShort");
  add("type-0", "message type 0 (INVALID)", "0000000000000000", "unknownType");
  add("type-30", "message type 30", "1e00000000000000", "unknownType");
  add("type-max", "message type 0xffffffff", "ffffffff00000000", "unknownType");
  add("too-long", "241 bytes", "09000000" + "00".repeat(237), "tooLong");
  return { formatVersion: WIRE_VECTORS_FORMAT_VERSION, kind: "wire-message", messageType: 0, name: "Generic", valid: [], invalid };
};

// ---- framing ---------------------------------------------------------------------------------

export interface FramingVectorFile {
  readonly formatVersion: number;
  readonly kind: "wire-framing";
  readonly synic: readonly { id: string; hex: string; expect: unknown }[];
  readonly post: readonly { id: string; hex: string; expect: unknown }[];
}

const framingFile = (r: Prng): FramingVectorFile => {
  const synic: { id: string; hex: string; expect: unknown }[] = [];
  const post: { id: string; hex: string; expect: unknown }[] = [];
  const payloads = [
    { hex: "070000000000000005000000", id: "CloseChannel" },
    { hex: "0300000000000000", id: "RequestOffers" },
    { hex: bytesToHex(r.bytes(240)), id: "full-240" },
  ];
  for (const [i, p] of payloads.entries()) {
    const slot = { messageType: 1, payloadSize: p.hex.length / 2, messageFlags: i % 2, sender: "0", payload: p.hex };
    const b = encodeSynicSlot(slot);
    const d = decodeSynicSlot(b);
    if (!d.ok) throw new Error(d.error.message);
    synic.push({ id: `slot/${p.id}`, hex: bytesToHex(b), expect: { ok: true, slot, pending: (i % 2) === 1 } });
    const input = { connectionId: i === 1 ? 0xff000004 : 1, messageType: 1, payloadSize: p.hex.length / 2, payload: p.hex };
    const pb = encodePostMessage(input);
    const pd = decodePostMessage(pb);
    if (!pd.ok) throw new Error(pd.error.message);
    post.push({ id: `post/${p.id}`, hex: bytesToHex(pb), expect: { ok: true, input, maskedConnectionId: input.connectionId & 0xffffff } });
  }
  const badSlot = encodeSynicSlot({ messageType: 1, payloadSize: 0, messageFlags: 0, sender: "0", payload: "" });
  badSlot[4] = 241;
  if (decodeSynicSlot(badSlot).ok) throw new Error("slot/payload-241 should fail");
  synic.push({ id: "slot/payload-241", hex: bytesToHex(badSlot), expect: { ok: false, error: "badField" } });
  synic.push({ id: "slot/short", hex: bytesToHex(badSlot.subarray(0, 255)), expect: { ok: false, error: "tooShort" } });
  const badPost = encodePostMessage({ connectionId: 1, messageType: 1, payloadSize: 0, payload: "" });
  badPost[12] = 241;
  post.push({ id: "post/payload-241", hex: bytesToHex(badPost), expect: { ok: false, error: "badField" } });
  return { formatVersion: WIRE_VECTORS_FORMAT_VERSION, kind: "wire-framing", synic, post };
};

// ---- GPADL sequences ---------------------------------------------------------------------------

export interface GpadlVectorFile {
  readonly formatVersion: number;
  readonly kind: "wire-gpadl";
  readonly cases: readonly { id: string; messages: readonly string[]; expect: { ok: true; ranges: readonly GpaRange[] } | { ok: false; error: string } }[];
}

const gpadlFile = (r: Prng): GpadlVectorFile => {
  const cases: GpadlVectorFile["cases"][number][] = [];
  for (const [i, pages] of [1, 26, 27, 100, 300].entries()) {
    const ranges: GpaRange[] = [{ byteCount: pages * 4096, byteOffset: 0, pfns: Array.from({ length: pages }, () => r.u64()) }];
    if (i === 4) ranges.push({ byteCount: 5000, byteOffset: 0x800, pfns: [r.u64(), r.u64()] });
    const s = splitGpadl(r.int(1, 2047), r.u32(), ranges);
    if (!s.ok) throw new Error(s.error.message);
    const messages = [s.value.header, ...s.value.bodies].map((m) => bytesToHex(encodeMessage(m)));
    const back = reassembleGpadl(s.value.header, s.value.bodies);
    if (!back.ok) throw new Error(back.error.message);
    cases.push({ id: `gpadl/${pages}-pages${i === 4 ? "+1-range" : ""}`, messages, expect: { ok: true, ranges } });
  }
  const s = splitGpadl(1, 2, [{ byteCount: 30 * 4096, byteOffset: 0, pfns: Array.from({ length: 30 }, (_, k) => String(k)) }]);
  if (!s.ok) throw new Error(s.error.message);
  const header = bytesToHex(encodeMessage(s.value.header));
  cases.push({ id: "gpadl/missing-body", messages: [header], expect: { ok: false, error: "tooLittleData" } });
  const extra = bytesToHex(encodeMessage({ type: "GpadlBody", msgNumber: 0, gpadl: 2, pfns: ["1"] }));
  cases.push({ id: "gpadl/extra-body", messages: [header, ...s.value.bodies.map((b) => bytesToHex(encodeMessage(b))), extra], expect: { ok: false, error: "tooMuchData" } });
  return { formatVersion: WIRE_VECTORS_FORMAT_VERSION, kind: "wire-gpadl", cases };
};

// ---- writing -----------------------------------------------------------------------------------

/** Write every wire vector file under `outDir/wire/`; returns counts. */
export const writeWireVectors = async (outDir: string, opts: WriteOptions = {}): Promise<WireVectorSummary> => {
  const r = new Prng(SEED);
  const dir = join(outDir, "wire");
  await mkdir(dir, { recursive: true });
  const files: [string, unknown, number, number][] = [];
  const okOf = (x: { expect: unknown }): boolean => (x.expect as { ok: boolean }).ok;
  for (const info of MESSAGE_TABLE) {
    const f = messageFile(r, info);
    files.push([`${String(info.number).padStart(2, "0")}-${info.type}.json`, f, f.valid.length, f.invalid.length]);
  }
  const g = genericFile();
  files.push(["00-Generic.json", g, 0, g.invalid.length]);
  const fr = framingFile(r);
  const frames = [...fr.synic, ...fr.post];
  files.push(["framing.json", fr, frames.filter(okOf).length, frames.filter((x) => !okOf(x)).length]);
  const gp = gpadlFile(r);
  files.push(["gpadl.json", gp, gp.cases.filter(okOf).length, gp.cases.filter((x) => !okOf(x)).length]);
  let valid = 0;
  let invalid = 0;
  for (const [i, [name, content, v, n]] of files.entries()) {
    await writeFile(join(dir, name), JSON.stringify(content, null, 1) + "\n");
    valid += v;
    invalid += n;
    opts.onProgress?.(i + 1, files.length, name);
  }
  const index = { formatVersion: WIRE_VECTORS_FORMAT_VERSION, kind: "wire-index", files: files.map(([n]) => n), valid, invalid };
  await writeFile(join(dir, "index.json"), JSON.stringify(index, null, 1) + "\n");
  return { outDir: dir, files: files.length + 1, valid, invalid };
};
