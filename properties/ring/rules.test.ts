/** The exactly-full boundary and every signal rule, per profile, as explicit cases. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROFILE_NAMES, type ProfileName } from "../../spec/profiles.js";
import { availBytes, pendingSendSizeFor, readerShouldSignal, WRITE_FITS, WRITE_FULL, WRITE_TOO_LARGE, writerShouldSignal, writeVerdict } from "../../spec/ring/decide.js";
import { RING_PROFILES } from "../../spec/ring/profile.js";
import { beginRead, endRead, readPacket } from "../../spec/ring/reader.js";
import { RULES } from "../../spec/ring/rules.js";
import { makeRing, type Ring } from "../../spec/ring/state.js";
import { writeBatch, writePacket } from "../../spec/ring/writer.js";
import type { Packet } from "../../spec/wire/packet.js";

const P = (n: ProfileName) => RING_PROFILES[n];
const inband = (len: number): Packet => ({ type: 6, flags: 0, transId: "1", body: { kind: "plain" }, payload: new Uint8Array(len).fill(0xab) });
const ring = (size: number, c: Partial<Ring["control"]> = {}): Ring => {
  const r = makeRing(size, c);
  if (!r.ok) throw new Error("size");
  return r.value;
};
const byProfile = <T>(f: (n: ProfileName) => T): Record<ProfileName, T> => Object.fromEntries(PROFILE_NAMES.map((n) => [n, f(n)])) as Record<ProfileName, T>;

describe("exactly-full rule (RING-WRITE-1, RING-WRITE-3)", () => {
  it("keeps 8 bytes free in every profile", () => {
    for (const n of PROFILE_NAMES) {
      // w = 64, r = 0 on a 128-byte ring: avail 64, so totals up to 56 fit.
      expect(writeVerdict(P(n), 56, availBytes(64, 0, 128), 128)).toBe(WRITE_FITS);
      expect(writeVerdict(P(n), 64, availBytes(64, 0, 128), 128)).toBe(WRITE_FULL);
      expect(writeVerdict(P(n), 112, 128, 128)).toBe(WRITE_FITS);
    }
  });
  it("OpenVMM refuses total ≥ datasize − 8 outright; the others accept it on an empty ring", () => {
    expect(byProfile((n) => writeVerdict(P(n), 120, 128, 128))).toEqual({ strict: WRITE_FITS, qemu: WRITE_FITS, linux: WRITE_FITS, openvmm: WRITE_TOO_LARGE, dpdk: WRITE_FITS });
    for (const n of PROFILE_NAMES) expect(writeVerdict(P(n), 128, 128, 128)).toBe(WRITE_TOO_LARGE);
  });
  it("through the writer: a packet that exactly fills the free space is `full`, with pending_send_sz set per profile", () => {
    // 128-byte ring, 64 used: an in-band packet of 40 payload bytes has total 16+40+8 = 64.
    const r = ring(128, { writeIndex: 64 });
    for (const n of PROFILE_NAMES) {
      const w = writePacket(r, inband(40), P(n));
      expect(w.outcome).toEqual({ kind: "full", needed: 64, available: 64 });
      expect(w.ring.control.pendingSendSize).toBe({ strict: 65, qemu: 64, linux: 64, openvmm: 64, dpdk: 64 }[n]);
      expect(writePacket(r, inband(32), P(n)).outcome.kind).toBe("written");
    }
    expect(writePacket(ring(128), inband(100), P("openvmm")).outcome).toMatchObject({ kind: "fault", fault: { kind: "packetTooLarge", rule: "RING-WRITE-3" } });
  });
});

describe("writer → reader signal (RING-WRITE-6)", () => {
  it("signals on empty → non-empty only, never while the reader masks interrupts", () => {
    for (const n of PROFILE_NAMES) {
      const first = writePacket(ring(256), inband(8), P(n));
      expect(first.signal).toBe(true);
      expect(writePacket(first.ring, inband(8), P(n)).signal).toBe(false);
      expect(writePacket(ring(256, { interruptMask: 1 }), inband(8), P(n)).signal).toBe(false);
    }
  });
  it("a batch signals once, for the whole batch", () => {
    const b = writeBatch(ring(256), [inband(1), inband(2), inband(3)], P("strict"));
    expect(b.outcomes.every((o) => o.kind === "written")).toBe(true);
    expect(b.signal).toBe(true);
  });
  it("QEMU also signals when the reader already consumed part or all of the batch; the others do not", () => {
    // batch wrote 0 → 64; the reader is at 32 (part) or 64 (all) when the writer looks.
    expect(byProfile((n) => writerShouldSignal(P(n), 0, 64, 32, 0, 64, 256))).toEqual({ strict: false, qemu: true, linux: false, openvmm: false, dpdk: false });
    expect(byProfile((n) => writerShouldSignal(P(n), 0, 64, 64, 0, 64, 256))).toEqual({ strict: false, qemu: true, linux: false, openvmm: false, dpdk: false });
    expect(byProfile((n) => writerShouldSignal(P(n), 0, 64, 0, 0, 64, 256))).toEqual(byProfile(() => true));
  });
  it("hv_end_read re-check: data written while masked is reported, not slept on (RING-READ-5)", () => {
    const masked = beginRead(ring(256));
    const w = writePacket(masked, inband(4), P("strict"));
    expect(w.signal).toBe(false);
    expect(endRead(w.ring).recheck).toEqual({ kind: "pending", bytes: 32 });
    expect(endRead(ring(256)).recheck).toEqual({ kind: "empty" });
  });
});

describe("reader → writer signal (RING-READ-4)", () => {
  // 128-byte ring, w = 96, reader moves 0 → 24: free before B = 32, after A = 56.
  const sig = (n: ProfileName, pending: number, mask = 0, features = 1) => readerShouldSignal(P(n), 24, 24, 96, pending, mask, features, 128);
  it("upper bound: strict (A > P) vs inclusive (A ≥ P), free space with or without the 8 reserved bytes", () => {
    expect(byProfile((n) => sig(n, 56))).toEqual({ strict: false, qemu: true, linux: false, openvmm: false, dpdk: false });
    expect(byProfile((n) => sig(n, 55))).toEqual({ strict: true, qemu: true, linux: true, openvmm: true, dpdk: true });
  });
  it("lower bound: B ≤ P (Linux, DPDK, strict) vs B < P (QEMU, OpenVMM with P rounded down to 8)", () => {
    expect(byProfile((n) => sig(n, 32))).toEqual({ strict: true, qemu: false, linux: true, openvmm: true, dpdk: true });
    expect(byProfile((n) => sig(n, 31))).toEqual({ strict: false, qemu: false, linux: false, openvmm: false, dpdk: false });
    expect(byProfile((n) => sig(n, 0))).toEqual(byProfile(() => false));
  });
  it("a clear feature bit suppresses (Linux, DPDK, strict), forces (QEMU) or is ignored (OpenVMM)", () => {
    expect(byProfile((n) => sig(n, 55, 0, 0))).toEqual({ strict: false, qemu: true, linux: false, openvmm: true, dpdk: false });
    expect(byProfile((n) => sig(n, 0, 0, 0))).toEqual({ strict: false, qemu: true, linux: false, openvmm: false, dpdk: false });
  });
  it("interrupt_mask on the ring read suppresses only QEMU's signal", () => {
    expect(byProfile((n) => sig(n, 55, 1))).toEqual({ strict: true, qemu: false, linux: true, openvmm: true, dpdk: true });
  });
  it("QEMU computes free space 0 on a drained ring and misses the wake-up (QEMU quirk Q13)", () => {
    // w = 24, reader drains 0 → 24: B = 104, A = 128; the writer waits for 110 bytes.
    expect(byProfile((n) => readerShouldSignal(P(n), 24, 24, 24, 110, 0, 1, 128))).toEqual({ strict: true, qemu: false, linux: true, openvmm: true, dpdk: true });
  });
  it("strict's pending_send_sz (total + 1) makes EVERY reader signal exactly when the waiting packet starts to fit (derived)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 15 }), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 15 }), fc.constantFrom<ProfileName>("strict", "linux", "dpdk", "openvmm", "qemu"), (t8, used8, read8, reader) => {
        const size = 128;
        const total = t8 * 8;
        const used = Math.min(used8 * 8, size - 8);
        const read = Math.min(read8 * 8, used);
        if (read === 0 || read === used) return; // QEMU's drained-ring case is tested above
        const w = used; // r = 0 before
        const fitsBefore = writeVerdict(P("strict"), total, size - used, size) === WRITE_FITS;
        const fitsAfter = writeVerdict(P("strict"), total, size - used + read, size) === WRITE_FITS;
        const s = readerShouldSignal(P(reader), read, read, w, pendingSendSizeFor(P("strict"), total), 0, 1, size);
        expect(s).toBe(!fitsBefore && fitsAfter);
      }),
      { numRuns: 2000 },
    );
  });
  it("with P = total (QEMU's and Linux's own writers) a QEMU reader wakes the writer 8 bytes too early", () => {
    // total 40: the writer needs avail ≥ 48. w = 96, r 0 → 8: avail 32 → 40, still not enough.
    expect(readerShouldSignal(P("qemu"), 8, 8, 96, pendingSendSizeFor(P("linux"), 40), 0, 1, 128)).toBe(true);
    expect(writeVerdict(P("strict"), 40, availBytes(96, 8, 128), 128)).toBe(WRITE_FULL);
    expect(readerShouldSignal(P("qemu"), 8, 8, 96, pendingSendSizeFor(P("strict"), 40), 0, 1, 128)).toBe(false);
  });
  it("through the reader: committing past the threshold signals once", () => {
    let r = ring(128);
    for (let i = 0; i < 3; i++) r = writePacket(r, inband(8), P("strict")).ring; // 3 × 32 bytes
    const full = writePacket(r, inband(40), P("strict")); // needs 64, avail 32 → full, P = 65
    expect(full.outcome.kind).toBe("full");
    const a = readPacket(full.ring, P("strict")); // avail 64: still not > 65
    expect(a.signal).toBe(false);
    const b = readPacket(a.ring, P("strict")); // avail 96 > 65
    expect(b.signal).toBe(true);
    expect(readPacket(b.ring, P("strict")).signal).toBe(false);
  });
});

describe("other profile parameters", () => {
  it("QEMU writes neither padding nor trailer; the others do (RING-WRITE-5)", () => {
    const stale: Ring = { control: ring(64).control, data: new Uint8Array(64).fill(0xee) };
    const q = writePacket(stale, inband(3), P("qemu")).ring.data;
    expect(Array.from(q.subarray(16, 32))).toEqual([0xab, 0xab, 0xab, ...new Array(13).fill(0xee)]);
    const s = writePacket(stale, inband(3), P("strict")).ring.data;
    expect(Array.from(s.subarray(16, 32))).toEqual([0xab, 0xab, 0xab, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
  it("reader packet-type acceptance (RING-READ-3)", () => {
    const xfer: Packet = { type: 7, flags: 0, transId: "2", body: { kind: "transferPage", transferPageSetId: 1, senderOwnsSet: 0, reserved: 0, ranges: [{ byteCount: 1, byteOffset: 0 }] }, payload: new Uint8Array(0) };
    const r = writePacket(ring(256), xfer, P("strict")).ring;
    expect(byProfile((n) => readPacket(r, P(n)).outcome.kind)).toEqual({ strict: "packet", qemu: "fault", linux: "packet", openvmm: "packet", dpdk: "packet" });
    const synch = writePacket(ring(256), { ...inband(0), type: 1 }, P("strict")).ring;
    expect(byProfile((n) => readPacket(synch, P(n)).outcome.kind)).toEqual({ strict: "fault", qemu: "fault", linux: "packet", openvmm: "fault", dpdk: "packet" });
  });
  it("bad offset8: fault everywhere but Linux, which clamps to 16 bytes", () => {
    const data = new Uint8Array(64);
    data.set([6, 0, 1, 0, 3, 0, 0, 0]); // offset8 1 < 2
    const r: Ring = { control: { ...ring(64).control, writeIndex: 32 }, data };
    expect(byProfile((n) => readPacket(r, P(n)).outcome.kind)).toEqual({ strict: "fault", qemu: "fault", linux: "packet", openvmm: "fault", dpdk: "fault" });
    const o = readPacket(r, P("linux")).outcome;
    expect(o.kind === "packet" && o.packet.offset8).toBe(2);
  });
  it("truncated packet: strict/OpenVMM fault, QEMU/DPDK wait, Linux clamps", () => {
    const data = new Uint8Array(64);
    data.set([6, 0, 2, 0, 4, 0, 0, 0]); // 32 bytes claimed, 24 published
    const r: Ring = { control: { ...ring(64).control, writeIndex: 24 }, data };
    expect(byProfile((n) => readPacket(r, P(n)).outcome.kind)).toEqual({ strict: "fault", qemu: "incomplete", linux: "packet", openvmm: "fault", dpdk: "incomplete" });
  });
  it("every rule has an ID, one sentence, profiles and a source; IDs are unique", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^RING-[A-Z]+-\d+$/);
      expect(r.source).toMatch(/QEMU|Linux|OpenVMM|DPDK|Microsoft|FreeBSD|derived|spec/);
    }
  });
  it("minimum real ring sizes: QEMU 2 pages per ring, OpenVMM 1", () => {
    expect(P("qemu").minDataSize).toBe(4096);
    expect(P("openvmm").minDataSize).toBe(0);
    expect(P("strict").minDataSize).toBe(4096);
  });
});
