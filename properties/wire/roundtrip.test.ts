import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeMessage, encodeMessage, validateMessage } from "../../spec/wire/codec.js";
import { messageInfo } from "../../spec/wire/table.js";
import { arbMessage, arbMessageOf, MESSAGE_TYPE_NAMES } from "./arbitraries.js";

describe("decode ∘ encode = identity (valid messages, no context)", () => {
  for (const name of MESSAGE_TYPE_NAMES) {
    it(name, () => {
      fc.assert(
        fc.property(arbMessageOf(name), (m) => {
          expect(validateMessage(m)).toEqual({ ok: true, value: m });
          const bytes = encodeMessage(m);
          expect(bytes.length).toBeLessThanOrEqual(240);
          const d = decodeMessage(bytes);
          expect(d).toEqual({ ok: true, value: { message: m, trailingBytes: 0, warnings: [] } });
        }),
        { numRuns: 60 },
      );
    });
  }

  it("every form of every multi-form message is reached", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(arbMessage, (m) => {
        seen.add(`${m.type}.${"form" in m ? m.form : ""}`);
      }),
      { numRuns: 1500, seed: 7 },
    );
    for (const n of MESSAGE_TYPE_NAMES) for (const f of messageInfo(n).forms) expect(seen).toContain(`${n}.${f.form ?? ""}`);
  });

  it("decode also accepts the message with its own direction and a version/feature set that allows it", () => {
    fc.assert(
      fc.property(arbMessage, (m) => {
        const i = messageInfo(m.type);
        const d = decodeMessage(encodeMessage(m), { direction: i.direction });
        expect(d.ok).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe("encode ∘ decode = identity on canonical bytes", () => {
  it("re-encoding a decoded canonical message gives the same bytes", () => {
    fc.assert(
      fc.property(arbMessage, (m) => {
        const bytes = encodeMessage(m);
        const d = decodeMessage(bytes);
        if (!d.ok) throw new Error(d.error.message);
        expect(encodeMessage(d.value.message)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it("any bytes that decode cleanly re-encode to exactly the bytes consumed (mutated valid encodings)", () => {
    fc.assert(
      fc.property(arbMessage, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }), fc.integer({ min: 0, max: 16 }), (m, flips, extra) => {
        const enc = encodeMessage(m);
        const bytes = new Uint8Array(Math.min(240, enc.length + extra));
        bytes.set(enc.subarray(0, bytes.length));
        for (const [i, v] of flips) if (i % bytes.length >= 4) bytes[i % bytes.length] = v; // keep the type
        const d = decodeMessage(bytes);
        if (!d.ok || d.value.warnings.length > 0) return;
        expect(encodeMessage(d.value.message)).toEqual(bytes.subarray(0, bytes.length - d.value.trailingBytes));
        expect(validateMessage(d.value.message)).toEqual({ ok: true, value: d.value.message });
      }),
      { numRuns: 600 },
    );
  });

  it("regression: a partial GPADL_HEADER followed by zeros must not decode as complete ranges short of range_buflen", () => {
    const m = { type: "GpadlHeader" as const, childRelid: 0, gpadl: 0, rangeBufferLength: 104, rangeCount: 2, ranges: [{ byteCount: 32769, byteOffset: 0, pfns: Array<string>(9).fill("0") }] };
    const enc = encodeMessage(m);
    expect(decodeMessage(enc)).toEqual({ ok: true, value: { message: m, trailingBytes: 0, warnings: [] } });
    const padded = new Uint8Array(enc.length + 16);
    padded.set(enc);
    const d = decodeMessage(padded);
    expect(d.ok ? "ok" : d.error.kind).toBe("countMismatch");
  });

  it("padding (QEMU rounds payloads up to 8) decodes to the same message with trailingBytes", () => {
    fc.assert(
      fc.property(arbMessage, fc.integer({ min: 1, max: 7 }), (m, pad) => {
        const bytes = encodeMessage(m);
        if (bytes.length + pad > 240) return;
        const padded = new Uint8Array(bytes.length + pad);
        padded.set(bytes);
        const d = decodeMessage(padded);
        if (!d.ok) throw new Error(d.error.message);
        // Multi-form messages may legitimately pick a longer form from the padding (e.g. a
        // 16-byte VERSION_RESPONSE padded to 20 is the copper form); all others keep theirs.
        if (m.type !== "VersionResponse" && m.type !== "OfferChannel" && m.type !== "GpadlBody") {
          expect(d.value.message).toEqual(m);
          expect(d.value.trailingBytes).toBe(pad);
        }
      }),
      { numRuns: 300 },
    );
  });
});
