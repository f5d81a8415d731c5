/**
 * decodeMessage's form selection and its warnings, at each boundary of each condition
 * (WIRE-FORM-1..5, WIRE-HDR-1/2/3, WIRE-LEN-1/3, WIRE-DIR-1, WIRE-VER-1/2).
 */
import { describe, expect, it } from "vitest";
import { type DecodeContext, decodeMessage } from "../../spec/wire/codec.js";
import { MESSAGE_TABLE } from "../../spec/wire/table.js";
import { Version } from "../../spec/wire/versions.js";

const bytes = (type: number, len: number, set: Record<number, number> = {}): Uint8Array => {
  const b = new Uint8Array(len);
  b[0] = type;
  for (const [at, v] of Object.entries(set)) b[Number(at)] = v;
  return b;
};
/** The form decoded (or the error's rule). */
const formOf = (b: Uint8Array, ctx: DecodeContext = {}): string => {
  const d = decodeMessage(b, ctx);
  return d.ok ? String((d.value.message as { form?: string }).form) : `error ${d.error.rule}`;
};
const warnings = (b: Uint8Array, ctx: DecodeContext = {}) => {
  const d = decodeMessage(b, ctx);
  if (!d.ok) throw new Error(d.error.message);
  return d.value.warnings;
};
const le32 = (at: number, v: number): Record<number, number> => ({ [at]: v & 0xff, [at + 1]: (v >>> 8) & 0xff, [at + 2]: (v >>> 16) & 0xff, [at + 3]: v >>> 24 });

describe("decodeMessage form selection (mutation)", () => {
  it("WIRE-HDR-1 / WIRE-HDR-2 / WIRE-LEN-3: header length, type number and payload size", () => {
    const r7 = decodeMessage(new Uint8Array(7));
    expect(r7.ok || r7.error).toMatchObject({ kind: "tooShort", rule: "WIRE-HDR-1", layout: "MessageHeader", need: 8, got: 7 });
    for (const n of [0, 30, 255]) {
      const r = decodeMessage(bytes(n, 8));
      expect(r.ok || r.error).toMatchObject({ kind: "unknownType", rule: "WIRE-HDR-2", messageType: n });
    }
    expect(decodeMessage(bytes(3, 8)).ok).toBe(true); // RequestOffers: 8 bytes
    expect(decodeMessage(bytes(3, 240)).ok).toBe(true);
    const r = decodeMessage(bytes(3, 241));
    expect(r.ok || r.error).toMatchObject({ kind: "tooLong", rule: "WIRE-LEN-3", messageType: 3, need: 240, got: 241 });
    // the type number is a u32: bits above the low byte count
    expect(formOf(bytes(3, 8, { 1: 1 }))).toBe("error WIRE-HDR-2");
  });

  it("WIRE-LEN-1: a fixed form shorter than its layout is tooShort, with need/got and the layout", () => {
    for (const info of MESSAGE_TABLE) {
      const r = decodeMessage(bytes(info.number, 8), {});
      if (r.ok) continue; // 8-byte messages
      expect(r.error.kind).toBe("tooShort");
      expect(r.error.rule).toBe("WIRE-LEN-1");
      expect(r.error.got).toBe(8);
      expect(r.error.messageType).toBe(info.number);
    }
    const c = decodeMessage(bytes(7, 11));
    expect(c.ok || c.error).toMatchObject({ kind: "tooShort", rule: "WIRE-LEN-1", layout: "CloseChannel", need: 12, got: 11, messageType: 7 });
    expect(decodeMessage(bytes(7, 12)).ok).toBe(true);
  });

  it("WIRE-FORM-1: OFFERCHANNEL form from the context version and the length", () => {
    expect(formOf(bytes(1, 196))).toBe("win7");
    expect(formOf(bytes(1, 195))).toBe("preWin7");
    expect(formOf(bytes(1, 190))).toBe("preWin7");
    const short = decodeMessage(bytes(1, 189));
    expect(short.ok || short.error).toMatchObject({ rule: "WIRE-LEN-1", layout: "OfferChannel.preWin7", need: 190, got: 189, messageType: 1 });
    expect(formOf(bytes(1, 196), { version: Version.WS2008 })).toBe("preWin7");
    expect(formOf(bytes(1, 196), { version: Version.WIN7 })).toBe("win7");
    expect(formOf(bytes(1, 195), { version: Version.WIN7 })).toBe("error WIRE-LEN-1");
    const t = decodeMessage(bytes(1, 200));
    expect(t.ok && t.value.trailingBytes).toBe(4);
  });

  it("WIRE-FORM-2: INITIATE_CONTACT form from its own version, flags and length, with its warnings", () => {
    const ic = (version: number, flags: number, len: number) => bytes(14, len, { ...le32(8, version), ...le32(20, flags) });
    const r = decodeMessage(bytes(14, 11));
    expect(r.ok || r.error).toMatchObject({ rule: "WIRE-LEN-1", layout: "InitiateContact", got: 11, messageType: 14 });
    expect(formOf(bytes(14, 12))).toBe("error WIRE-LEN-1"); // version present, 40 bytes needed
    expect(formOf(ic(Version.WIN10_V4_1, 0, 40))).toBe("interruptPage");
    expect(formOf(ic(Version.WIN10_V5, 0, 40))).toBe("msgSint");
    expect(formOf(ic(Version.WIN10_V6_0, 8, 56))).toBe("clientId");
    expect(formOf(ic(Version.WIN10_V6_0, 0xfffffff7, 56))).toBe("msgSint");
    expect(formOf(ic(Version.WIN10_V5_3, 8, 56))).toBe("msgSint");
    // the bit with too few bytes: msgSint and a warning
    expect(formOf(ic(Version.WIN10_V6_0, 8, 55))).toBe("msgSint");
    expect(warnings(ic(Version.WIN10_V6_0, 8, 55))).toEqual([expect.objectContaining({ kind: "clientIdMissing", rule: "WIRE-FORM-2", field: "InitiateContact.clientId", offset: 40 })]);
    expect(warnings(ic(Version.WIN10_V6_0, 8, 56))).toEqual([]);
    expect(warnings(ic(Version.WIN10_V6_0, 1, 40))).toEqual([]);
    // feature flags before 6.0: decoded, warned
    expect(warnings(ic(Version.WIN10_V5_3, 1, 40))).toEqual([expect.objectContaining({ kind: "featureFlagsBeforeCopper", rule: "WIRE-FORM-2", field: "InitiateContact.featureFlags", offset: 20 })]);
    expect(warnings(ic(Version.WIN10_V5_3, 0, 40))).toEqual([]);
    expect(warnings(ic(Version.WIN10_V4_1, 1, 40))).toEqual([]);
    expect(formOf(ic(Version.WIN10_V6_0, 8, 39))).toBe("error WIRE-LEN-1");
  });

  it("WIRE-FORM-3: VERSION_RESPONSE form from the context, length and the 0x40 bit, with its warning", () => {
    const vr = (len: number, features: number, accepted = 1) => bytes(15, len, { 8: accepted, ...(len >= 20 ? le32(16, features) : {}) });
    const v6 = { version: Version.WIN10_V6_0 };
    expect(formOf(vr(40, 0x40))).toBe("serverMonitor");
    expect(formOf(vr(40, 0xffffffbf))).toBe("copper");
    expect(formOf(vr(39, 0x40))).toBe("copper");
    expect(formOf(vr(20, 0))).toBe("copper");
    expect(formOf(vr(19, 0))).toBe("v1");
    expect(formOf(vr(40, 0x40), { version: Version.WIN10_V5_3 })).toBe("v1");
    expect(formOf(vr(40, 0x40), v6)).toBe("serverMonitor");
    expect(warnings(vr(16, 0), v6)).toEqual([expect.objectContaining({ kind: "supportedFeaturesMissing", rule: "WIRE-FORM-3", field: "VersionResponse.supportedFeatures", offset: 16 })]);
    expect(warnings(vr(16, 0, 0), v6)).toEqual([]);
    expect(warnings(vr(16, 0))).toEqual([]);
    expect(warnings(vr(16, 0), { version: Version.WIN10_V5_3 })).toEqual([]);
    expect(formOf(vr(15, 0))).toBe("error WIRE-LEN-1");
  });

  it("WIRE-FORM-4: OPENCHANNEL is openChannel2 only with 156 bytes, 6.0 and a signal/redirect feature", () => {
    expect(formOf(bytes(5, 156))).toBe("openChannel2");
    expect(formOf(bytes(5, 155))).toBe("v1");
    expect(formOf(bytes(5, 156), { version: Version.WIN10_V6_0 })).toBe("openChannel2");
    expect(formOf(bytes(5, 156), { version: Version.WIN10_V5_3 })).toBe("v1");
    expect(formOf(bytes(5, 156), { features: 0x1 })).toBe("openChannel2");
    expect(formOf(bytes(5, 156), { features: 0x2 })).toBe("openChannel2");
    expect(formOf(bytes(5, 156), { features: 0xfffffffc })).toBe("v1");
    expect(formOf(bytes(5, 147))).toBe("error WIRE-LEN-1");
  });

  it("WIRE-FORM-5: TL_CONNECT_REQUEST is silo only with 56 bytes and 5.2 or later", () => {
    expect(formOf(bytes(21, 56))).toBe("silo");
    expect(formOf(bytes(21, 55))).toBe("v1");
    expect(formOf(bytes(21, 56), { version: Version.WIN10_V5_2 })).toBe("silo");
    expect(formOf(bytes(21, 56), { version: Version.WIN10_V5_1 })).toBe("v1");
  });

  it("WIRE-HDR-3: a non-zero reserved byte is accepted and reported with its field and offset", () => {
    expect(warnings(bytes(7, 12, { 4: 1 }))).toEqual([expect.objectContaining({ kind: "reservedNonZero", rule: "WIRE-HDR-3", field: "CloseChannel.padding", offset: 4 })]);
    expect(warnings(bytes(7, 12, { 7: 0x80 }))).toHaveLength(1);
    expect(warnings(bytes(7, 12, { 8: 1 }))).toEqual([]);
    expect(warnings(bytes(7, 12))).toEqual([]);
  });

  it("WIRE-DIR-1 / WIRE-VER-1 / WIRE-VER-2: the context's direction, version and features", () => {
    const d = decodeMessage(bytes(7, 12), { direction: "host-to-guest" });
    expect(d.ok || d.error).toMatchObject({ kind: "wrongDirection", rule: "WIRE-DIR-1", messageType: 7 });
    expect(decodeMessage(bytes(7, 12), { direction: "guest-to-host" }).ok).toBe(true);
    for (const i of MESSAGE_TABLE) {
      if (i.minVersion > 0) {
        const r = decodeMessage(bytes(i.number, 240), { version: i.minVersion - 1 });
        expect(r.ok || r.error).toMatchObject({ kind: "typeNotInVersion", rule: "WIRE-VER-1", messageType: i.number });
        const atMin = decodeMessage(bytes(i.number, 240), { version: i.minVersion });
        expect(!atMin.ok && atMin.error.rule === "WIRE-VER-1").toBe(false);
      }
      if (i.feature !== undefined) {
        const r = decodeMessage(bytes(i.number, 240), { features: ~i.feature >>> 0 });
        expect(r.ok || r.error).toMatchObject({ kind: "typeNotInVersion", rule: "WIRE-VER-2", messageType: i.number });
        const w = decodeMessage(bytes(i.number, 240), { features: i.feature });
        expect(!w.ok && w.error.rule === "WIRE-VER-2").toBe(false);
      }
    }
  });
});
