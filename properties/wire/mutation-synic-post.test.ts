/**
 * HvPostMessage input decoding (spec/wire/synic.ts) at its short end: fewer than 16 bytes is
 * refused before payload_size is read (WIRE-POST-1), and every WIRE-POST-1 error names the
 * HvPostMessageInput layout.
 */
import { describe, expect, it } from "vitest";
import { decodePostMessage } from "../../spec/wire/synic.js";

const input = (len: number, set: Record<number, number>): Uint8Array => {
  const b = new Uint8Array(len);
  for (const [at, v] of Object.entries(set)) b[Number(at)] = v;
  return b;
};

describe("HvPostMessage input (mutation)", () => {
  it("WIRE-POST-1: 13 bytes are too short, whatever the partial payload_size at 12 says", () => {
    expect(decodePostMessage(input(13, { 12: 0xff }))).toMatchObject({ ok: false, error: { kind: "tooShort", rule: "WIRE-POST-1", layout: "HvPostMessageInput", need: 16, got: 13 } });
  });

  it("WIRE-POST-1: payload_size above 240 and a payload shorter than payload_size name the layout", () => {
    expect(decodePostMessage(input(256, { 12: 241 }))).toMatchObject({ ok: false, error: { kind: "badField", rule: "WIRE-POST-1", layout: "HvPostMessageInput" } });
    expect(decodePostMessage(input(20, { 12: 5 }))).toMatchObject({ ok: false, error: { kind: "tooShort", rule: "WIRE-POST-1", layout: "HvPostMessageInput", need: 21, got: 20 } });
    expect(decodePostMessage(input(21, { 12: 5 })).ok).toBe(true);
  });
});
