/**
 * The reader's packet-by-packet loops (spec/ring/reader.ts readEach, peekEach) and peekAt's stop
 * reasons (issue 13): each read commits and decides once (RING-READ-2, RING-READ-4), the loops
 * stop at the first non-packet outcome or once the bytes published at the start are consumed.
 */
import { describe, expect, it } from "vitest";
import { RING_PROFILES } from "../../spec/ring/profile.js";
import { commitRead, peekAt, peekEach, readBatch, readEach } from "../../spec/ring/reader.js";
import { makeRing, type Ring } from "../../spec/ring/state.js";
import { writeBatch } from "../../spec/ring/writer.js";
import { PacketType, type Packet } from "../../spec/wire/packet.js";

const strict = RING_PROFILES.strict;
const ring = (size: number): Ring => {
  const r = makeRing(size);
  if (!r.ok) throw new Error("bad ring");
  return r.value;
};
const pkt = (n: number, transId: string): Packet => ({ type: PacketType.DataInBand, flags: 0, transId, body: { kind: "plain" }, payload: new Uint8Array(n).fill(3) });
/** Three packets of 32 bytes each (len8 3 + trailer) at 0, 32 and 64. */
const three = (): Ring => writeBatch(ring(256), [pkt(3, "1"), pkt(8, "2"), pkt(1, "3")], strict).ring;
/** A ring whose first descriptor at 0 is written by hand (type, offset8, len8), with `published` bytes. */
const rawDescriptor = (type: number, offset8: number, len8: number, published: number): Ring => {
  const r = ring(256);
  const d = r.data.slice();
  const v = new DataView(d.buffer);
  v.setUint16(0, type, true);
  v.setUint16(2, offset8, true);
  v.setUint16(4, len8, true);
  return { control: { ...r.control, writeIndex: published }, data: d };
};

describe("RING-READ-2 / RING-READ-4: readEach commits packet by packet", () => {
  it("reads every published packet, each from where the last one ended, and stops once they are consumed", () => {
    const r = three();
    const { ring: out, reads } = readEach(r, strict, 10);
    expect(reads.map((x) => x.cursor)).toEqual([0, 32, 64]);
    expect(reads.map((x) => (x.result.outcome.kind === "packet" ? x.result.outcome.packet.transId : x.result.outcome.kind))).toEqual(["1", "2", "3"]);
    expect(reads[0]!.before).toBe(r);
    expect(reads[1]!.before).toBe(reads[0]!.result.ring);
    expect(reads.map((x) => x.result.ring.control.readIndex)).toEqual([32, 64, 96]);
    expect(out.control.readIndex).toBe(96);
  });
  it("stops after `max` reads", () => {
    const { ring: out, reads } = readEach(three(), strict, 2);
    expect(reads.length).toBe(2);
    expect(out.control.readIndex).toBe(64);
    expect(readEach(three(), strict, 0).reads).toEqual([]);
  });
  it("an empty ring is one read that says 'empty'; a fault is the last read and moves nothing", () => {
    const e = ring(256);
    const { ring: out, reads } = readEach(e, strict, 5);
    expect(reads.map((x) => x.result.outcome)).toEqual([{ kind: "empty" }]);
    expect(out).toBe(e);
    const bad = rawDescriptor(PacketType.DataInBand, 1, 3, 32);
    const f = readEach(bad, strict, 5);
    expect(f.reads.map((x) => x.result.outcome)).toEqual([{ kind: "fault", fault: { kind: "offset8TooSmall", rule: "RING-PKT-2", offset8: 1 } }]);
    expect(f.ring.control.readIndex).toBe(0);
  });
});

describe("RING-READ-2: peekEach looks at packet after packet without moving the read index", () => {
  it("gives each packet with its cursor and nothing after the last published one", () => {
    const r = three();
    const out = peekEach(r, strict);
    expect(out.map((x) => x.cursor)).toEqual([0, 32, 64]);
    expect(out.map((x) => (x.outcome.kind === "packet" ? x.outcome.next : -1))).toEqual([32, 64, 96]);
    expect(r.control.readIndex).toBe(0);
  });
  it("an empty ring gives one 'empty'; a bad descriptor gives one fault", () => {
    expect(peekEach(ring(256), strict)).toEqual([{ cursor: 0, outcome: { kind: "empty" } }]);
    expect(peekEach(rawDescriptor(PacketType.DataInBand, 4, 3, 32), strict)).toEqual([
      { cursor: 0, outcome: { kind: "fault", fault: { kind: "offset8BeyondLen8", rule: "RING-PKT-3", offset8: 4, len8: 3 } } },
    ]);
  });
});

describe("peekAt's stop reasons (RING-IDX-1, RING-PKT-4, RING-READ-6)", () => {
  it("RING-IDX-1: a write index outside the ring is a fault before anything is read", () => {
    const r = three();
    const wild = { control: { ...r.control, writeIndex: 512 }, data: r.data };
    const fault = { kind: "indexOutOfRange", rule: "RING-IDX-1", field: "writeIndex", value: 512, dataSize: 256 };
    expect(peekAt(wild, 0, strict)).toEqual({ kind: "fault", fault });
    expect(readBatch(wild, strict, 3)).toEqual({ ring: wild, packets: [], stop: { kind: "fault", fault }, signal: false });
    expect(commitRead(r, 0, strict)).toMatchObject({ bytesRead: 0, signal: false });
  });
  it("RING-READ-6: len8 beyond the published bytes is a fault in strict, 'incomplete' for DPDK, a clamped packet for Linux", () => {
    const r = rawDescriptor(PacketType.DataInBand, 2, 8, 32);
    expect(peekAt(r, 0, strict)).toEqual({ kind: "fault", fault: { kind: "len8BeyondData", rule: "RING-PKT-4", len8: 8, available: 32 } });
    expect(peekAt(r, 0, RING_PROFILES.dpdk)).toEqual({ kind: "incomplete", available: 32 });
    expect(peekAt(r, 0, RING_PROFILES.linux)).toMatchObject({ kind: "packet", packet: { len8: 4 } });
  });
  it("RING-READ-3: a type outside strict's accepted set is a fault", () => {
    expect(peekAt(rawDescriptor(5, 2, 3, 32), 0, strict)).toEqual({ kind: "fault", fault: { kind: "unexpectedPacketType", rule: "RING-READ-3", type: 5 } });
  });
});

describe("RING-PKT-5 / RING-PKT-6: typed headers are decoded where the profile parses them", () => {
  const gpa: Packet = { type: PacketType.DataUsingGpaDirect, flags: 0, transId: "9", body: { kind: "gpaDirect", reserved: 0, ranges: [{ byteCount: 100, byteOffset: 0, pfns: ["5"] }] }, payload: new Uint8Array(8).fill(1) };
  it("a GPA-direct packet reads back with its ranges and its payload after offset8 × 8", () => {
    const r = writeBatch(ring(256), [gpa], strict).ring;
    const o = peekAt(r, 0, strict);
    expect(o).toMatchObject({ kind: "packet", packet: { type: PacketType.DataUsingGpaDirect, offset8: 5, body: { kind: "gpaDirect", reserved: 0, ranges: [{ byteCount: 100, byteOffset: 0, pfns: ["5"] }] } } });
    if (o.kind === "packet") expect([...o.packet.payload]).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(peekAt(r, 0, RING_PROFILES.dpdk)).toMatchObject({ kind: "packet", packet: { body: { kind: "plain" } } });
  });
  it("RING-PKT-5: a GPA-direct packet whose offset8 leaves no room for its header is a fault in strict", () => {
    const o = peekAt(rawDescriptor(PacketType.DataUsingGpaDirect, 2, 3, 32), 0, strict);
    expect(o).toMatchObject({ kind: "fault", fault: { rule: "RING-PKT-5" } });
  });
});
