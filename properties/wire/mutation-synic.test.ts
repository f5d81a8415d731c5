/**
 * SynIC slot, HvPostMessage and HvSignalEvent codecs (spec/wire/synic.ts) at each boundary,
 * with the rule and kind of every error (WIRE-SYNIC-1/2, WIRE-POST-1/2, WIRE-SIGNAL-1, WIRE-HDR-3).
 */
import { describe, expect, it } from "vitest";
import { decodePostMessage, decodeSignalEvent, decodeSynicSlot, encodePostMessage, encodeSignalEvent, encodeSynicSlot, slotPayload } from "../../spec/wire/synic.js";

const slot = (payloadSize: number, flags = 0, extra: Record<number, number> = {}): Uint8Array => {
  const b = new Uint8Array(256);
  b[0] = 1;
  b[4] = payloadSize;
  b[5] = flags;
  for (let i = 0; i < 240; i++) b[16 + i] = (i + 1) & 0xff;
  for (const [at, v] of Object.entries(extra)) b[Number(at)] = v;
  return b;
};
const post = (len: number, payloadSize: number, connectionId = 4): Uint8Array => {
  const b = new Uint8Array(len);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, connectionId, true);
  dv.setUint32(8, 1, true);
  if (len >= 16) dv.setUint32(12, payloadSize, true);
  for (let i = 16; i < len; i++) b[i] = i & 0xff;
  return b;
};

describe("SynIC framing (mutation)", () => {
  it("WIRE-SYNIC-1: a slot is exactly 256 bytes", () => {
    expect(decodeSynicSlot(new Uint8Array(255))).toMatchObject({ ok: false, error: { kind: "tooShort", rule: "WIRE-SYNIC-1", layout: "SynicMessage", need: 256, got: 255 } });
    expect(decodeSynicSlot(new Uint8Array(257))).toMatchObject({ ok: false, error: { kind: "tooLong", rule: "WIRE-SYNIC-1", need: 256, got: 257 } });
    expect(decodeSynicSlot(new Uint8Array(256)).ok).toBe(true);
  });

  it("WIRE-SYNIC-2: payload_size ≤ 240; the payload is its first payload_size bytes; pending is flag bit 0", () => {
    expect(decodeSynicSlot(slot(241))).toMatchObject({ ok: false, error: { kind: "badField", rule: "WIRE-SYNIC-2", layout: "SynicMessage", field: "SynicMessage.payloadSize" } });
    const full = decodeSynicSlot(slot(240));
    expect(full.ok && full.value.slot.payload.length).toBe(480);
    const d = decodeSynicSlot(slot(3, 0xfe, { 8: 5, 15: 1 }));
    expect(d).toEqual({ ok: true, value: { slot: { messageType: 1, payloadSize: 3, messageFlags: 0xfe, sender: String(2n ** 56n + 5n), payload: "010203" }, pending: false, warnings: [] } });
    const p = decodeSynicSlot(slot(0, 1));
    expect(p.ok && p.value.pending).toBe(true);
    expect(p.ok && p.value.slot.payload).toBe("");
  });

  it("WIRE-HDR-3: non-zero reserved bytes of a slot are reported", () => {
    const d = decodeSynicSlot(slot(0, 0, { 7: 1 }));
    expect(d.ok && d.value.warnings).toEqual([expect.objectContaining({ kind: "reservedNonZero", rule: "WIRE-HDR-3", field: "SynicMessage.reserved", offset: 6 })]);
    const s = decodeSignalEvent(new Uint8Array([1, 0, 0, 0, 0, 0, 0, 9]));
    expect(s.ok && s.value.warnings).toEqual([expect.objectContaining({ field: "HvSignalEventInput.reserved", offset: 6, rule: "WIRE-HDR-3" })]);
    const q = decodePostMessage(Uint8Array.from([...post(16, 0)].map((x, i) => (i === 5 ? 1 : x))));
    expect(q.ok && q.value.warnings).toEqual([expect.objectContaining({ field: "HvPostMessageInput.reserved", offset: 4 })]);
  });

  it("encodeSynicSlot: 256 bytes, the payload at 16, zero after it; slotPayload reads it back", () => {
    const s = { messageType: 1, payloadSize: 2, messageFlags: 1, sender: "258", payload: "abcd" };
    const b = encodeSynicSlot(s);
    expect(b.length).toBe(256);
    expect([...b.subarray(0, 19)]).toEqual([1, 0, 0, 0, 2, 1, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0xab, 0xcd, 0]);
    expect(b.subarray(18).every((x) => x === 0)).toBe(true);
    expect([...slotPayload(s)]).toEqual([0xab, 0xcd]);
    expect([...slotPayload({ ...s, payload: "zz" })]).toEqual([]);
    expect(encodeSynicSlot({ ...s, payload: "ab".repeat(241) }).length).toBe(256);
    expect(encodeSynicSlot({ ...s, payload: "ab".repeat(241) })[255]).toBe(0xab);
  });

  it("WIRE-POST-1: 16 + payload_size ≤ length ≤ 256 and payload_size ≤ 240; WIRE-POST-2 masks the id", () => {
    expect(decodePostMessage(new Uint8Array(15))).toMatchObject({ ok: false, error: { kind: "tooShort", rule: "WIRE-POST-1", layout: "HvPostMessageInput", need: 16, got: 15 } });
    expect(decodePostMessage(new Uint8Array(257))).toMatchObject({ ok: false, error: { kind: "tooLong", rule: "WIRE-POST-1", need: 256, got: 257 } });
    expect(decodePostMessage(post(256, 241))).toMatchObject({ ok: false, error: { kind: "badField", rule: "WIRE-POST-1", field: "HvPostMessageInput.payloadSize" } });
    expect(decodePostMessage(post(256, 240)).ok).toBe(true);
    expect(decodePostMessage(post(19, 4))).toMatchObject({ ok: false, error: { kind: "tooShort", rule: "WIRE-POST-1", need: 20, got: 19 } });
    const d = decodePostMessage(post(20, 4, 0xff000004));
    expect(d).toEqual({ ok: true, value: { input: { connectionId: 0xff000004, messageType: 1, payloadSize: 4, payload: "10111213" }, maskedConnectionId: 4, warnings: [] } });
    const e = encodePostMessage({ connectionId: 0x01000004, messageType: 1, payloadSize: 2, payload: "beef" });
    expect(e.length).toBe(256);
    expect([...e.subarray(0, 19)]).toEqual([4, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0xbe, 0xef, 0]);
    expect(encodePostMessage({ connectionId: 1, messageType: 1, payloadSize: 0, payload: "ab".repeat(241) })[255]).toBe(0xab);
    expect(encodePostMessage({ connectionId: 1, messageType: 1, payloadSize: 0, payload: "x" }).subarray(16).every((x) => x === 0)).toBe(true);
  });

  it("WIRE-SIGNAL-1: the input is exactly 8 bytes; connection id masked to 24 bits", () => {
    expect(decodeSignalEvent(new Uint8Array(7))).toMatchObject({ ok: false, error: { kind: "tooShort", rule: "WIRE-SIGNAL-1", need: 8, got: 7 } });
    expect(decodeSignalEvent(new Uint8Array(9))).toMatchObject({ ok: false, error: { kind: "tooLong", rule: "WIRE-SIGNAL-1" } });
    expect(decodeSignalEvent(new Uint8Array([5, 0x20, 0, 0x80, 3, 1, 0, 0]))).toEqual({ ok: true, value: { input: { connectionId: 0x80002005, flagNumber: 0x103 }, maskedConnectionId: 0x2005, warnings: [] } });
    expect([...encodeSignalEvent({ connectionId: 0x2005, flagNumber: 0x103 })]).toEqual([5, 0x20, 0, 0, 3, 1, 0, 0]);
  });
});
