/**
 * `vmbus-spec ring …`: ring images on disk. An image is the 4096-byte control page followed by
 * the data area, exactly as in guest memory (§8.1, §8.2). Every operation runs the pure model
 * (spec/ring); this file only reads/writes files and JSON lines.
 */
import { readFile, writeFile } from "node:fs/promises";
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import { getInt, getString, parseArgs, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { formatErrors, Hex, U16, U32, U64, U8 } from "../../io/primitives.js";
import { isProfileName, type ProfileName } from "../../../spec/profiles.js";
import { isValidDataSize, usedBytes } from "../../../spec/ring/decide.js";
import { describeRingFault, type RingFault } from "../../../spec/ring/faults.js";
import { RING_PROFILES } from "../../../spec/ring/profile.js";
import { peekAt, readPacket, type ReadOutcome } from "../../../spec/ring/reader.js";
import { CONTROL_PAGE_SIZE, makeRing, ringFromImage, ringToImage, type Ring } from "../../../spec/ring/state.js";
import { writeBatch, writePacket, type WriteOutcome } from "../../../spec/ring/writer.js";
import { bytesToHex, hexToBytes } from "../../../spec/wire/hex.js";
import { PacketType, type DecodedPacket, type Packet, type PacketBody } from "../../../spec/wire/packet.js";

const HELP = `usage:
  vmbus-spec ring init  --file F --data-size N [--write-index W] [--read-index R]
                        [--interrupt-mask M] [--pending-send-size P] [--feature-bits B]
  vmbus-spec ring write --file F [--profile P] [--batch] < packets.jsonl
  vmbus-spec ring read  --file F [--profile P] [--max N]
  vmbus-spec ring show  --file F [--profile P]

A ring image is the 4096-byte control page followed by the data area (file size − 4096 = data
size, a multiple of 8 of at least 64). Profiles: strict (default), qemu, linux, openvmm, dpdk
(see docs/ring.md).

init   creates a zeroed image (feature bit 0 set unless --feature-bits says otherwise). Control
       fields are taken as given, so hostile images can be built on purpose.
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
       Exit 1 if any packet was not written; exit 2 on a bad line (nothing is written).
read   consumes up to --max packets (default: all), committing each; one JSON line per
       packet: type, flags, transId, offset8, len8, payload (hex of bytes offset8×8..len8×8,
       padding included), ranges where present, start, next, signal (the reader's decision
       after committing it). A fault prints {"fault":"<name>", …} and exits 1; a packet that
       is not completely published prints {"stop":"incomplete", …}.
show   prints the control fields and the packets present (nothing is consumed) as JSON.`;

// ---- JSON-lines input (io-ts) -----------------------------------------------------------

const TransId = t.union([U64, new t.Type<string, string, unknown>("u64 as a safe integer", (u): u is string => false, (u, c) => (typeof u === "number" && Number.isSafeInteger(u) && u >= 0 ? t.success(String(u)) : t.failure(u, c)), t.identity)]);
const GpaRangeJson = t.type({ byteCount: U32, byteOffset: U32, pfns: t.array(U64) }, "GpaRange");
const XferRangeJson = t.type({ byteCount: U32, byteOffset: U32 }, "TransferPageRange");
const PacketJson = t.partial(
  {
    type: U16,
    flags: U16,
    transId: TransId,
    payload: Hex,
    ranges: t.unknown,
    reserved: U32,
    transferPageSetId: U16,
    senderOwnsSet: U8,
  },
  "Packet",
);
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
  const d = PacketJson.decode(json);
  if (isLeft(d)) return { ok: false, message: formatErrors("Packet", d.left).join("; ") };
  const v = d.right;
  if (v.payload === undefined) return { ok: false, message: "Packet.payload: expected hex string (even number of digits), got nothing" };
  const type = v.type ?? PacketType.DataInBand;
  const payload = hexToBytes(v.payload);
  if (!payload.ok) return { ok: false, message: "Packet.payload: bad hex" };
  let body: PacketBody = { kind: "plain" };
  if (type === PacketType.DataUsingGpaDirect) {
    const r = t.array(GpaRangeJson).decode(v.ranges ?? []);
    if (isLeft(r)) return { ok: false, message: formatErrors("Packet.ranges", r.left).join("; ") };
    body = { kind: "gpaDirect", reserved: v.reserved ?? 0, ranges: r.right };
  } else if (type === PacketType.DataUsingTransferPages) {
    const r = t.array(XferRangeJson).decode(v.ranges ?? []);
    if (isLeft(r)) return { ok: false, message: formatErrors("Packet.ranges", r.left).join("; ") };
    body = { kind: "transferPage", transferPageSetId: v.transferPageSetId ?? 0, senderOwnsSet: v.senderOwnsSet ?? 0, reserved: v.reserved ?? 0, ranges: r.right };
  } else if (v.ranges !== undefined) {
    return { ok: false, message: `Packet.ranges: only packets of type 7 or 9 carry ranges (type is ${type})` };
  }
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

const loadImage = async (file: string): Promise<{ image: Uint8Array; ring: Ring }> => {
  const image = new Uint8Array(await readFile(file).catch((e: Error) => {
    throw new UsageError(`cannot read ${file}: ${e.message}`);
  }));
  const r = ringFromImage(image);
  if (!r.ok) throw new UsageError(`${file}: ${describeRingFault(r.error)} (file size must be 4096 + data size)`);
  return { image, ring: r.value };
};

const saveImage = (file: string, image: Uint8Array, ring: Ring): Promise<void> => writeFile(file, ringToImage(ring, image.subarray(0, CONTROL_PAGE_SIZE)));

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

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

const emit = (o: unknown): void => {
  process.stdout.write(JSON.stringify(o) + "\n");
};

// ---- subcommands ------------------------------------------------------------------------

const U32_MAX = 0xffff_ffff;

const init = async (argv: readonly string[]): Promise<number> => {
  const a = parseArgs(argv, ["file", "data-size", "write-index", "read-index", "interrupt-mask", "pending-send-size", "feature-bits"].map((name) => ({ name, kind: "string" as const })));
  const file = fileArg(a);
  const size = getInt(a, "data-size", 64, 0x7fff_fff8);
  if (size === undefined) throw new UsageError("--data-size is required");
  if (!isValidDataSize(size)) throw new UsageError(`--data-size must be a multiple of 8 of at least 64, got ${size}`);
  const r = makeRing(size, {
    writeIndex: getInt(a, "write-index", 0, U32_MAX) ?? 0,
    readIndex: getInt(a, "read-index", 0, U32_MAX) ?? 0,
    interruptMask: getInt(a, "interrupt-mask", 0, U32_MAX) ?? 0,
    pendingSendSize: getInt(a, "pending-send-size", 0, U32_MAX) ?? 0,
    featureBits: getInt(a, "feature-bits", 0, U32_MAX) ?? 1,
  });
  if (!r.ok) throw new UsageError(describeRingFault(r.error));
  await writeFile(file, ringToImage(r.value));
  emit({ file, dataSize: size, control: r.value.control });
  return 0;
};

const write = async (argv: readonly string[]): Promise<number> => {
  const a = parseArgs(argv, [
    { name: "file", kind: "string" },
    { name: "profile", kind: "string" },
    { name: "batch", kind: "boolean" },
  ]);
  const file = fileArg(a);
  const profile = RING_PROFILES[profileArg(a)];
  const { image, ring } = await loadImage(file);
  const packets: Packet[] = [];
  const lines = (await readStdin()).split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    const p = parsePacketLine(line);
    if (!p.ok) {
      process.stderr.write(`vmbus-spec ring write: line ${i + 1}: ${p.message}\n`);
      return 2;
    }
    packets.push(p.packet);
  }
  let cur = ring;
  let failed = 0;
  if (a.booleans.has("batch")) {
    const b = writeBatch(cur, packets, profile);
    cur = b.ring;
    let before = b.writeIndexBefore;
    b.outcomes.forEach((o, i) => {
      emit(writeJson(o, before, i === b.outcomes.length - 1 ? b.signal : false));
      if (o.kind === "written") before = o.writeIndexAfter;
      else failed++;
    });
  } else {
    for (const p of packets) {
      const before = cur.control.writeIndex;
      const w = writePacket(cur, p, profile);
      cur = w.ring;
      emit(writeJson(w.outcome, before, w.signal));
      if (w.outcome.kind !== "written") failed++;
    }
  }
  await saveImage(file, image, cur);
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
  const { image, ring } = await loadImage(file);
  let cur = ring;
  let code = 0;
  // Bounded: each packet consumes ≥ 24 bytes of what was published when we started (a clamping
  // reader misled past the write index must not cycle round the ring for ever).
  const budget = usedBytes(ring.control.writeIndex, ring.control.readIndex, ring.data.length);
  let consumed = 0;
  for (let n = 0; n < max; n++) {
    const r = readPacket(cur, profile);
    cur = r.ring;
    if (r.outcome.kind === "packet") {
      consumed += r.outcome.packet.len8 * 8 + 8;
      emit({ ...packetJson(r.outcome.packet), start: r.outcome.start, next: r.outcome.next, signal: r.signal });
      if (consumed >= budget) break;
      continue;
    }
    const s = stopJson(r.outcome);
    if (s) emit(s);
    if (r.outcome.kind === "fault") code = 1;
    break;
  }
  await saveImage(file, image, cur);
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
  let cursor = ring.control.readIndex;
  let stop: Record<string, unknown> | null = null;
  let consumed = 0;
  const budget = usedBytes(ring.control.writeIndex, ring.control.readIndex, ring.data.length);
  for (;;) {
    const o = peekAt(ring, cursor, profile);
    if (o.kind !== "packet") {
      stop = stopJson(o);
      break;
    }
    packets.push({ ...packetJson(o.packet), start: o.start, next: o.next });
    consumed += o.packet.len8 * 8 + 8;
    cursor = o.next;
    if (consumed >= budget) break;
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
