/**
 * OpenVMM's Message::parse (vm/devices/vmbus/vmbus_core/src/protocol.rs:57-107 at microsoft/openvmm
 * 1488a37b) called directly: the error it names and the message type it reports. The host only
 * tells PARSE-1 from PARSE-2; the parser's result names MessageTooSmall or InvalidMessageType and
 * the type (-1 when not even the 8-byte header is there).
 */
import { describe, expect, it } from "vitest";
import { parseMessage } from "../../spec/host/openvmm/parse.js";

/** Message number `type` in `size` bytes (zeros after the number). */
const raw = (type: number, size: number): Uint8Array => {
  const b = new Uint8Array(size);
  if (size >= 4) new DataView(b.buffer).setUint32(0, type, true);
  return b;
};
const at40 = { version: 0x40000, features: 0 };

describe("openvmm Message::parse results (HOST-OPENVMM-PARSE-1/-2)", () => {
  it("HOST-OPENVMM-PARSE-2: fewer than 8 bytes are MessageTooSmall with no message type, whatever the first four bytes say", () => {
    for (const size of [0, 3, 4, 7]) {
      expect([size, parseMessage(raw(3, size), at40)]).toEqual([size, { ok: false, error: "MessageTooSmall", type: -1 }]);
      expect([size, parseMessage(raw(14, size), null)]).toEqual([size, { ok: false, error: "MessageTooSmall", type: -1 }]);
    }
    expect(parseMessage(raw(3, 8), at40)).toEqual({ ok: true, name: "RequestOffers", bytes: raw(3, 8), size: 8 });
  });

  it("HOST-OPENVMM-PARSE-2: a variant that parses in this state but is short is MessageTooSmall of its type", () => {
    expect(parseMessage(raw(7, 11), at40)).toEqual({ ok: false, error: "MessageTooSmall", type: 7 });
    expect(parseMessage(raw(14, 39), null)).toEqual({ ok: false, error: "MessageTooSmall", type: 14 });
    expect(parseMessage(raw(7, 12), at40)).toMatchObject({ ok: true, name: "CloseChannel", size: 12 });
  });

  it("HOST-OPENVMM-PARSE-1: a type not in this state, or not in the table, is InvalidMessageType of its type", () => {
    expect(parseMessage(raw(7, 12), null)).toEqual({ ok: false, error: "InvalidMessageType", type: 7 });
    expect(parseMessage(raw(30, 8), at40)).toEqual({ ok: false, error: "InvalidMessageType", type: 30 });
  });
});
