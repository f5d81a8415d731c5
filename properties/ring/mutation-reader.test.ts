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
