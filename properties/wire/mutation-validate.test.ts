/**
 * validateMessage, rule by rule (WIRE-HDR-2, WIRE-FIELD-1/2, WIRE-GUID-1, WIRE-FORM-2/3,
 * WIRE-GPADL-1/4/5, WIRE-LEN-3): each check is shown at its boundary, with the rule, the kind and
 * the field path of the error, and the normalised value of what passes.
 */
import { describe, expect, it } from "vitest";
import { decodeMessage, encodeMessage, validateMessage } from "../../spec/wire/codec.js";
import type { Message } from "../../spec/wire/messages.js";
import { Version } from "../../spec/wire/versions.js";

type Rec = Record<string, unknown>;

/** A valid message of type number `n` and `len` bytes, decoded from zeros (all values 0). */
const zeros = (n: number, len: number, context = {}): Rec => {
  const b = new Uint8Array(len);
  b[0] = n;
  const d = decodeMessage(b, context);
  if (!d.ok) throw new Error(d.error.message);
  return d.value.message as unknown as Rec;
};
const v = (m: Rec) => validateMessage(m as unknown as Message);
const fails = (m: Rec, rule: string, field?: string, kind = "badField") => {
  const r = v(m);
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.error.rule).toBe(rule);
    expect(r.error.kind).toBe(kind);
    if (field !== undefined) expect(r.error.field).toBe(field);
  }
};
const passes = (m: Rec): Rec => {
  const r = v(m);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as unknown as Rec;
};

const modify = (): Rec => zeros(22, 16); // ModifyChannel: childRelid u32, targetVp u32
const versionResponse = (): Rec => zeros(15, 16, { version: Version.WIN10 }); // v1: u8 fields
const openChannel2 = (): Rec => zeros(5, 156); // userData 120 bytes, eventFlag u16
const offer = (): Rec => zeros(1, 196); // GUIDs
const contact = (form: string, version: number, featureFlags = 0): Rec => {
  const m = zeros(14, 56);
  const { clientId: _c, interruptPage: _i, msgSint: _s, msgVtl: _v, featureFlags: _f, ...common } = m;
  if (form === "interruptPage") return { ...common, form, vmbusVersionRequested: version, interruptPage: "0" };
  if (form === "msgSint") return { ...common, form, vmbusVersionRequested: version, msgSint: 2, msgVtl: 0, featureFlags };
  return { ...common, form, vmbusVersionRequested: version, msgSint: 2, msgVtl: 0, featureFlags, clientId: "00000000-0000-0000-0000-000000000000" };
};
const header = (ranges: unknown, extra: Rec = {}): Rec => ({ type: "GpadlHeader", childRelid: 1, gpadl: 2, rangeBufferLength: 16, rangeCount: 1, ranges, ...extra });
const body = (pfns: unknown): Rec => ({ type: "GpadlBody", msgNumber: 0, gpadl: 2, pfns });

describe("validateMessage (mutation: every check at its boundary)", () => {
  it("WIRE-HDR-2: a message without a known type name is refused, naming the field `type`", () => {
    // regression: inherited names ("toString", "__proto__", …) are not message types (they threw)
    for (const m of [null, 7, "CloseChannel", {}, { type: 3 }, { type: "NoSuchMessage" }, { type: "Invalid" }, { type: "toString" }, { type: "__proto__" }, { type: "constructor" }])
      fails(m as unknown as Rec, "WIRE-HDR-2", "type");
    expect(v(zeros(7, 12)).ok).toBe(true);
  });

  it("WIRE-FIELD-2: u8/u16/u32 values are integers in range, inclusive at both ends", () => {
    for (const [m, name, max] of [
      [modify(), "childRelid", 0xffffffff],
      [modify(), "targetVp", 0xffffffff],
      [versionResponse(), "versionSupported", 0xff],
      [openChannel2(), "eventFlag", 0xffff],
    ] as const) {
      const t = m["type"] as string;
      expect(passes({ ...m, [name]: max })[name]).toBe(max);
      expect(passes({ ...m, [name]: 0 })[name]).toBe(0);
      for (const bad of [max + 1, -1, 1.5, "1", undefined, Number.NaN]) fails({ ...m, [name]: bad }, "WIRE-FIELD-2", `${t}.${name}`);
    }
  });

  it("WIRE-FIELD-2: u64 values are decimal strings up to 2^64 - 1", () => {
    const m = contact("msgSint", Version.WIN10_V5);
    expect(passes({ ...m, monitorPage1: "18446744073709551615" })["monitorPage1"]).toBe("18446744073709551615");
    for (const bad of ["18446744073709551616", 5, "-1", "0x10", undefined]) fails({ ...m, monitorPage1: bad }, "WIRE-FIELD-2", "InitiateContact.monitorPage1");
  });

  it("WIRE-GUID-1: GUID fields are GUID strings, returned in lowercase", () => {
    const m = offer();
    const g = "ABCDEF01-2345-6789-ABCD-EF0123456789";
    expect(passes({ ...m, interfaceType: g })["interfaceType"]).toBe(g.toLowerCase());
    for (const bad of [42, undefined, "not-a-guid", "ABCDEF01-2345-6789-ABCD-EF012345678"]) fails({ ...m, interfaceType: bad }, "WIRE-GUID-1", "OfferChannel.interfaceType");
  });

  it("WIRE-FIELD-1: user data is exactly 240 hex digits (either case), returned in lowercase", () => {
    const m = openChannel2();
    const hex = "AB".repeat(120);
    expect(passes({ ...m, userData: hex })["userData"]).toBe("ab".repeat(120));
    for (const bad of ["ab".repeat(119), "ab".repeat(121), "zz".repeat(120), `${"ab".repeat(119)}a `, 7, undefined])
      fails({ ...m, userData: bad }, "WIRE-FIELD-1", "OpenChannel.userData");
  });

  it("WIRE-FIELD-2: the form must be one of the message's forms; a single-form message has none", () => {
    fails({ ...openChannel2(), form: "v2" }, "WIRE-FIELD-2", "OpenChannel.form");
    fails({ ...openChannel2(), form: undefined }, "WIRE-FIELD-2", "OpenChannel.form");
    fails({ ...modify(), form: "v1" }, "WIRE-FIELD-2", "ModifyChannel.form");
    expect(passes({ ...openChannel2(), form: "v1" })["form"]).toBe("v1");
  });

  it("WIRE-FORM-2: the InitiateContact form agrees with its version and feature flags", () => {
    expect(v(contact("interruptPage", Version.WIN10_V4_1)).ok).toBe(true);
    fails(contact("interruptPage", Version.WIN10_V5), "WIRE-FORM-2", "InitiateContact.form");
    expect(v(contact("msgSint", Version.WIN10_V5)).ok).toBe(true);
    fails(contact("msgSint", Version.WIN10_V4_1), "WIRE-FORM-2", "InitiateContact.form");
    fails(contact("clientId", Version.WIN10_V4_1, 8), "WIRE-FORM-2", "InitiateContact.form");
    // feature flags before 6.0
    fails(contact("msgSint", Version.WIN10_V5_3, 1), "WIRE-FORM-2", "InitiateContact.featureFlags");
    expect(v(contact("msgSint", Version.WIN10_V6_0, 1)).ok).toBe(true);
    expect(v(contact("msgSint", Version.WIN10_V6_0, 0xfffffff7)).ok).toBe(true);
    // the client_id bit decides msgSint vs clientId at 6.0
    fails(contact("msgSint", Version.WIN10_V6_0, 8), "WIRE-FORM-2", "InitiateContact.form");
    expect(v(contact("clientId", Version.WIN10_V6_0, 8)).ok).toBe(true);
    fails(contact("clientId", Version.WIN10_V6_0, 0xfffffff7), "WIRE-FORM-2", "InitiateContact.form");
    fails(contact("clientId", Version.WIN10_V5_3, 0), "WIRE-FORM-2");
  });

  it("WIRE-FORM-3: the serverMonitor VersionResponse needs server_specified_monitor_pages (0x40)", () => {
    const m = zeros(15, 40, { version: Version.WIN10_V6_0 });
    const sm = { ...m, form: "serverMonitor", parentToChildMonitorPageGpa: "0", childToParentMonitorPageGpa: "0" };
    fails({ ...sm, supportedFeatures: 0xffffffbf }, "WIRE-FORM-3", "VersionResponse.supportedFeatures");
    expect(v({ ...sm, supportedFeatures: 0x40 }).ok).toBe(true);
    expect(v({ ...m, form: "copper", supportedFeatures: 0 }).ok).toBe(true);
  });

  it("WIRE-FIELD-2: GPADL range lists are arrays of u32 byteCount/byteOffset and u64 PFNs, named by index", () => {
    const r = { byteCount: 16, byteOffset: 0, pfns: ["1"] };
    expect(v(header([r])).ok).toBe(true);
    fails(header("x"), "WIRE-FIELD-2", "GpadlHeader.ranges");
    fails(header([r, { ...r, byteCount: -1 }], { rangeBufferLength: 32, rangeCount: 2 }), "WIRE-FIELD-2", "GpadlHeader.ranges[1].byteCount");
    fails(header([{ ...r, byteCount: 0x100000000 }]), "WIRE-FIELD-2", "GpadlHeader.ranges[0].byteCount");
    fails(header([{ ...r, byteOffset: "0" }]), "WIRE-FIELD-2", "GpadlHeader.ranges[0].byteOffset");
    fails(header([null]), "WIRE-FIELD-2", "GpadlHeader.ranges[0].byteCount");
    fails(header([{ ...r, pfns: "1" }]), "WIRE-FIELD-2", "GpadlHeader.ranges[0].pfns");
    fails(header([{ byteCount: 8192, byteOffset: 0, pfns: ["1", 2] }], { rangeBufferLength: 24 }), "WIRE-FIELD-2", "GpadlHeader.ranges[0].pfns[1]");
    fails(header([{ ...r, byteOffset: 4096 }]), "WIRE-GPADL-5", "GpadlHeader.ranges[0].byteOffset");
  });

  it("WIRE-GPADL-4: a GPADL_BODY is an array of at most 28 u64 values", () => {
    const pfns = Array.from({ length: 28 }, (_, i) => String(i));
    expect(passes(body(pfns))["pfns"]).toEqual(pfns);
    fails(body([...pfns, "28"]), "WIRE-GPADL-4", "GpadlBody.pfns", "countMismatch");
    fails(body("1"), "WIRE-FIELD-2", "GpadlBody.pfns");
    fails(body(["1", "x"]), "WIRE-FIELD-2", "GpadlBody.pfns[1]");
    fails(body([7]), "WIRE-FIELD-2", "GpadlBody.pfns[0]");
  });

  it("WIRE-LEN-3: a message encoding to more than 240 bytes is refused with need and got", () => {
    const pfns = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));
    expect(v(header([{ byteCount: 26 * 4096, byteOffset: 0, pfns: pfns(26) }], { rangeBufferLength: 8 + 8 * 26 })).ok).toBe(true);
    const r = v(header([{ byteCount: 28 * 4096, byteOffset: 0, pfns: pfns(28) }], { rangeBufferLength: 8 + 8 * 28 }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ kind: "tooLong", rule: "WIRE-LEN-3", need: 240, got: 252 });
  });

  it("WIRE-GPADL-1: only the last range of a GPADL_HEADER may be partial", () => {
    const partial = { byteCount: 3 * 4096, byteOffset: 0, pfns: ["1"] };
    const whole = { byteCount: 16, byteOffset: 0, pfns: ["2"] };
    // a partial last range continues in bodies: valid
    expect(v(header([whole, partial], { rangeBufferLength: 16 + 32, rangeCount: 2 })).ok).toBe(true);
    fails(header([partial, whole], { rangeBufferLength: 32 + 16, rangeCount: 2 }), "WIRE-GPADL-1", "GpadlHeader.ranges", "countMismatch");
    // a structural error the decoder finds is returned as is
    const r = v(header([whole], { rangeBufferLength: 12 }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.rule).toBe("WIRE-GPADL-2");
  });

  it("a message that passes encodes and decodes back to itself", () => {
    for (const m of [modify(), openChannel2(), offer(), contact("clientId", Version.WIN10_V6_0, 8)]) {
      const ok = passes(m);
      const d = decodeMessage(encodeMessage(ok as unknown as Message));
      expect(d.ok && d.value.message).toEqual(ok);
    }
  });
});
