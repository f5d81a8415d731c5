/**
 * Ring conformance vectors (docs/vectors.md `ring/`): written twice (identical bytes), loaded
 * back through the io-ts codecs and replayed against the ring model with an interpreter written
 * here (not the generator's): every operation's result, the control fields after it and the
 * final data area must match. Key facts per profile are pinned by hand below.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RING_PROFILES } from "../../spec/ring/profile.js";
import { beginRead, commitRead, endRead, peekAt, readBatch, type ReadOutcome } from "../../spec/ring/reader.js";
import type { Ring } from "../../spec/ring/state.js";
import { setPendingSendSize, writeBatch, type WriteOutcome } from "../../spec/ring/writer.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import type { DecodedPacket, Packet } from "../../spec/wire/packet.js";
import { RingCaseFileJson, RingIndexJson, decodeWith } from "../../src/io/vectors.js";
import { writeRingVectors } from "../../src/vectors/ring.js";
import { bytes, loadAs, plain, walk } from "./helpers.js";

type CaseFile = typeof RingCaseFileJson._A;
type Op = CaseFile["operations"][number];

let dir = "";
let dir2 = "";
const files = new Map<string, CaseFile>();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vmbus-ring-vectors-"));
  dir2 = await mkdtemp(join(tmpdir(), "vmbus-ring-vectors-"));
  await writeRingVectors(dir);
  await writeRingVectors(dir2);
  const idx = await loadAs(RingIndexJson, join(dir, "ring"), "index.json");
  for (const name of idx.files) files.set(name, await loadAs(RingCaseFileJson, join(dir, "ring"), name));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(dir2, { recursive: true, force: true });
});

const file = (name: string): CaseFile => {
  const f = files.get(name);
  if (!f) throw new Error(`no vector file ${name}`);
  return f;
};

// ---- an interpreter of the file format over the model ----------------------------------------

const decoded = (p: DecodedPacket) => ({ type: p.type, offset8: p.offset8, len8: p.len8, flags: p.flags, transId: p.transId, body: p.body, payload: bytesToHex(p.payload) });
const readJson = (o: ReadOutcome): unknown =>
  o.kind === "packet" ? { kind: "packet", packet: decoded(o.packet), start: o.start, next: o.next } : o.kind === "fault" ? { kind: "fault", fault: o.fault } : o.kind === "incomplete" ? { kind: "incomplete", available: o.available } : { kind: "empty" };
const writeJson = (o: WriteOutcome): unknown =>
  o.kind === "written" ? { kind: "written", writeIndexBefore: o.writeIndexBefore, writeIndexAfter: o.writeIndexAfter, total: o.total } : o.kind === "full" ? { kind: "full", needed: o.needed, available: o.available } : { kind: "fault", fault: o.fault };
const toPacket = (p: { type: number; flags: number; transId: string; body: Packet["body"]; payload: string }): Packet => ({ type: p.type, flags: p.flags, transId: p.transId, body: p.body, payload: bytes(p.payload) });

/** Apply one operation; returns the new ring and what the model says (same shape as `op.expect`). */
const replayOp = (ring: Ring, op: Op, profile: CaseFile["profile"]): { ring: Ring; got: unknown } => {
  const p = RING_PROFILES[profile];
  switch (op.op) {
    case "write": {
      const b = writeBatch(ring, op.packets.map(toPacket), p, op.waitIfFull === undefined ? {} : { waitIfFull: op.waitIfFull });
      return { ring: b.ring, got: { outcomes: b.outcomes.map(writeJson), signal: b.signal, writeIndexBefore: b.writeIndexBefore, writeIndexAfter: b.writeIndexAfter, control: b.ring.control } };
    }
    case "read": {
      const b = readBatch(ring, p, op.max);
      return { ring: b.ring, got: { packets: b.packets.map(readJson), stop: b.stop && readJson(b.stop), signal: b.signal, control: b.ring.control } };
    }
    case "peek":
      return { ring, got: { outcome: readJson(peekAt(ring, op.cursor ?? ring.control.readIndex, p)), control: ring.control } };
    case "commit": {
      const c = commitRead(ring, op.readIndex, p);
      return "fault" in c ? { ring, got: { fault: c.fault, control: ring.control } } : { ring: c.ring, got: { bytesRead: c.bytesRead, signal: c.signal, control: c.ring.control } };
    }
    case "beginRead": {
      const r = beginRead(ring);
      return { ring: r, got: { control: r.control } };
    }
    case "endRead": {
      const e = endRead(ring);
      return { ring: e.ring, got: { recheck: e.recheck, control: e.ring.control } };
    }
    case "setPendingSendSize": {
      const r = setPendingSendSize(ring, op.value);
      return { ring: r, got: { control: r.control } };
    }
    case "peer": {
      const r: Ring = { control: { ...ring.control, ...op.control }, data: ring.data };
      return { ring: r, got: { control: r.control } };
    }
  }
};

const run = (f: CaseFile): { ring: Ring; results: unknown[] } => {
  let ring: Ring = { control: { ...f.initial.control }, data: bytes(f.initial.data) };
  const results: unknown[] = [];
  for (const op of f.operations) {
    const r = replayOp(ring, op, f.profile);
    ring = r.ring;
    results.push(r.got);
  }
  return { ring, results };
};

type Expect<K extends Op["op"]> = Extract<Op, { op: K }>["expect"];
const opExpect = <K extends Op["op"]>(name: string, i: number, k: K): Expect<K> => {
  const op = file(name).operations[i];
  if (!op || op.op !== k) throw new Error(`${name}: operation ${i} is not ${k}`);
  return op.expect as Expect<K>;
};
const signalOf = (name: string, i = 0): boolean => (opExpect(name, i, "read") as { signal: boolean }).signal;

describe("ring vectors", () => {
  it("are deterministic (two writes give identical bytes)", async () => {
    const names = await walk(join(dir, "ring"));
    expect(names).toEqual(await walk(join(dir2, "ring")));
    expect(names.length).toBeGreaterThan(250);
    for (const n of names) expect(await readFile(join(dir, "ring", n), "utf8"), n).toBe(await readFile(join(dir2, "ring", n), "utf8"));
  });

  it("replay: every operation's result, the control fields and the final data area match the model", () => {
    let ops = 0;
    for (const [name, f] of files) {
      expect(bytes(f.initial.data).length % 8, name).toBe(0);
      const { ring, results } = run(f);
      f.operations.forEach((op, i) => expect(plain(results[i]), `${name} op ${i} (${op.op})`).toEqual(plain(op.expect)));
      expect(plain(ring.control), `${name} final control`).toEqual(plain(f.final.control));
      expect(bytesToHex(ring.data), `${name} final data`).toBe(f.final.data);
      ops += f.operations.length;
    }
    expect(ops).toBeGreaterThan(500);
  });

  it("replay is not vacuous: a tampered signal, fault or data byte is detected", () => {
    const agrees = (f: CaseFile): boolean => {
      const { ring, results } = run(f);
      return f.operations.every((op, i) => isDeepStrictEqual(plain(results[i]), plain(op.expect))) && bytesToHex(ring.data) === f.final.data;
    };
    const orig = file("strict/rsig-pending-040.json");
    expect(agrees(orig)).toBe(true);
    const t1 = plain(orig) as { operations: { expect: { signal: boolean } }[] };
    t1.operations[0]!.expect.signal = false;
    expect(agrees(t1 as unknown as CaseFile)).toBe(false);
    const t2 = plain(file("strict/hostile-offset8-below-2.json")) as { operations: { expect: { stop: { fault: { offset8: number } } } }[] };
    t2.operations[0]!.expect.stop.fault.offset8 = 0;
    expect(agrees(t2 as unknown as CaseFile)).toBe(false);
    const t3 = plain(file("strict/wrap-at-104.json")) as { final: { data: string } };
    t3.final.data = (t3.final.data[0] === "0" ? "1" : "0") + t3.final.data.slice(1);
    expect(agrees(t3 as unknown as CaseFile)).toBe(false);
  });

  it("a malformed case names the bad field", () => {
    const f = plain(file("strict/wsig-empty.json")) as { initial: { control: Record<string, unknown> } };
    f.initial.control["writeIndex"] = -1;
    const r = decodeWith(RingCaseFileJson, "wsig-empty.json", f);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join("\n")).toContain("wsig-empty.json.initial.control.writeIndex");
    const v2 = decodeWith(RingCaseFileJson, "v2.json", { ...(plain(file("strict/wsig-empty.json")) as object), formatVersion: 2 });
    expect(v2.ok).toBe(false);
    if (!v2.ok) expect(v2.errors.join("\n")).toContain("v2.json.formatVersion");
  });
});

describe("ring vectors: key facts pinned by hand", () => {
  it("exactly-full boundary: total = size − 8 fits an empty ring except in OpenVMM; total = size never fits", () => {
    for (const p of ["strict", "qemu", "linux", "dpdk"]) expect(opExpect(`${p}/full-largest-on-empty.json`, 0, "write").outcomes, p).toEqual([{ kind: "written", writeIndexBefore: 0, writeIndexAfter: 120, total: 120 }]);
    expect(opExpect("openvmm/full-largest-on-empty.json", 0, "write").outcomes).toMatchObject([{ kind: "fault", fault: { kind: "packetTooLarge", rule: "RING-WRITE-3" } }]);
    for (const p of ["strict", "qemu", "linux", "openvmm", "dpdk"]) {
      expect(opExpect(`${p}/full-too-large.json`, 0, "write").outcomes, p).toMatchObject([{ kind: "fault", fault: { kind: "packetTooLarge" } }]);
      expect(opExpect(`${p}/full-exact.json`, 1, "write").outcomes, p).toMatchObject([{ kind: "written", total: 88 }]);
      expect(opExpect(`${p}/full-one-unit-over.json`, 1, "write").outcomes, p).toEqual([{ kind: "full", needed: 96, available: 96 }]);
    }
  });

  it("pending_send_sz a waiting writer stores for total 96: strict 97, OpenVMM 96 (round up 8), the others 96", () => {
    expect(opExpect("strict/full-one-unit-over.json", 1, "write").control.pendingSendSize).toBe(97);
    for (const p of ["qemu", "linux", "openvmm", "dpdk"]) expect(opExpect(`${p}/full-one-unit-over.json`, 1, "write").control.pendingSendSize, p).toBe(96);
    expect(opExpect("strict/full-no-wait.json", 1, "write").control.pendingSendSize).toBe(0);
    expect(opExpect("strict/full-exact.json", 4, "write").control.pendingSendSize).toBe(0);
  });

  it("wrap-around: the strict writer puts the trailer (start 120 << 32) after the wrapped packet; QEMU leaves stale bytes", () => {
    const s = file("strict/wrap-at-120.json");
    expect(s.final.data.slice(48, 64)).toBe("0000000078000000");
    expect(opExpect("strict/wrap-at-120.json", 1, "read").packets).toMatchObject([{ kind: "packet", start: 120, next: 32, packet: { offset8: 2, len8: 4 } }]);
    const q = file("qemu/wrap-at-120.json");
    expect(q.final.data.slice(48, 64)).toBe(q.initial.data.slice(48, 64));
  });

  it("writer signal (RING-WRITE-6): empty → signal, not empty or masked → none", () => {
    for (const p of ["strict", "qemu", "linux", "openvmm", "dpdk"]) {
      expect(opExpect(`${p}/wsig-empty.json`, 0, "write").signal, p).toBe(true);
      expect(opExpect(`${p}/wsig-not-empty.json`, 0, "write").signal, p).toBe(false);
      expect(opExpect(`${p}/wsig-masked.json`, 0, "write").signal, p).toBe(false);
      expect(opExpect(`${p}/wsig-begin-end-read.json`, 2, "endRead").recheck, p).toEqual({ kind: "pending", bytes: 32 });
    }
  });

  it("reader signal (RING-READ-4): strict B ≤ P < A, QEMU B < P ≤ A, free 32 → 64", () => {
    expect([24, 31, 32, 33, 63, 64, 65].map((P) => signalOf(`strict/rsig-pending-${String(P).padStart(3, "0")}.json`))).toEqual([false, false, true, true, true, false, false]);
    expect([24, 31, 32, 33, 63, 64, 65].map((P) => signalOf(`qemu/rsig-pending-${String(P).padStart(3, "0")}.json`))).toEqual([false, false, false, true, true, true, false]);
    expect(signalOf("strict/rsig-pending-000.json")).toBe(false);
  });

  it("QEMU quirks: free space 0 on an empty ring (no wake-up after draining), feature bit clear forces, interrupt_mask suppresses", () => {
    expect(signalOf("qemu/rsig-drain-empty.json")).toBe(false);
    expect(signalOf("strict/rsig-drain-empty.json")).toBe(true);
    expect(signalOf("qemu/rsig-feature-bit-clear-no-pending.json")).toBe(true);
    expect(signalOf("strict/rsig-feature-bit-clear.json")).toBe(false);
    expect(signalOf("openvmm/rsig-feature-bit-clear.json")).toBe(true);
    expect(signalOf("qemu/rsig-interrupt-mask.json")).toBe(false);
    expect(signalOf("qemu/rsig-feature-bits-other.json")).toBe(true);
    expect(signalOf("strict/rsig-feature-bits-other.json")).toBe(false);
    for (const p of ["strict", "qemu", "linux", "openvmm", "dpdk"]) expect(opExpect(`${p}/wsig-masked-any-nonzero.json`, 0, "write").signal, p).toBe(false);
    expect(signalOf("strict/rsig-interrupt-mask.json")).toBe(true);
  });

  it("hostile control pages and descriptors give their named faults", () => {
    const stop = (name: string): unknown => (opExpect(name, 0, "read").stop as { fault?: unknown } | null)?.fault;
    expect(stop("strict/hostile-write-index-out-of-range.json")).toEqual({ kind: "indexOutOfRange", rule: "RING-IDX-1", field: "writeIndex", value: 128, dataSize: 128 });
    expect(stop("strict/hostile-write-index-unaligned.json")).toEqual({ kind: "indexMisaligned", rule: "RING-IDX-2", field: "writeIndex", value: 44 });
    expect(opExpect("strict/hostile-read-index-unaligned.json", 0, "write").outcomes).toEqual([{ kind: "fault", fault: { kind: "indexMisaligned", rule: "RING-IDX-2", field: "readIndex", value: 4 } }]);
    expect(stop("strict/hostile-offset8-below-2.json")).toEqual({ kind: "offset8TooSmall", rule: "RING-PKT-2", offset8: 1 });
    expect(stop("strict/hostile-offset8-beyond-len8.json")).toEqual({ kind: "offset8BeyondLen8", rule: "RING-PKT-3", offset8: 5, len8: 4 });
    expect(stop("strict/hostile-len8-beyond-data.json")).toEqual({ kind: "len8BeyondData", rule: "RING-PKT-4", len8: 10, available: 40 });
    expect(stop("strict/hostile-short.json")).toEqual({ kind: "tooShort", rule: "RING-PKT-1", available: 8 });
    expect(stop("strict/hostile-gpa-no-ranges.json")).toMatchObject({ kind: "badRangeCount", rule: "RING-PKT-6", rangeCount: 0 });
    expect(stop("strict/hostile-gpa-range-empty.json")).toMatchObject({ kind: "gpaRangeEmpty", rule: "RING-PKT-7" });
    expect(stop("strict/hostile-gpa-pfns-beyond-header.json")).toMatchObject({ kind: "gpaRangePfnsBeyondHeader", rule: "RING-PKT-8" });
    expect(opExpect("qemu/hostile-len8-beyond-data.json", 0, "read").stop).toEqual({ kind: "incomplete", available: 40 });
    expect(opExpect("linux/hostile-offset8-below-2.json", 0, "read").packets).toMatchObject([{ kind: "packet", packet: { offset8: 2 } }]);
    expect(stop("qemu/hostile-transfer-pages.json")).toMatchObject({ kind: "unexpectedPacketType", rule: "RING-READ-3", type: 7 });
  });
});
