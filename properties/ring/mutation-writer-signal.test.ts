/**
 * The writer's wake-up decision over a batch and what a batch that writes nothing returns
 * (issue 13): RING-WRITE-6 counts only the bytes this batch added, a batch that adds none never
 * signals, a faulted batch never signals (RING-GEOM-1), and a batch or pending_send_sz store
 * that changes nothing gives the same ring back (RING-WRITE-7).
 */
import { describe, expect, it } from "vitest";
import { RING_PROFILES } from "../../spec/ring/profile.js";
import { makeRing, type Ring } from "../../spec/ring/state.js";
import { setPendingSendSize, writeBatch, writePacket } from "../../spec/ring/writer.js";
import { PacketType, type Packet } from "../../spec/wire/packet.js";

const ring = (size: number, control: Partial<Ring["control"]> = {}): Ring => {
  const r = makeRing(size, control);
  if (!r.ok) throw new Error("bad ring");
  return r.value;
};
const inband = (n: number): Packet => ({ type: PacketType.DataInBand, flags: 0, transId: "1", body: { kind: "plain" }, payload: new Uint8Array(n).fill(3) });

describe("RING-WRITE-6: the signal counts the bytes this batch wrote", () => {
  it("qemu (unread ≤ written): a 32-byte packet behind 64 unread bytes does not signal; on a ring drained at 64 it does", () => {
    const q = RING_PROFILES.qemu;
    expect(writePacket(ring(256, { writeIndex: 64, readIndex: 0 }), inband(8), q).signal).toBe(false);
    expect(writePacket(ring(256, { writeIndex: 64, readIndex: 64 }), inband(8), q).signal).toBe(true);
  });
  it("a batch that writes nothing does not signal, even on an empty ring: too large (RING-WRITE-3) or full without waiting", () => {
    for (const name of ["strict", "qemu"] as const) {
      const p = RING_PROFILES[name];
      const tooLarge = writeBatch(ring(64, { writeIndex: 32, readIndex: 32 }), [inband(64)], p);
      expect(tooLarge.outcomes[0]!.kind).toBe("fault");
      expect(tooLarge.signal).toBe(false);
    }
  });
  it("RING-GEOM-1: a ring whose data size is not valid is a fault for every packet, and never signals", () => {
    const bad: Ring = { control: ring(64).control, data: new Uint8Array(60) };
    const b = writeBatch(bad, [inband(8), inband(0)], RING_PROFILES.strict);
    expect(b.outcomes).toEqual([
      { kind: "fault", fault: { kind: "badDataSize", rule: "RING-GEOM-1", dataSize: 60 } },
      { kind: "fault", fault: { kind: "badDataSize", rule: "RING-GEOM-1", dataSize: 60 } },
    ]);
    expect(b.signal).toBe(false);
    expect(b.ring).toBe(bad);
    expect(b.writeIndexAfter).toBe(0);
  });
});

describe("RING-WRITE-7: nothing written and nothing stored gives the same ring", () => {
  it("a full ring and a writer that does not wait: the ring comes back as it was (same object)", () => {
    const r = ring(64, { writeIndex: 48, readIndex: 0 });
    const b = writeBatch(r, [inband(8)], RING_PROFILES.strict, { waitIfFull: false });
    expect(b.outcomes[0]!.kind).toBe("full");
    expect(b.ring).toBe(r);
  });
  it("setPendingSendSize with the value already stored returns the same ring; another value a new one", () => {
    const r = ring(64, { pendingSendSize: 40 });
    expect(setPendingSendSize(r, 40)).toBe(r);
    const s = setPendingSendSize(r, 48);
    expect(s.control.pendingSendSize).toBe(48);
    expect(s.data).toBe(r.data);
  });
});
