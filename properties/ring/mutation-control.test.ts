/**
 * The control page as the reducers leave it (issue 13): interrupt_mask around a batch
 * (RING-READ-5), the control fields at their offsets in a ring image, and the reducers'
 * "same ring when nothing changes" contract the checker relies on.
 */
import { describe, expect, it } from "vitest";
import { beginRead, endRead } from "../../spec/ring/reader.js";
import { CONTROL_OFFSETS, CONTROL_PAGE_SIZE, emptyControl, FEATURE_PENDING_SEND_SIZE, makeRing, ringFromImage, ringToImage, type Ring } from "../../spec/ring/state.js";

const ring = (size: number, control: Partial<Ring["control"]> = {}): Ring => {
  const r = makeRing(size, control);
  if (!r.ok) throw new Error("bad ring");
  return r.value;
};

describe("RING-READ-5: interrupt_mask around a batch", () => {
  it("beginRead sets the mask to 1 (a new ring) and returns the same ring when it is already 1", () => {
    const r = ring(64);
    const m = beginRead(r);
    expect(m.control.interruptMask).toBe(1);
    expect(r.control.interruptMask).toBe(0);
    expect(beginRead(m)).toBe(m);
  });
  it("endRead clears the mask (same ring when already 0) and re-checks what was published meanwhile", () => {
    const r = ring(64, { interruptMask: 1, writeIndex: 24, readIndex: 8 });
    const e = endRead(r);
    expect(e.ring.control.interruptMask).toBe(0);
    expect(e.ring).not.toBe(r);
    expect(e.recheck).toEqual({ kind: "pending", bytes: 16 });
    const z = ring(64, { writeIndex: 40, readIndex: 40 });
    const ez = endRead(z);
    expect(ez.ring).toBe(z);
    expect(ez.recheck).toEqual({ kind: "empty" });
  });
  it("endRead on a corrupt write index unmasks and reports the fault (RING-IDX-2), never 'pending'", () => {
    const r = ring(64, { interruptMask: 1, writeIndex: 12 });
    const e = endRead(r);
    expect(e.ring.control.interruptMask).toBe(0);
    expect(e.recheck).toEqual({ kind: "fault", fault: { kind: "indexMisaligned", rule: "RING-IDX-2", field: "writeIndex", value: 12 } });
    const bad: Ring = { control: { ...emptyControl }, data: new Uint8Array(60) };
    expect(endRead(bad).recheck).toEqual({ kind: "fault", fault: { kind: "badDataSize", rule: "RING-GEOM-1", dataSize: 60 } });
  });
});

describe("ring images: control fields at their offsets (Microsoft mu_msvm VmbusPacketFormat.h)", () => {
  it("makeRing starts empty with FEAT_PENDING_SEND_SZ set and takes overrides; an invalid size is RING-GEOM-1", () => {
    expect(ring(64).control).toEqual({ writeIndex: 0, readIndex: 0, interruptMask: 0, pendingSendSize: 0, featureBits: FEATURE_PENDING_SEND_SIZE });
    expect(FEATURE_PENDING_SEND_SIZE).toBe(1);
    expect(ring(64, { readIndex: 8 }).control.readIndex).toBe(8);
    expect(makeRing(60)).toEqual({ ok: false, error: { kind: "badDataSize", rule: "RING-GEOM-1", dataSize: 60 } });
  });
  it("each field is a little-endian u32 at 0, 4, 8, 12 and 64, and reads back", () => {
    expect(CONTROL_OFFSETS).toEqual({ writeIndex: 0, readIndex: 4, interruptMask: 8, pendingSendSize: 12, featureBits: 64 });
    const control = { writeIndex: 0x01020308, readIndex: 0x0a0b0c10, interruptMask: 0x11223344, pendingSendSize: 0xfedcba98, featureBits: 0x80000001 };
    const r: Ring = { control, data: Uint8Array.from({ length: 64 }, (_, i) => i) };
    const img = ringToImage(r);
    expect(img.length).toBe(CONTROL_PAGE_SIZE + 64);
    expect([...img.subarray(0, 16)]).toEqual([0x08, 0x03, 0x02, 0x01, 0x10, 0x0c, 0x0b, 0x0a, 0x44, 0x33, 0x22, 0x11, 0x98, 0xba, 0xdc, 0xfe]);
    expect([...img.subarray(64, 68)]).toEqual([0x01, 0x00, 0x00, 0x80]);
    expect(img[CONTROL_PAGE_SIZE + 5]).toBe(5);
    const back = ringFromImage(img);
    expect(back.ok && back.value.control).toEqual(control);
    expect(back.ok && [...back.value.data]).toEqual([...r.data]);
  });
  it("reserved bytes of the original control page survive a write-back; without one they are zero", () => {
    const page = new Uint8Array(CONTROL_PAGE_SIZE).fill(0xee);
    const img = ringToImage(ring(64), page);
    expect(img[20]).toBe(0xee);
    expect(img[CONTROL_PAGE_SIZE - 1]).toBe(0xee);
    expect(img[0]).toBe(0);
    expect(ringToImage(ring(64))[20]).toBe(0);
  });
});

describe("RING-GEOM-1 on a ring image", () => {
  it("the data size is the image length minus the 4096-byte control page", () => {
    expect(ringFromImage(new Uint8Array(CONTROL_PAGE_SIZE + 32))).toEqual({ ok: false, error: { kind: "badDataSize", rule: "RING-GEOM-1", dataSize: 32 } });
    const r = ringFromImage(new Uint8Array(CONTROL_PAGE_SIZE + 72));
    expect(r.ok && r.value.data.length).toBe(72);
  });
});
