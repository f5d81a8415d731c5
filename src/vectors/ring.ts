/**
 * Ring conformance vectors (format: docs/vectors.md `ring/`). Each case of ring-cases.ts is run
 * through the ring model (spec/ring: writer, reader, faults) once per profile; the file records
 * the initial ring (control fields + data area hex), every operation with the model's result
 * and the control fields after it, and the final ring. Deterministic: no randomness.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ProfileName } from "../../spec/profiles.js";
import type { RingFault } from "../../spec/ring/faults.js";
import { RING_PROFILES, type RingProfile } from "../../spec/ring/profile.js";
import { beginRead, commitRead, endRead, peekAt, readBatch, type ReadOutcome } from "../../spec/ring/reader.js";
import { makeRing, type Ring, type RingControl } from "../../spec/ring/state.js";
import { setPendingSendSize, writeBatch, type WriteOutcome } from "../../spec/ring/writer.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import type { DecodedPacket, Packet, PacketBody } from "../../spec/wire/packet.js";
import { fillByte, RING_CASE_PROFILES, RING_CASES, type RingCase, type RingOp } from "./ring-cases.js";

export const RING_VECTORS_FORMAT_VERSION = 1;

export interface PacketJson {
  readonly type: number;
  readonly flags: number;
  readonly transId: string;
  readonly body: PacketBody;
  readonly payload: string;
}
export interface DecodedPacketJson extends PacketJson {
  readonly offset8: number;
  readonly len8: number;
}
type Json = Record<string, unknown>;

export interface RingCaseFile {
  readonly formatVersion: number;
  readonly kind: "ring-case";
  readonly id: string;
  readonly profile: ProfileName;
  readonly title: string;
  readonly initial: { readonly control: RingControl; readonly data: string };
  readonly operations: readonly Json[];
  readonly final: { readonly control: RingControl; readonly data: string };
}

export interface RingVectorSummary {
  readonly outDir: string;
  readonly files: number;
  readonly cases: number;
  readonly operations: number;
}

export interface WriteOptions {
  readonly onProgress?: (done: number, total: number, file: string) => void;
}

// ---- JSON forms ------------------------------------------------------------------------------

export const packetToJson = (p: Packet): PacketJson => ({ type: p.type, flags: p.flags, transId: p.transId, body: p.body, payload: bytesToHex(p.payload) });
export const decodedPacketToJson = (p: DecodedPacket): DecodedPacketJson => ({
  type: p.type,
  offset8: p.offset8,
  len8: p.len8,
  flags: p.flags,
  transId: p.transId,
  body: p.body,
  payload: bytesToHex(p.payload),
});
const faultJson = (f: RingFault): Json => ({ ...f });
const writeOutcomeJson = (o: WriteOutcome): Json =>
  o.kind === "written"
    ? { kind: "written", writeIndexBefore: o.writeIndexBefore, writeIndexAfter: o.writeIndexAfter, total: o.total }
    : o.kind === "full"
      ? { kind: "full", needed: o.needed, available: o.available }
      : { kind: "fault", fault: faultJson(o.fault) };
export const readOutcomeJson = (o: ReadOutcome): Json =>
  o.kind === "packet"
    ? { kind: "packet", packet: decodedPacketToJson(o.packet), start: o.start, next: o.next }
    : o.kind === "fault"
      ? { kind: "fault", fault: faultJson(o.fault) }
      : o.kind === "incomplete"
        ? { kind: "incomplete", available: o.available }
        : { kind: "empty" };
const controlOf = (r: Ring): RingControl => ({ ...r.control });

// ---- running a case --------------------------------------------------------------------------

const initialRing = (c: RingCase): Ring => {
  const init = c.initial;
  const made = makeRing(init.dataSize, init.control ?? {});
  if (!made.ok) throw new Error(`ring vectors: ${c.id}: bad data size ${init.dataSize}`);
  const data = Uint8Array.from({ length: init.dataSize }, (_, i) => fillByte(i));
  let ring: Ring = { control: made.value.control, data };
  if (init.prefill && init.prefill.length > 0) {
    const w = writeBatch({ control: { ...ring.control, interruptMask: 0, pendingSendSize: 0 }, data: ring.data }, init.prefill, RING_PROFILES.strict);
    if (w.outcomes.some((o) => o.kind !== "written")) throw new Error(`ring vectors: ${c.id}: prefill does not fit`);
    ring = { control: { ...ring.control, writeIndex: w.ring.control.writeIndex }, data: w.ring.data };
  }
  if (init.patches) {
    const d = ring.data.slice();
    for (const p of init.patches) p.bytes.forEach((b, i) => (d[(p.at + i) % d.length] = b));
    ring = { control: ring.control, data: d };
  }
  return ring;
};

/** Apply one operation with the model: the new ring and the operation's JSON (input + expect). */
const applyOp = (ring: Ring, op: RingOp, p: RingProfile): { ring: Ring; entry: Json } => {
  switch (op.op) {
    case "write": {
      const b = writeBatch(ring, op.packets, p, op.waitIfFull === undefined ? {} : { waitIfFull: op.waitIfFull });
      const input: Json = { op: "write", packets: op.packets.map(packetToJson), ...(op.waitIfFull === undefined ? {} : { waitIfFull: op.waitIfFull }) };
      return { ring: b.ring, entry: { ...input, expect: { outcomes: b.outcomes.map(writeOutcomeJson), signal: b.signal, writeIndexBefore: b.writeIndexBefore, writeIndexAfter: b.writeIndexAfter, control: controlOf(b.ring) } } };
    }
    case "read": {
      const b = readBatch(ring, p, op.max);
      return { ring: b.ring, entry: { op: "read", max: op.max, expect: { packets: b.packets.map(readOutcomeJson), stop: b.stop === null ? null : readOutcomeJson(b.stop), signal: b.signal, control: controlOf(b.ring) } } };
    }
    case "peek": {
      const o = peekAt(ring, op.cursor ?? ring.control.readIndex, p);
      return { ring, entry: { op: "peek", ...(op.cursor === undefined ? {} : { cursor: op.cursor }), expect: { outcome: readOutcomeJson(o), control: controlOf(ring) } } };
    }
    case "commit": {
      const c = commitRead(ring, op.readIndex, p);
      if ("fault" in c) return { ring, entry: { op: "commit", readIndex: op.readIndex, expect: { fault: faultJson(c.fault), control: controlOf(ring) } } };
      return { ring: c.ring, entry: { op: "commit", readIndex: op.readIndex, expect: { bytesRead: c.bytesRead, signal: c.signal, control: controlOf(c.ring) } } };
    }
    case "beginRead": {
      const r = beginRead(ring);
      return { ring: r, entry: { op: "beginRead", expect: { control: controlOf(r) } } };
    }
    case "endRead": {
      const e = endRead(ring);
      const recheck = e.recheck.kind === "fault" ? { kind: "fault", fault: faultJson(e.recheck.fault) } : { ...e.recheck };
      return { ring: e.ring, entry: { op: "endRead", expect: { recheck, control: controlOf(e.ring) } } };
    }
    case "setPendingSendSize": {
      const r = setPendingSendSize(ring, op.value);
      return { ring: r, entry: { op: "setPendingSendSize", value: op.value, expect: { control: controlOf(r) } } };
    }
    case "peer": {
      const r: Ring = { control: { ...ring.control, ...op.control }, data: ring.data };
      return { ring: r, entry: { op: "peer", control: op.control, expect: { control: controlOf(r) } } };
    }
  }
};

/** Run one case under one profile: the vector file's content. */
export const ringCaseFile = (c: RingCase, profile: ProfileName): RingCaseFile => {
  const p = RING_PROFILES[profile];
  let ring = initialRing(c);
  const initial = { control: controlOf(ring), data: bytesToHex(ring.data) };
  const operations: Json[] = [];
  for (const op of c.ops) {
    const r = applyOp(ring, op, p);
    ring = r.ring;
    operations.push(r.entry);
  }
  return { formatVersion: RING_VECTORS_FORMAT_VERSION, kind: "ring-case", id: c.id, profile, title: c.title, initial, operations, final: { control: controlOf(ring), data: bytesToHex(ring.data) } };
};

export const ringVectorFiles = (): { name: string; file: RingCaseFile }[] =>
  RING_CASE_PROFILES.flatMap((profile) => RING_CASES.filter((c) => (c.profiles ?? RING_CASE_PROFILES).includes(profile)).map((c) => ({ name: `${profile}/${c.id}.json`, file: ringCaseFile(c, profile) })));

/** Write every ring case file under `outDir/ring/<profile>/` and `ring/index.json`; returns counts. */
export const writeRingVectors = async (outDir: string, opts: WriteOptions = {}): Promise<RingVectorSummary> => {
  const dir = join(outDir, "ring");
  const files = ringVectorFiles();
  for (const p of RING_CASE_PROFILES) await mkdir(join(dir, p), { recursive: true });
  let operations = 0;
  for (const [i, { name, file }] of files.entries()) {
    await writeFile(join(dir, name), JSON.stringify(file, null, 1) + "\n");
    operations += file.operations.length;
    opts.onProgress?.(i + 1, files.length, name);
  }
  const index = { formatVersion: RING_VECTORS_FORMAT_VERSION, kind: "ring-index", files: files.map((f) => f.name), cases: files.length, operations };
  await writeFile(join(dir, "index.json"), JSON.stringify(index, null, 1) + "\n");
  return { outDir: dir, files: files.length + 1, cases: files.length, operations };
};
