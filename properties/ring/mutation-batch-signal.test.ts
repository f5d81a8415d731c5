/**
 * RING-WRITE-6 through writeBatch (issue 13): the bytes a batch wrote, as the signal decision
 * counts them, when the write index does not start at 0 (QEMU's "unread ≤ written" needs them).
 */
import { describe, expect, it } from "vitest";
import { RING_PROFILES } from "../../spec/ring/profile.js";
import { makeRing, type Ring } from "../../spec/ring/state.js";
import { writeBatch } from "../../spec/ring/writer.js";
import { PacketType, type Packet } from "../../spec/wire/packet.js";

const ring = (control: Partial<Ring["control"]>): Ring => {
  const r = makeRing(256, control);
  if (!r.ok) throw new Error("bad ring");
  return r.value;
};
const inband: Packet = { type: PacketType.DataInBand, flags: 0, transId: "1", body: { kind: "plain" }, payload: new Uint8Array(8) };
const qemu = RING_PROFILES.qemu;

describe("RING-WRITE-6: QEMU signals when the unread bytes are at most those the batch wrote", () => {
  it("an empty ring at 64: the batch's 32 bytes are all unread, so it signals", () => {
    const b = writeBatch(ring({ writeIndex: 64, readIndex: 64 }), [inband], qemu);
    expect(b.writeIndexAfter).toBe(96);
    expect(b.signal).toBe(true);
  });
  it("64 unread bytes before the batch: 96 unread after 32 written, no signal", () => {
    const b = writeBatch(ring({ writeIndex: 64, readIndex: 0 }), [inband], qemu);
    expect(b.writeIndexAfter).toBe(96);
    expect(b.signal).toBe(false);
  });
  it("a batch that wraps: written counts across the end of the data area", () => {
    const b = writeBatch(ring({ writeIndex: 240, readIndex: 240 }), [inband], qemu);
    expect(b.writeIndexAfter).toBe(16);
    expect(b.signal).toBe(true);
    expect(writeBatch(ring({ writeIndex: 240, readIndex: 200 }), [inband], qemu).signal).toBe(false);
  });
});
