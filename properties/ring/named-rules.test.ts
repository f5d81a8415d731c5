/**
 * One test per ring rule that no other test names: each asserts the rule's exact boundary, so
 * negating, weakening or moving the rule's condition makes it fail.
 */
import { describe, expect, it } from "vitest";
import { PROFILE_NAMES } from "../../spec/profiles.js";
import { pendingSendSizeFor } from "../../spec/ring/decide.js";
import { RING_PROFILES } from "../../spec/ring/profile.js";
import { readPacket } from "../../spec/ring/reader.js";
import { makeRing, ringFromImage, CONTROL_PAGE_SIZE, type Ring } from "../../spec/ring/state.js";
import { writePacket } from "../../spec/ring/writer.js";
import { decodePacket, encodePacket, type Packet } from "../../spec/wire/packet.js";

const inband = (len: number): Packet => ({ type: 6, flags: 0, transId: "9", body: { kind: "plain" }, payload: new Uint8Array(len).fill(0x5a) });
const ring = (size: number, c: Partial<Ring["control"]> = {}): Ring => {
  const r = makeRing(size, c);
  if (!r.ok) throw new Error("size");
  return r.value;
};

describe("ring rules named one by one", () => {
  it("RING-GEOM-1: a data area is a multiple of 8 of at least 64 bytes, in the model, from an image, and nowhere else", () => {
    for (const size of [64, 72, 4096]) expect(makeRing(size).ok).toBe(true);
    for (const size of [0, 8, 56, 63, 65, 68, 4100]) {
      const r = makeRing(size);
      expect(r.ok ? null : r.error).toEqual({ kind: "badDataSize", rule: "RING-GEOM-1", dataSize: size });
    }
    expect(ringFromImage(new Uint8Array(CONTROL_PAGE_SIZE + 60)).ok).toBe(false);
    expect(ringFromImage(new Uint8Array(CONTROL_PAGE_SIZE + 64)).ok).toBe(true);
  });

  it("RING-WRITE-4: offset8 = (16 + typed header) / 8 and len8 = offset8 + ceil(payload / 8)", () => {
    for (const len of [0, 1, 7, 8, 9, 40]) {
      const d = decodePacket(encodePacket(inband(len)));
      expect(d.ok && { offset8: d.value.offset8, len8: d.value.len8 }).toEqual({ offset8: 2, len8: 2 + Math.ceil(len / 8) });
    }
    const gpa: Packet = { type: 9, flags: 0, transId: "1", body: { kind: "gpaDirect", reserved: 0, ranges: [{ byteCount: 100, byteOffset: 0, pfns: ["5"] }] }, payload: new Uint8Array(3) };
    const d = decodePacket(encodePacket(gpa));
    // 16-byte descriptor + 8 (reserved, range count) + 16 (one range of one PFN) = 40 bytes = 5 qwords.
    expect(d.ok && { offset8: d.value.offset8, len8: d.value.len8 }).toEqual({ offset8: 5, len8: 6 });
  });

  it("RING-PKT-5: a GPA-direct or transfer-page packet needs offset8 ≥ 3 (its 24-byte header before the payload)", () => {
    const bytes = encodePacket({ type: 9, flags: 0, transId: "1", body: { kind: "gpaDirect", reserved: 0, ranges: [{ byteCount: 8, byteOffset: 0, pfns: ["1"] }] }, payload: new Uint8Array(8) });
    for (const offset8 of [2]) {
      const b = bytes.slice();
      b[2] = offset8 & 0xff;
      b[3] = offset8 >> 8;
      const d = decodePacket(b);
      expect(d.ok ? null : d.error).toMatchObject({ kind: "typedHeaderBeyondOffset8", rule: "RING-PKT-5", offset8 });
    }
    // A plain in-band packet with offset8 2 is fine: the rule is about typed headers only.
    expect(decodePacket(encodePacket(inband(8))).ok).toBe(true);
  });

  it("RING-WRITE-7: a writer that finds the ring full stores its profile's pending_send_sz", () => {
    // 128-byte ring, 64 bytes used: an in-band packet of 40 payload bytes (total 64) does not fit.
    const r = ring(128, { writeIndex: 64 });
    const expected = { strict: 65, qemu: 64, linux: 64, openvmm: 64, dpdk: 64 } as const;
    for (const n of PROFILE_NAMES) {
      const w = writePacket(r, inband(40), RING_PROFILES[n]);
      expect(w.outcome.kind).toBe("full");
      expect(w.ring.control.pendingSendSize, n).toBe(pendingSendSizeFor(RING_PROFILES[n], 64));
      expect(w.ring.control.pendingSendSize, n).toBe(expected[n]);
    }
  });

  it("RING-READ-2: a reader advances by len8 × 8 + 8 and never interprets the trailer", () => {
    for (const n of PROFILE_NAMES) {
      const w = writePacket(ring(128), inband(20), RING_PROFILES[n]);
      expect(w.outcome.kind).toBe("written");
      // Scribble over the trailer: the reader must not care.
      const data = w.ring.data.slice();
      data.fill(0xee, 40, 48);
      const rd = readPacket({ ...w.ring, data }, RING_PROFILES[n]);
      expect(rd.outcome.kind, n).toBe("packet");
      if (rd.outcome.kind === "packet") expect(rd.outcome.next, n).toBe(5 * 8 + 8);
    }
  });

  it("RING-READ-6: a packet extending past the published write index — strict/OpenVMM fault, QEMU/DPDK wait, Linux clamps", () => {
    const w = writePacket(ring(128), inband(24), RING_PROFILES.strict);
    // Publish only 24 of the packet's 48 bytes.
    const torn: Ring = { ...w.ring, control: { ...w.ring.control, writeIndex: 24 } };
    const kinds = Object.fromEntries(PROFILE_NAMES.map((n) => [n, readPacket(torn, RING_PROFILES[n]).outcome.kind]));
    expect(kinds).toEqual({ strict: "fault", qemu: "incomplete", linux: "packet", openvmm: "fault", dpdk: "incomplete" });
  });
});
