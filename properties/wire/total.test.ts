import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeMessage, encodeMessage, validateMessage } from "../../spec/wire/codec.js";
import { reassembleGpadl, splitGpadl } from "../../spec/wire/gpadl.js";
import { guidToBytes, parseGuid, readGuid } from "../../spec/wire/guid.js";
import type { Message } from "../../spec/wire/messages.js";
import { decodePostMessage, decodeSignalEvent, decodeSynicSlot } from "../../spec/wire/synic.js";
import { arbContext, arbMessage } from "./arbitraries.js";

const isResult = (r: { ok: boolean }): void => {
  expect(typeof r.ok).toBe("boolean");
};

describe("decoders are total", () => {
  it("decodeMessage: arbitrary byte strings (0..300) with arbitrary contexts", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), arbContext, (b, ctx) => {
        const r = decodeMessage(b, ctx);
        isResult(r);
        if (!r.ok) expect(r.error.message.split("\n")).toHaveLength(1);
      }),
      { numRuns: 1500 },
    );
  });

  it("decodeMessage: arbitrary bytes behind a valid type number", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 31 }), fc.uint8Array({ maxLength: 240 }), arbContext, (t, b, ctx) => {
        const bytes = new Uint8Array(Math.max(8, b.length));
        bytes.set(b);
        bytes[0] = t;
        bytes[1] = bytes[2] = bytes[3] = 0;
        const r = decodeMessage(bytes, ctx);
        isResult(r);
        // A decoded message always re-encodes without throwing.
        if (r.ok) expect(() => encodeMessage(r.value.message)).not.toThrow();
      }),
      { numRuns: 1500 },
    );
  });

  it("decodeMessage: mutations of valid encodings (byte flips, truncation, extension)", () => {
    fc.assert(
      fc.property(arbMessage, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.integer({ min: -20, max: 20 }), arbContext, (m, flips, resize, ctx) => {
        const enc = encodeMessage(m);
        const bytes = new Uint8Array(Math.max(0, enc.length + resize));
        bytes.set(enc.subarray(0, bytes.length));
        for (const [i, v] of flips) if (bytes.length > 0) bytes[i % bytes.length] = v;
        isResult(decodeMessage(bytes, ctx));
      }),
      { numRuns: 800 },
    );
  });

  it("decodeMessage reads a subarray of a larger buffer exactly like a copy", () => {
    fc.assert(
      fc.property(arbMessage, fc.uint8Array({ maxLength: 16 }), fc.uint8Array({ maxLength: 16 }), arbContext, (m, pre, post, ctx) => {
        const enc = encodeMessage(m);
        const buf = new Uint8Array(pre.length + enc.length + post.length);
        buf.set(pre);
        buf.set(enc, pre.length);
        buf.set(post, pre.length + enc.length);
        const view = buf.subarray(pre.length, pre.length + enc.length);
        expect(decodeMessage(view, ctx)).toEqual(decodeMessage(enc.slice(), ctx));
      }),
      { numRuns: 300 },
    );
  });

  it("validateMessage never throws on arbitrary JSON-ish values", () => {
    fc.assert(
      fc.property(arbMessage, fc.string(), fc.jsonValue(), (m, key, v) => {
        const keys = Object.keys(m);
        const k = keys[key.length % keys.length]!;
        const broken = { ...m, [k === "type" ? "x" : k]: v } as unknown as Message;
        isResult(validateMessage(broken));
      }),
      { numRuns: 500 },
    );
    fc.assert(fc.property(fc.jsonValue(), (v) => isResult(validateMessage(v as unknown as Message))), { numRuns: 300 });
  });

  it("SynIC slot, HvPostMessage and HvSignalEvent decoders", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        isResult(decodeSynicSlot(b));
        isResult(decodePostMessage(b));
        isResult(decodeSignalEvent(b));
      }),
      { numRuns: 800 },
    );
    fc.assert(fc.property(fc.uint8Array({ minLength: 256, maxLength: 256 }), (b) => isResult(decodeSynicSlot(b))), { numRuns: 300 });
  });

  it("GUID parsing and reading", () => {
    fc.assert(
      fc.property(fc.string(), fc.uint8Array({ maxLength: 20 }), fc.integer({ min: -2, max: 20 }), (s, b, off) => {
        isResult(parseGuid(s));
        isResult(guidToBytes(s));
        isResult(readGuid(b, off));
      }),
    );
  });

  it("GPADL split / reassemble on arbitrary (often invalid) inputs", () => {
    const arbRange = fc.record({ byteCount: fc.nat(), byteOffset: fc.nat(), pfns: fc.array(fc.oneof(fc.constant("x"), fc.nat().map(String)), { maxLength: 5 }) });
    fc.assert(
      fc.property(fc.array(arbRange, { maxLength: 4 }), fc.integer({ min: -1, max: 30 }), fc.integer({ min: -1, max: 30 }), (ranges, hv, bv) => {
        isResult(splitGpadl(1, 2, ranges, { headerValues: hv, bodyValues: bv }));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.record({ buflen: fc.integer({ min: 0, max: 0xffff }), count: fc.integer({ min: 0, max: 0xffff }), ranges: fc.array(arbRange, { maxLength: 3 }) }),
        fc.array(fc.record({ gpadl: fc.constantFrom(2, 3), pfns: fc.array(fc.nat().map(String), { maxLength: 30 }) }), { maxLength: 4 }),
        ({ buflen, count, ranges }, bodies) => {
          isResult(
            reassembleGpadl(
              { type: "GpadlHeader", childRelid: 1, gpadl: 2, rangeBufferLength: buflen, rangeCount: count, ranges },
              bodies.map((b) => ({ type: "GpadlBody" as const, msgNumber: 0, ...b })),
            ),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
