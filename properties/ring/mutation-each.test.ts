/**
 * The reader's packet-by-packet forms (issue 13): readEach commits each packet (RING-READ-2) and
 * peekEach moves no index, both bounded by the bytes published when they began (RING-READ-6);
 * commitRead validates the index it publishes (RING-IDX-1/2); peekAt's outcomes for a bad view,
 * a bad descriptor (RING-PKT-2, RING-PKT-4) and typed headers (RING-PKT-5).
 */
import { describe, expect, it } from "vitest";
import { RING_PROFILES } from "../../spec/ring/profile.js";
import { commitRead, peekAt, peekEach, readEach } from "../../spec/ring/reader.js";
import { makeRing, type Ring } from "../../spec/ring/state.js";
import { writeBatch, writePacket } from "../../spec/ring/writer.js";
import { PacketType, type Packet } from "../../spec/wire/packet.js";

const p = RING_PROFILES.strict;
const ring = (size: number): Ring => {
  const r = makeRing(size);
  if (!r.ok) throw new Error("bad ring");
  return r.value;
};
const pkt = (n: number, transId: string): Packet => ({ type: PacketType.DataInBand, flags: 0, transId, body: { kind: "plain" }, payload: Uint8Array.from({ length: n }, (_, i) => i + 1) });
/** Three 32-byte packets (transIds 5, 6, 7) at 0, 32 and 64 of a 256-byte ring. */
const three = (): Ring => writeBatch(ring(256), [pkt(3, "5"), pkt(8, "6"), pkt(1, "7")], p).ring;
const withControl = (r: Ring, c: Partial<Ring["control"]>): Ring => ({ control: { ...r.control, ...c }, data: r.data });
const ids = (outcomes: readonly { kind: string; packet?: { transId: string } }[]): string[] => outcomes.map((o) => (o.kind === "packet" ? o.packet!.transId : o.kind));

describe("RING-READ-2: readEach commits packet after packet", () => {
  it("reads the three published packets, one commit each, and stops once the published bytes are consumed (no fourth, empty read)", () => {
    const r = three();
    const { ring: out, reads } = readEach(r, p, 10);
    expect(ids(reads.map((x) => x.result.outcome))).toEqual(["5", "6", "7"]);
    expect(reads.map((x) => x.cursor)).toEqual([0, 32, 64]);
    expect(reads.map((x) => x.result.ring.control.readIndex)).toEqual([32, 64, 96]);
    expect(reads[0]!.before).toBe(r);
    expect(reads[1]!.before).toBe(reads[0]!.result.ring);
    expect(reads[2]!.before).toBe(reads[1]!.result.ring);
    expect(out).toBe(reads[2]!.result.ring);
    expect(out.control.readIndex).toBe(96);
  });
  it("stops after `max` reads, leaving the rest published", () => {
    const { ring: out, reads } = readEach(three(), p, 2);
    expect(ids(reads.map((x) => x.result.outcome))).toEqual(["5", "6"]);
    expect(out.control.readIndex).toBe(64);
    expect(readEach(three(), p, 0).reads).toEqual([]);
  });
  it("an empty ring gives one read, 'empty', and the ring unchanged", () => {
    const r = ring(128);
    const { ring: out, reads } = readEach(r, p, 5);
    expect(reads.map((x) => x.result.outcome)).toEqual([{ kind: "empty" }]);
    expect(out).toBe(r);
  });
  it("a fault ends the reads and is the last one (RING-PKT-2 after a good packet)", () => {
    const r = three();
    const data = r.data.slice();
    data[32 + 2] = 1; // second packet: offset8 = 1
    const { reads } = readEach({ control: r.control, data }, p, 10);
    expect(reads.map((x) => x.result.outcome.kind)).toEqual(["packet", "fault"]);
    expect(reads[1]!.result.outcome).toMatchObject({ fault: { rule: "RING-PKT-2" } });
  });
});

describe("RING-READ-1: peekEach looks at every published packet without moving the read index", () => {
  it("three packets from the read index, their cursors, and nothing past the published bytes", () => {
    const r = three();
    const out = peekEach(r, p);
    expect(out.map((x) => x.cursor)).toEqual([0, 32, 64]);
    expect(ids(out.map((x) => x.outcome))).toEqual(["5", "6", "7"]);
    expect(r.control.readIndex).toBe(0);
    const later = peekEach(withControl(r, { readIndex: 32 }), p);
    expect(later.map((x) => x.cursor)).toEqual([32, 64]);
  });
  it("an empty ring gives one outcome, 'empty'; a fault is the last outcome", () => {
    expect(peekEach(ring(128), p)).toEqual([{ cursor: 0, outcome: { kind: "empty" } }]);
    const r = three();
    const data = r.data.slice();
    data[64 + 2] = 7; // third packet: offset8 beyond len8
    const out = peekEach({ control: r.control, data }, p);
    expect(out.map((x) => x.outcome.kind)).toEqual(["packet", "packet", "fault"]);
    expect(out[2]!.outcome).toMatchObject({ fault: { rule: "RING-PKT-3" } });
  });
});

describe("RING-IDX-1/2: commitRead publishes only valid indices", () => {
  it("commits a valid index with the bytes consumed", () => {
    const c = commitRead(three(), 64, p);
    expect("fault" in c).toBe(false);
    if (!("fault" in c)) {
      expect(c.ring.control.readIndex).toBe(64);
      expect(c.bytesRead).toBe(64);
      expect(c.signal).toBe(false);
    }
  });
  it("refuses a misaligned new index, and a control read index out of range, naming the field", () => {
    expect(commitRead(three(), 12, p)).toEqual({ fault: { kind: "indexMisaligned", rule: "RING-IDX-2", field: "readIndex", value: 12 } });
    expect(commitRead(withControl(three(), { readIndex: 4096 }), 64, p)).toEqual({
      fault: { kind: "indexOutOfRange", rule: "RING-IDX-1", field: "readIndex", value: 4096, dataSize: 256 },
    });
  });
});

describe("peekAt outcomes: a bad view, a bad descriptor, a typed header (RING-IDX-2, RING-PKT-2, RING-PKT-4, RING-PKT-5)", () => {
  it("a misaligned write index is a fault naming writeIndex", () => {
    expect(peekAt(withControl(three(), { writeIndex: 4 }), 0, p)).toEqual({ kind: "fault", fault: { kind: "indexMisaligned", rule: "RING-IDX-2", field: "writeIndex", value: 4 } });
  });
  it("an offset8 below 2 is a fault (strict); a len8 beyond the published bytes is 'incomplete' for qemu and a RING-PKT-4 fault for strict", () => {
    const r = three();
    const data = r.data.slice();
    data[2] = 1;
    expect(peekAt({ control: r.control, data }, 0, p)).toEqual({ kind: "fault", fault: { kind: "offset8TooSmall", rule: "RING-PKT-2", offset8: 1 } });
    const long = r.data.slice();
    long[4] = 20; // len8 = 20: 160 bytes, 96 published
    expect(peekAt({ control: r.control, data: long }, 0, RING_PROFILES.qemu)).toEqual({ kind: "incomplete", available: 96 });
    expect(peekAt({ control: r.control, data: long }, 0, p)).toEqual({ kind: "fault", fault: { kind: "len8BeyondData", rule: "RING-PKT-4", len8: 20, available: 96 } });
  });
  it("a GPA-direct packet's ranges are decoded by a profile that parses typed headers and not by one that does not", () => {
    const g: Packet = { type: PacketType.DataUsingGpaDirect, flags: 0, transId: "9", body: { kind: "gpaDirect", reserved: 0, ranges: [{ byteOffset: 0, byteCount: 4096, pfns: ["77"] }] }, payload: Uint8Array.of(1, 2) };
    const r = writePacket(ring(256), g, p).ring;
    const strict = peekAt(r, 0, p);
    expect(strict).toMatchObject({ kind: "packet", packet: { body: { kind: "gpaDirect", ranges: [{ byteOffset: 0, byteCount: 4096, pfns: ["77"] }] } } });
    expect(peekAt(r, 0, RING_PROFILES.dpdk)).toMatchObject({ kind: "packet", packet: { body: { kind: "plain" } } });
    // rangeCount 5 where one range fits: the typed header is refused with its rule.
    const data = r.data.slice();
    data[16 + 4] = 5;
    const bad = peekAt({ control: r.control, data }, 0, p);
    expect(bad.kind).toBe("fault");
    if (bad.kind === "fault") expect(bad.fault.rule).toMatch(/^RING-PKT-[5-8]$/);
  });
});
