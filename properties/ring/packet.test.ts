import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodePacket, encodePacket, packetSizes, PACKET_LAYOUTS, trailerValue, type PacketError } from "../../spec/wire/packet.js";
import { RULES } from "../../spec/ring/rules.js";
import { packetArb } from "./arbitraries.js";

const errorOf = (bytes: number[]): PacketError => {
  const r = decodePacket(Uint8Array.from(bytes));
  if (r.ok) throw new Error("expected an error");
  return r.error;
};
const desc = (type: number, offset8: number, len8: number, extra: number[] = []): number[] => {
  const b = [type & 255, type >> 8, offset8 & 255, offset8 >> 8, len8 & 255, len8 >> 8, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, ...extra];
  while (b.length < len8 * 8) b.push(0);
  return b;
};

describe("ring packets (spec/wire/packet.ts)", () => {
  it("encode then decode gives the packet back (payload padded to 8 with zeros)", () => {
    fc.assert(
      fc.property(packetArb(100), (p) => {
        const bytes = encodePacket(p);
        const s = packetSizes(p);
        expect(bytes.length).toBe(s.len8 * 8);
        const d = decodePacket(bytes);
        expect(d.ok).toBe(true);
        if (!d.ok) return;
        expect(d.value.type).toBe(p.type);
        expect(d.value.transId).toBe(p.transId);
        expect(d.value.offset8).toBe(s.offset8);
        expect(d.value.payload.subarray(0, p.payload.length)).toEqual(p.payload);
        expect(d.value.payload.subarray(p.payload.length).every((b) => b === 0)).toBe(true);
        expect(d.value.payload.length % 8).toBe(0);
        if (p.type === 9 || p.type === 7) expect(d.value.body).toEqual(p.body);
      }),
      { numRuns: 300 },
    );
  });

  it("decodes arbitrary bytes to a packet or a named error carrying a ring rule ID, never throwing", () => {
    const ids = new Set(RULES.map((r) => r.id));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 12 }), (bytes, t) => {
        if (bytes.length >= 2) bytes[0] = t; // reach the typed-header decoders often
        const r = decodePacket(bytes);
        if (!r.ok) expect(ids.has(r.error.rule)).toBe(true);
        else expect(r.value.len8 * 8).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 2000 },
    );
  });

  it("names each malformation", () => {
    expect(errorOf([1, 2, 3]).kind).toBe("tooShort");
    expect(errorOf(desc(6, 1, 2)).kind).toBe("offset8TooSmall");
    expect(errorOf(desc(6, 3, 2)).kind).toBe("offset8BeyondLen8");
    expect(errorOf(desc(6, 2, 4).slice(0, 24)).kind).toBe("len8BeyondData");
    expect(errorOf(desc(9, 2, 3)).kind).toBe("typedHeaderBeyondOffset8");
    expect(errorOf(desc(9, 3, 3, [0, 0, 0, 0, 0, 0, 0, 0])).kind).toBe("badRangeCount"); // zero ranges
    expect(errorOf(desc(7, 3, 3, [0, 0, 0, 0, 5, 0, 0, 0])).kind).toBe("badRangeCount"); // 5 ranges in 0 bytes
    expect(errorOf(desc(9, 5, 5, [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).kind).toBe("gpaRangeEmpty");
    expect(errorOf(desc(9, 5, 5, [0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 16, 0, 0])).kind).toBe("gpaRangeOffsetTooLarge");
    // 1 range, byte_count 5000 at offset 0 needs 2 PFNs but the header has room for 1.
    expect(errorOf(desc(9, 5, 5, [0, 0, 0, 0, 1, 0, 0, 0, 0x88, 0x13, 0, 0, 0, 0, 0, 0])).kind).toBe("gpaRangePfnsBeyondHeader");
  });

  it("a hostile range count cannot make the decoder loop long", () => {
    const b = desc(9, 3, 3, [0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    expect(errorOf(b)).toMatchObject({ kind: "badRangeCount", rangeCount: 0xffffffff });
  });

  it("trailer is start index << 32; layouts are consistent", () => {
    expect(trailerValue(0x1238)).toBe(String(0x1238n << 32n));
    for (const l of PACKET_LAYOUTS) {
      for (const f of l.fields) {
        if (f.type === "array") expect(f.offset).toBe(l.size);
        else expect(f.offset + f.size).toBeLessThanOrEqual(l.size);
      }
    }
  });
});
