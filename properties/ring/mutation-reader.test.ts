/**
 * The ring reader's outcomes field by field (issue 13): the decoded packet, where the next
 * packet starts (RING-READ-2), a batch's stop reason and single commit, and the writer wake-up
 * decision after it (RING-READ-4).
 */
import { describe, expect, it } from "vitest";
import { RING_PROFILES } from "../../spec/ring/profile.js";
import { peekAt, readBatch, readPacket } from "../../spec/ring/reader.js";
import { makeRing, type Ring } from "../../spec/ring/state.js";
import { setPendingSendSize, writeBatch } from "../../spec/ring/writer.js";
import { PacketType, type Packet } from "../../spec/wire/packet.js";

const p = RING_PROFILES.strict;
const ring = (size: number): Ring => {
  const r = makeRing(size);
  if (!r.ok) throw new Error("bad ring");
  return r.value;
};
const pkt = (n: number, transId: string): Packet => ({ type: PacketType.DataInBand, flags: 1, transId, body: { kind: "plain" }, payload: Uint8Array.from({ length: n }, (_, i) => i + 1) });
const three = (): Ring => writeBatch(ring(256), [pkt(3, "5"), pkt(8, "6"), pkt(1, "7")], p).ring;

describe("RING-READ-1 / RING-READ-2: what a reader sees", () => {
  it("peekAt decodes the descriptor and payload and says where the next packet starts, without moving any index", () => {
    const r = three();
    const o = peekAt(r, 0, p);
    expect(o).toMatchObject({ kind: "packet", start: 0, next: 32, packet: { type: PacketType.DataInBand, offset8: 2, len8: 3, flags: 1, transId: "5", body: { kind: "plain" } } });
    if (o.kind === "packet") expect([...o.packet.payload]).toEqual([1, 2, 3, 0, 0, 0, 0, 0]);
    expect(peekAt(r, 32, p)).toMatchObject({ kind: "packet", start: 32, next: 64, packet: { transId: "6", len8: 3 } });
    expect(r.control.readIndex).toBe(0);
    expect(peekAt(r, 96, p)).toEqual({ kind: "empty" });
  });
  it("a batch of 2 of 3 packets stops with no reason and commits once; the rest then ends 'empty'", () => {
    const r = three();
    const b = readBatch(r, p, 2);
    expect(b.packets.map((x) => x.packet.transId)).toEqual(["5", "6"]);
    expect(b.stop).toBeNull();
    expect(b.ring.control.readIndex).toBe(64);
    const rest = readBatch(b.ring, p, 5);
    expect(rest.packets.map((x) => x.packet.transId)).toEqual(["7"]);
    expect(rest.stop).toEqual({ kind: "empty" });
    expect(rest.ring.control.readIndex).toBe(96);
    const none = readBatch(rest.ring, p, 5);
    expect(none.ring).toBe(rest.ring);
    expect(none.stop).toEqual({ kind: "empty" });
    expect(readPacket(rest.ring, p).outcome).toEqual({ kind: "empty" });
  });
});

describe("RING-READ-4: the reader wakes a waiting writer once enough space is free", () => {
  it("with pending_send_sz above the space before the read and within the space after, the batch signals; without, it does not", () => {
    const r = three(); // 96 of 256 used: 160 free before reading
    expect(readBatch(r, p, 3).signal).toBe(false);
    expect(readBatch(setPendingSendSize(r, 200), p, 3).signal).toBe(true);
    expect(readBatch(setPendingSendSize(r, 150), p, 3).signal).toBe(false);
    expect(readBatch(setPendingSendSize(r, 257), p, 3).signal).toBe(false);
  });
});

describe("RING-PKT-1 / RING-READ-6: fewer bytes published than a descriptor", () => {
  it("8 bytes published: strict faults (RING-PKT-1), dpdk and qemu wait (incomplete), at peek and in a batch", () => {
    const r: Ring = { control: { ...ring(256).control, writeIndex: 8 }, data: new Uint8Array(256) };
    expect(peekAt(r, 0, p)).toEqual({ kind: "fault", fault: { kind: "tooShort", rule: "RING-PKT-1", available: 8 } });
    for (const name of ["dpdk", "qemu"] as const) {
      expect(peekAt(r, 0, RING_PROFILES[name])).toEqual({ kind: "incomplete", available: 8 });
      const b = readBatch(r, RING_PROFILES[name], 3);
      expect(b.stop).toEqual({ kind: "incomplete", available: 8 });
      expect(b.packets).toEqual([]);
      expect(b.ring).toBe(r);
      expect(b.signal).toBe(false);
    }
  });
  it("a batch on a ring of invalid size reads no packet and does not signal (RING-GEOM-1)", () => {
    const bad: Ring = { control: { ...ring(256).control, pendingSendSize: 8 }, data: new Uint8Array(60) };
    const b = readBatch(bad, p, 3);
    expect(b.packets).toEqual([]);
    expect(b.signal).toBe(false);
  });
  it("an empty batch never signals, even with a writer waiting", () => {
    const r = setPendingSendSize(ring(256), 8);
    const b = readBatch(r, p, 3);
    expect(b.stop).toEqual({ kind: "empty" });
    expect(b.ring).toBe(r);
    expect(b.signal).toBe(false);
  });
});

describe("a batch stops after the bytes published at its start (Linux clamp, drivers/hv/ring_buffer.c hv_pkt_iter_next)", () => {
  it("linux: a 24-byte packet published without its trailer is read, the cursor passes the write index, and the batch stops there", () => {
    const d = new Uint8Array(256);
    const v = new DataView(d.buffer);
    v.setUint16(0, PacketType.DataInBand, true);
    v.setUint16(2, 2, true); // offset8
    v.setUint16(4, 3, true); // len8: 24 bytes, no trailer published
    const r: Ring = { control: { ...ring(256).control, writeIndex: 24 }, data: d };
    const b = readBatch(r, RING_PROFILES.linux, 5);
    expect(b.packets.map((x) => x.packet.len8)).toEqual([3]);
    expect(b.stop).toEqual({ kind: "empty" });
    expect(b.ring.control.readIndex).toBe(32);
  });
});
