import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeMessage } from "../../spec/wire/codec.js";
import { guidToBytes, readGuid } from "../../spec/wire/guid.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import { decodePostMessage, decodeSignalEvent, decodeSynicSlot, encodePostMessage, encodeSignalEvent, encodeSynicSlot } from "../../spec/wire/synic.js";
import { arbGuid, arbMessage, arbU16, arbU32, arbU64, arbU8 } from "./arbitraries.js";

const arbPayload = fc.uint8Array({ maxLength: 240 }).map(bytesToHex);

describe("framing round trips", () => {
  it("SynIC slot: decode ∘ encode = identity (WIRE-SYNIC-1)", () => {
    fc.assert(
      fc.property(arbU32, arbU8, arbU64, arbPayload, (messageType, messageFlags, sender, payload) => {
        const slot = { messageType, payloadSize: payload.length / 2, messageFlags, sender, payload };
        const b = encodeSynicSlot(slot);
        expect(b).toHaveLength(256);
        expect(decodeSynicSlot(b)).toEqual({ ok: true, value: { slot, pending: (messageFlags & 1) === 1, warnings: [] } });
      }),
    );
  });

  it("SynIC slot carrying any valid channel message", () => {
    fc.assert(
      fc.property(arbMessage, (m) => {
        const payload = bytesToHex(encodeMessage(m));
        const d = decodeSynicSlot(encodeSynicSlot({ messageType: 1, payloadSize: payload.length / 2, messageFlags: 0, sender: "0", payload }));
        expect(d.ok && d.value.slot.payload).toBe(payload);
      }),
      { numRuns: 200 },
    );
  });

  it("SynIC slot: payload_size > 240 is always rejected (WIRE-SYNIC-2)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 241, max: 255 }), fc.uint8Array({ minLength: 256, maxLength: 256 }), (size, b) => {
        const x = b.slice();
        x[4] = size;
        const d = decodeSynicSlot(x);
        expect(d.ok ? "ok" : d.error.kind).toBe("badField");
      }),
      { numRuns: 100 },
    );
  });

  it("HvPostMessage: decode ∘ encode = identity; masked connection id keeps the low 24 bits (WIRE-POST-2)", () => {
    fc.assert(
      fc.property(arbU32, arbU32, arbPayload, (connectionId, messageType, payload) => {
        const input = { connectionId, messageType, payloadSize: payload.length / 2, payload };
        expect(decodePostMessage(encodePostMessage(input))).toEqual({ ok: true, value: { input, maskedConnectionId: connectionId & 0xffffff, warnings: [] } });
      }),
    );
  });

  it("HvSignalEvent: decode ∘ encode = identity (WIRE-SIGNAL-1)", () => {
    fc.assert(
      fc.property(arbU32, arbU16, (connectionId, flagNumber) => {
        const input = { connectionId, flagNumber };
        expect(decodeSignalEvent(encodeSignalEvent(input))).toEqual({ ok: true, value: { input, maskedConnectionId: connectionId & 0xffffff, warnings: [] } });
      }),
    );
  });

  it("GUID: readGuid ∘ guidToBytes = identity and back (WIRE-GUID-1)", () => {
    fc.assert(
      fc.property(arbGuid, (g) => {
        const b = guidToBytes(g);
        if (!b.ok) throw new Error(b.error.message);
        expect(readGuid(b.value)).toEqual({ ok: true, value: g });
        expect(guidToBytes(g.toUpperCase())).toEqual(b);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
        const g = readGuid(b);
        if (!g.ok) throw new Error(g.error.message);
        expect(guidToBytes(g.value)).toEqual({ ok: true, value: b });
      }),
    );
  });
});
