/**
 * `vmbus-spec ring …`: ring images on disk. An image is the 4096-byte control page followed by
 * the data area, exactly as in guest memory. Every operation runs the pure model
 * (spec/ring); this file only reads/writes files and JSON lines.
 */
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import { getInt, getString, parseArgs, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { exists, InputError, LIMITS, readFileCapped, readLines, requireRegularFile, withLock, writeFileAtomic } from "../files.js";
import { formatErrors } from "../../io/primitives.js";
import { GpaRangeLineJson, PacketFieldsJson, PacketLineJson, TransferPageRangeLineJson } from "../../io/ring-packet.js";
import { isProfileName, type ProfileName } from "../../../spec/profiles.js";
import { isValidDataSize } from "../../../spec/ring/decide.js";
import { describeRingFault, type RingFault } from "../../../spec/ring/faults.js";
import { RING_PROFILES } from "../../../spec/ring/profile.js";
import { peekEach, readEach, readPacket, type ReadOutcome } from "../../../spec/ring/reader.js";
import { CONTROL_PAGE_SIZE, makeRing, ringFromImage, ringToImage, type Ring } from "../../../spec/ring/state.js";
import { writeBatch, writePacket, type WriteOutcome } from "../../../spec/ring/writer.js";
import { bytesToHex, hexToBytes } from "../../../spec/wire/hex.js";
import { PacketType, type DecodedPacket, type Packet, type PacketBody } from "../../../spec/wire/packet.js";

const HELP = `usage:
  vmbus-spec ring init  --file F --data-size N [--write-index W] [--read-index R]
                        [--interrupt-mask M] [--pending-send-size P] [--feature-bits B] [--force]
  vmbus-spec ring write --file F [--profile P] [--batch] [--raw] < packets.jsonl
  vmbus-spec ring read  --file F [--profile P] [--max N]
  vmbus-spec ring show  --file F [--profile P]

A ring image is the 4096-byte control page followed by the data area (file size − 4096 = data
size, a multiple of 8 from 64 to 1 GiB). Profiles: strict (default), qemu, linux, openvmm, dpdk
(see docs/ring.md).

init   creates a zeroed image (feature bit 0 set unless --feature-bits says otherwise). Control
       fields are taken as given, so hostile images can be built on purpose. An existing file
       is replaced only if it is a ring image of the same size, or with --force.
write  reads one JSON object per line:
         {"type":6,"flags":1,"transId":"42","payload":"<hex>"}
       type (default 6), flags (default 0) and transId (decimal string or integer, default "0")
       are optional. Type 9 (GPA direct) takes "ranges":[{"byteCount":…,"byteOffset":…,
       "pfns":["…"]}] and optional "reserved"; type 7 (transfer pages) takes "ranges":
       [{"byteCount":…,"byteOffset":…}] and optional "transferPageSetId", "senderOwnsSet".
       Prints one JSON line per packet: outcome ("written", "full" or the fault's name),
       signal, writeIndexBefore, writeIndexAfter (plus needed/available or the fault). A full
       ring does not stop the run (the writer stores pending_send_sz as a waiting writer
       would). Without --batch every packet is published on its own; with --batch all are
       published once and the one signal decision is reported on the last line.
       A packet that the strict reader would refuse (a fault of RING-PKT-*/RING-READ-3, e.g.
       type 9 without ranges, a range offset of 4096 or more, a PFN count that does not cover
       its range) is refused with its rule (exit 2, nothing written) unless --raw says that
       writing hostile packets is the intent.
       Exit 1 if any packet was not written; exit 2 on a bad line (nothing is written).
       Writers and readers of one image lock it (F.lock, created exclusively; a lock left by
       a process that no longer exists is taken over), so concurrent writers lose no packet.
read   consumes up to --max packets (default: all), committing each; one JSON line per
       packet: type, flags, transId, offset8, len8, payload (hex of bytes offset8×8..len8×8,
       padding included), ranges where present, start, next, signal (the reader's decision
       after committing it). A fault prints {"fault":"<name>", …} and exits 1; a packet that
       is not completely published prints {"stop":"incomplete", …}.
show   prints the control fields and the packets present (nothing is consumed) as JSON.

Examples:
  $ vmbus-spec ring init --file r.img --data-size 4096
  $ vmbus-spec ring write --file r.img < docs/examples/ring/packets.jsonl
  $ vmbus-spec ring read --file r.img

Exit codes: 0 done; 1 a packet not written or a fault read; 2 usage, a bad input line, or a
file that is not a ring image; 3 a file error (one line naming the file and the cause).
Images are replaced atomically (temporary file, then rename). Input lines are capped at 1 MiB
each and 1,000,000 in all.`;

// ---- JSON-lines input (io-ts) -----------------------------------------------------------

const KNOWN_KEYS = new Set(["type", "flags", "transId", "payload", "ranges", "reserved", "transferPageSetId", "senderOwnsSet"]);

/** Parse one input line into a Packet, or an error message naming the field path. */
export const parsePacketLine = (line: string): { ok: true; packet: Packet } | { ok: false; message: string } => {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (e) {
    return { ok: false, message: `not JSON: ${(e as Error).message}` };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { ok: false, message: "expected a JSON object" };
  for (const k of Object.keys(json)) if (!KNOWN_KEYS.has(k)) return { ok: false, message: `Packet.${k}: unknown field` };
  const d = PacketFieldsJson.decode(json);
  if (isLeft(d)) return { ok: false, message: formatErrors("Packet", d.left).join("; ") };
  const v = d.right;
  if (v.payload === undefined) return { ok: false, message: "Packet.payload: expected hex string (even number of digits), got nothing" };
  const type = v.type ?? PacketType.DataInBand;
  const payload = hexToBytes(v.payload);
  if (!payload.ok) return { ok: false, message: "Packet.payload: bad hex" };
  let body: PacketBody = { kind: "plain" };
  if (type === PacketType.DataUsingGpaDirect) {
    const r = t.array(GpaRangeLineJson).decode(v.ranges ?? []);
    if (isLeft(r)) return { ok: false, message: formatErrors("Packet.ranges", r.left).join("; ") };
    body = { kind: "gpaDirect", reserved: v.reserved ?? 0, ranges: r.right };
  } else if (type === PacketType.DataUsingTransferPages) {
    const r = t.array(TransferPageRangeLineJson).decode(v.ranges ?? []);
    if (isLeft(r)) return { ok: false, message: formatErrors("Packet.ranges", r.left).join("; ") };
    body = { kind: "transferPage", transferPageSetId: v.transferPageSetId ?? 0, senderOwnsSet: v.senderOwnsSet ?? 0, reserved: v.reserved ?? 0, ranges: r.right };
  } else if (v.ranges !== undefined) {
    return { ok: false, message: `Packet.ranges: only packets of type 7 or 9 carry ranges (type is ${type})` };
  }
  // The checks above give the specific messages; PacketLineJson (whose JSON Schema ships with
  // the vectors) states the same set of lines, so it is the last word.
  const whole = PacketLineJson.decode(json);
  if (isLeft(whole)) return { ok: false, message: formatErrors("Packet", whole.left).join("; ") };
  return { ok: true, packet: { type, flags: v.flags ?? 0, transId: v.transId ?? "0", body, payload: payload.value } };
};

// ---- output -----------------------------------------------------------------------------

const faultJson = (f: RingFault): Record<string, unknown> => {
  const { kind, ...rest } = f;
  return { fault: kind, ...rest, message: describeRingFault(f) };
};

const writeJson = (o: WriteOutcome, before: number, signal: boolean): Record<string, unknown> => {
  if (o.kind === "written") return { outcome: "written", signal, writeIndexBefore: o.writeIndexBefore, writeIndexAfter: o.writeIndexAfter, bytes: o.total };
  if (o.kind === "full") return { outcome: "full", signal, writeIndexBefore: before, writeIndexAfter: before, needed: o.needed, available: o.available };
  const { fault, ...rest } = faultJson(o.fault);
  return { outcome: fault, signal, writeIndexBefore: before, writeIndexAfter: before, ...rest };
};

export const packetJson = (p: DecodedPacket): Record<string, unknown> => {
  const out: Record<string, unknown> = { type: p.type, flags: p.flags, transId: p.transId, offset8: p.offset8, len8: p.len8, payload: bytesToHex(p.payload) };
  if (p.body.kind === "gpaDirect") Object.assign(out, { reserved: p.body.reserved, ranges: p.body.ranges });
  if (p.body.kind === "transferPage") Object.assign(out, { transferPageSetId: p.body.transferPageSetId, senderOwnsSet: p.body.senderOwnsSet, reserved: p.body.reserved, ranges: p.body.ranges });
  return out;
};

const stopJson = (o: Exclude<ReadOutcome, { kind: "packet" }>): Record<string, unknown> | null =>
  o.kind === "empty" ? null : o.kind === "incomplete" ? { stop: "incomplete", available: o.available } : faultJson(o.fault);

// ---- file I/O ---------------------------------------------------------------------------

const MAX_DATA_SIZE = LIMITS.ringImage - CONTROL_PAGE_SIZE;

const loadImage = async (file: string): Promise<{ image: Uint8Array; ring: Ring }> => {
  const image = new Uint8Array(await readFileCapped(file, LIMITS.ringImage));
  const r = ringFromImage(image);
  if (!r.ok) throw new InputError(`${file}: not a ring image: ${describeRingFault(r.error)} (file size must be 4096 + data size)`);
  return { image, ring: r.value };
};

const saveImage = (file: string, image: Uint8Array, ring: Ring): Promise<void> => writeFileAtomic(file, ringToImage(ring, image.subarray(0, CONTROL_PAGE_SIZE)));

/** Whether `file` is a ring image of exactly `dataSize` data bytes (init may replace it). */
const isRingImageOfSize = async (file: string, dataSize: number): Promise<boolean> => {
  try {
    const { ring } = await loadImage(file);
    return ring.data.length === dataSize;
  } catch {
    return false;
  }
};

const profileArg = (a: ReturnType<typeof parseArgs>): ProfileName => {
  const p = getString(a, "profile") ?? "strict";
  if (!isProfileName(p)) throw new UsageError(`unknown profile '${p}' (strict, qemu, linux, openvmm, dpdk)`);
  return p;
};

const fileArg = (a: ReturnType<typeof parseArgs>): string => {
  const f = getString(a, "file");
  if (f === undefined) throw new UsageError("--file is required");
  return f;
};

/**
 * The strict reader's verdict on a packet (RING-PKT-*, RING-READ-3): write it alone into a
 * scratch ring with the strict writer and read it back with the strict reader — the spec
 * decides, the CLI does not re-check anything itself.
 */
const strictReaderFault = (p: Packet): RingFault | null => {
  const strict = RING_PROFILES.strict;
  const size = Math.max(64, (Math.ceil((p.payload.length + 4096) / 8) + 64) * 8);
  const r = makeRing(size);
  if (!r.ok) return r.error;
  const w = writePacket(r.value, p, strict);
  if (w.outcome.kind === "fault") return w.outcome.fault;
  if (w.outcome.kind !== "written") return null;
  const o = readPacket(w.ring, strict).outcome;
  return o.kind === "fault" ? o.fault : null;
};

const emit = (o: unknown): void => {
  process.stdout.write(JSON.stringify(o) + "\n");
};

// ---- subcommands ------------------------------------------------------------------------

const U32_MAX = 0xffff_ffff;

const init = async (argv: readonly string[]): Promise<number> => {
  const a = parseArgs(argv, [...["file", "data-size", "write-index", "read-index", "interrupt-mask", "pending-send-size", "feature-bits"].map((name) => ({ name, kind: "string" as const })), { name: "force", kind: "boolean" as const }]);
  const file = fileArg(a);
  const size = getInt(a, "data-size", 64, MAX_DATA_SIZE);
  if (size === undefined) throw new UsageError("--data-size is required");
  if (!isValidDataSize(size)) throw new UsageError(`--data-size must be a multiple of 8 of at least 64, got ${size}`);
  const control = {
    writeIndex: getInt(a, "write-index", 0, U32_MAX) ?? 0,
    readIndex: getInt(a, "read-index", 0, U32_MAX) ?? 0,
    interruptMask: getInt(a, "interrupt-mask", 0, U32_MAX) ?? 0,
    pendingSendSize: getInt(a, "pending-send-size", 0, U32_MAX) ?? 0,
    featureBits: getInt(a, "feature-bits", 0, U32_MAX) ?? 1,
  };
  // The control page alone (a 64-byte ring stands in for the geometry check); the zeroed data
  // area is written as a sparse extension of the file, never built in memory.
  const r = makeRing(64, control);
  if (!r.ok) throw new UsageError(describeRingFault(r.error));
  if (!a.booleans.has("force") && (await exists(file)) && !(await isRingImageOfSize(file, size)))
    throw new UsageError(`${file} exists and is not a ring image of data size ${size}: give --force to replace it`);
  const page = ringToImage(r.value).subarray(0, CONTROL_PAGE_SIZE);
  await writeFileAtomic(file, page, size);
  emit({ file, dataSize: size, control: r.value.control });
  return 0;
};

const write = async (argv: readonly string[]): Promise<number> => {
  const a = parseArgs(argv, [
    { name: "file", kind: "string" },
    { name: "profile", kind: "string" },
    { name: "batch", kind: "boolean" },
    { name: "raw", kind: "boolean" },
  ]);
  const file = fileArg(a);
  const profile = RING_PROFILES[profileArg(a)];
  const raw = a.booleans.has("raw");
  const packets: Packet[] = [];
  for await (const [n, text] of readLines(process.stdin)) {
    const line = text.trim();
    if (line === "") continue;
    const p = parsePacketLine(line);
    if (!p.ok) {
      process.stderr.write(`vmbus-spec ring write: line ${n}: ${p.message}\n`);
      return 2;
    }
    const refused = raw ? null : strictReaderFault(p.packet);
    if (refused) {
      process.stderr.write(`vmbus-spec ring write: line ${n}: the strict reader would refuse this packet: ${describeRingFault(refused)} (give --raw to write it anyway)\n`);
      return 2;
    }
    packets.push(p.packet);
  }
  await requireRegularFile(file);
  return withLock(file, () => writePackets(file, packets, profile, a.booleans.has("batch")));
};

const writePackets = async (file: string, packets: readonly Packet[], profile: (typeof RING_PROFILES)[ProfileName], batch: boolean): Promise<number> => {
  const { image, ring } = await loadImage(file);
  // Results are printed only once the image is saved: nothing is reported written that is not.
  const out: unknown[] = [];
  let cur = ring;
  let failed = 0;
  if (batch) {
    const b = writeBatch(cur, packets, profile);
    cur = b.ring;
    let before = b.writeIndexBefore;
    b.outcomes.forEach((o, i) => {
      out.push(writeJson(o, before, i === b.outcomes.length - 1 ? b.signal : false));
      if (o.kind === "written") before = o.writeIndexAfter;
      else failed++;
    });
  } else {
    for (const p of packets) {
      const before = cur.control.writeIndex;
      const w = writePacket(cur, p, profile);
      cur = w.ring;
      out.push(writeJson(w.outcome, before, w.signal));
      if (w.outcome.kind !== "written") failed++;
    }
  }
  await saveImage(file, image, cur);
  out.forEach(emit);
  return failed === 0 ? 0 : 1;
};

const read = async (argv: readonly string[]): Promise<number> => {
  const a = parseArgs(argv, [
    { name: "file", kind: "string" },
    { name: "profile", kind: "string" },
    { name: "max", kind: "string" },
  ]);
  const file = fileArg(a);
  const profile = RING_PROFILES[profileArg(a)];
  const max = getInt(a, "max", 0, Number.MAX_SAFE_INTEGER) ?? Number.MAX_SAFE_INTEGER;
  await requireRegularFile(file);
  return withLock(file, () => readPackets(file, profile, max));
};

const readPackets = async (file: string, profile: (typeof RING_PROFILES)[ProfileName], max: number): Promise<number> => {
  const { image, ring } = await loadImage(file);
  const out: unknown[] = [];
  let code = 0;
  const { ring: cur, reads } = readEach(ring, profile, max);
  for (const { result: r } of reads) {
    if (r.outcome.kind === "packet") {
      out.push({ ...packetJson(r.outcome.packet), start: r.outcome.start, next: r.outcome.next, signal: r.signal });
      continue;
    }
    const s = stopJson(r.outcome);
    if (s) out.push(s);
    if (r.outcome.kind === "fault") code = 1;
  }
  await saveImage(file, image, cur);
  out.forEach(emit);
  return code;
};

const show = async (argv: readonly string[]): Promise<number> => {
  const a = parseArgs(argv, [
    { name: "file", kind: "string" },
    { name: "profile", kind: "string" },
  ]);
  const file = fileArg(a);
  const profile = RING_PROFILES[profileArg(a)];
  const { ring } = await loadImage(file);
  const packets: Record<string, unknown>[] = [];
  let stop: Record<string, unknown> | null = null;
  for (const { outcome: o } of peekEach(ring, profile)) {
    if (o.kind === "packet") packets.push({ ...packetJson(o.packet), start: o.start, next: o.next });
    else stop = stopJson(o);
  }
  emit({ dataSize: ring.data.length, control: ring.control, packets, ...(stop ? { stop } : {}) });
  return 0;
};

const SUB: Record<string, (argv: readonly string[]) => Promise<number>> = { init, write, read, show };

export const command: Command = {
  name: "ring",
  summary: "ring images: init, write packets (JSON lines), read, show — the ring model on a file",
  help: HELP,
  run: async (argv) => {
    const [sub, ...rest] = argv;
    const f = sub === undefined ? undefined : SUB[sub];
    if (!f) throw new UsageError(sub === undefined ? "give a subcommand: init, write, read or show" : `unknown subcommand '${sub}'`);
    return f(rest);
  },
};
