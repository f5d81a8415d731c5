/**
 * Golden bytes: every hex string below is written BY HAND from the offset tables
 *, one segment per field with its offset in a comment — never
 * produced by our encoder. Each case is decoded field by field, and canonical cases must also
 * be what encodeMessage produces.
 */
import { describe, expect, it } from "vitest";
import { decodeMessage, encodeMessage, type DecodeContext } from "../../spec/wire/codec.js";
import { hexToBytes } from "../../spec/wire/hex.js";
import type { Message } from "../../spec/wire/messages.js";
import { decodePostMessage, decodeSignalEvent, decodeSynicSlot, encodeSynicSlot } from "../../spec/wire/synic.js";
import { guidToBytes, readGuid } from "../../spec/wire/guid.js";
import { MESSAGE_TABLE } from "../../spec/wire/table.js";

const bytes = (...parts: string[]): Uint8Array => {
  const r = hexToBytes(parts.join(""));
  if (!r.ok) throw new Error("bad golden hex");
  return r.value;
};
const Z = (n: number): string => "00".repeat(n);
const U = "ab".repeat(120); // a recognisable 120-byte user area

// hv_netvsc's interface GUID f8615163-df3e-46c5-913f-f2d2f965ed0e in wire order (u32/u16/u16 LE).
const NET_GUID = "f8615163-df3e-46c5-913f-f2d2f965ed0e";
const NET_WIRE = "635161f8" + "3edf" + "c546" + "913f" + "f2d2f965ed0e";
const INST_GUID = "00112233-4455-6677-8899-aabbccddeeff";
const INST_WIRE = "33221100" + "5544" + "7766" + "8899" + "aabbccddeeff";

interface Case {
  readonly name: string;
  readonly hex: Uint8Array;
  readonly ctx?: DecodeContext;
  readonly message: Message;
  readonly trailing?: number;
  readonly warnings?: number;
}

const offerFields = {
  interfaceType: NET_GUID,
  interfaceInstance: INST_GUID,
  reserved1: "0",
  reserved2: "0",
  channelFlags: 0x2011,
  mmioMegabytes: 0x20,
  userDefined: U,
  subChannelIndex: 3,
  mmioMegabytesOptional: 0,
  childRelid: 0x0e,
  monitorId: 0xff,
  monitorFlags: 1,
};
const offerHex = [
  "01000000", Z(4), // @0 msgtype 1, @4 padding
  NET_WIRE, // @8 if_type
  INST_WIRE, // @24 if_instance
  Z(8), Z(8), // @40 reserved1, @48 reserved2
  "1120", // @56 chn_flags 0x2011
  "2000", // @58 mmio_megabytes 32
  U, // @60 user defined (120)
  "0300", // @180 sub_channel_index 3
  "0000", // @182 mmio_megabytes_optional
  "0e000000", // @184 child_relid 14
  "ff", // @188 monitorid
  "01", // @189 monitor_allocated
];

const CASES: readonly Case[] = [
  // OpenVMM vectors
  { name: "CloseChannel relid 5 (OpenVMM vector)", hex: bytes("070000000000000005000000"), message: { type: "CloseChannel", childRelid: 5 } },
  { name: "Unload (OpenVMM vector)", hex: bytes("1000000000000000"), message: { type: "Unload" } },
  {
    name: "OfferChannel win7 (196)",
    hex: bytes(...offerHex, "0100", /* @190 is_dedicated */ "1e000000" /* @192 connection_id 30 (QEMU 16+relid) */),
    message: { type: "OfferChannel", form: "win7", ...offerFields, interruptFlags: 1, connectionId: 30 },
  },
  {
    name: "OfferChannel as QEMU posts it (200 bytes: 4 bytes tail padding; WIRE-LEN-2)",
    hex: bytes(...offerHex, "0100", "1e000000", Z(4)),
    message: { type: "OfferChannel", form: "win7", ...offerFields, interruptFlags: 1, connectionId: 30 },
    trailing: 4,
  },
  { name: "OfferChannel preWin7 (190)", hex: bytes(...offerHex), message: { type: "OfferChannel", form: "preWin7", ...offerFields } },
  {
    name: "OfferChannel 196 bytes with context 0.13 is preWin7 + 6 trailing",
    hex: bytes(...offerHex, "0100", "1e000000"),
    ctx: { version: 0x0000000d },
    message: { type: "OfferChannel", form: "preWin7", ...offerFields },
    trailing: 6,
  },
  { name: "RescindChannelOffer", hex: bytes("02000000", Z(4), "0f000000"), message: { type: "RescindChannelOffer", childRelid: 15 } },
  { name: "RequestOffers", hex: bytes("03000000", Z(4)), message: { type: "RequestOffers" } },
  { name: "AllOffersDelivered", hex: bytes("04000000", Z(4)), message: { type: "AllOffersDelivered" } },
  {
    name: "OpenChannel v1 (148)",
    hex: bytes("05000000", Z(4), "0e000000" /* @8 relid */, "0e000000" /* @12 openid */, "101e0e00" /* @16 gpadl 0xe1e10 */, "02000000" /* @20 target_vp */, "10000000" /* @24 downstream page offset 16 */, U /* @28 */),
    message: { type: "OpenChannel", form: "v1", childRelid: 14, openId: 14, ringBufferGpadlHandle: 0xe1e10, targetVp: 2, downstreamRingBufferPageOffset: 16, userData: U },
  },
  {
    name: "OpenChannel openChannel2 (156)",
    hex: bytes("05000000", Z(4), "01000000", "02000000", "03000000", "ffffffff", "04000000", U, "05200000" /* @148 connection id 0x2005 */, "0700" /* @152 event flag */, "0100" /* @154 REDIRECT_INTERRUPT */),
    message: { type: "OpenChannel", form: "openChannel2", childRelid: 1, openId: 2, ringBufferGpadlHandle: 3, targetVp: 0xffffffff, downstreamRingBufferPageOffset: 4, userData: U, connectionId: 0x2005, eventFlag: 7, flags: 1 },
  },
  {
    name: "OpenChannel 156 bytes with a 5.3 context is v1 + 8 trailing (WIRE-FORM-4)",
    hex: bytes("05000000", Z(4), "01000000", "02000000", "03000000", "ffffffff", "04000000", U, "05200000", "0700", "0100"),
    ctx: { version: 0x00050003 },
    message: { type: "OpenChannel", form: "v1", childRelid: 1, openId: 2, ringBufferGpadlHandle: 3, targetVp: 0xffffffff, downstreamRingBufferPageOffset: 4, userData: U },
    trailing: 8,
  },
  {
    name: "OpenChannelResult as QEMU posts it (payload 24: 4 padding)",
    hex: bytes("06000000", Z(4), "0e000000", "0e000000", "01000000", Z(4)),
    message: { type: "OpenChannelResult", childRelid: 14, openId: 14, status: 1 },
    trailing: 4,
  },
  {
    name: "GpadlHeader, Linux style: 1 range, 2 pages",
    // @8 relid 1, @12 gpadl 0xe1e10, @16 range_buflen 24, @18 rangecount 1,
    // @20 byte_count 8192, @24 byte_offset 0, @28 pfn 0x1234, @36 pfn 0x1235
    hex: bytes("08000000", Z(4), "01000000", "101e0e00", "1800", "0100", "00200000", "00000000", "3412000000000000", "3512000000000000"),
    message: { type: "GpadlHeader", childRelid: 1, gpadl: 0xe1e10, rangeBufferLength: 24, rangeCount: 1, ranges: [{ byteCount: 8192, byteOffset: 0, pfns: ["4660", "4661"] }] },
  },
  {
    name: "GpadlHeader, range continues in bodies (buflen 8+8*30, 26 PFNs here)",
    hex: bytes("08000000", Z(4), "01000000", "02000000", "f800" /* 248 */, "0100", "00e00100" /* 30 pages */, "00000000", ...Array.from({ length: 26 }, (_, i) => (i + 1).toString(16).padStart(2, "0") + Z(7))),
    message: { type: "GpadlHeader", childRelid: 1, gpadl: 2, rangeBufferLength: 248, rangeCount: 1, ranges: [{ byteCount: 30 * 4096, byteOffset: 0, pfns: Array.from({ length: 26 }, (_, i) => String(i + 1)) }] },
  },
  {
    name: "GpadlHeader, 2 ranges, second with byte offset 0x10 spanning 2 pages",
    hex: bytes("08000000", Z(4), "07000000", "08000000", "2800" /* 40 */, "0200", "00100000", "00000000", "0100000000000000", "00100000", "10000000", "0200000000000000", "0300000000000000"),
    message: { type: "GpadlHeader", childRelid: 7, gpadl: 8, rangeBufferLength: 40, rangeCount: 2, ranges: [{ byteCount: 4096, byteOffset: 0, pfns: ["1"] }, { byteCount: 4096, byteOffset: 16, pfns: ["2", "3"] }] },
  },
  {
    name: "GpadlBody with 2 PFNs",
    hex: bytes("09000000", Z(4), "00000000" /* @8 msgnumber */, "02000000" /* @12 gpadl */, "1b00000000000000", "1c00000000000000"),
    message: { type: "GpadlBody", msgNumber: 0, gpadl: 2, pfns: ["27", "28"] },
  },
  { name: "GpadlCreated", hex: bytes("0a000000", Z(4), "01000000", "101e0e00", "ffff0080"), message: { type: "GpadlCreated", childRelid: 1, gpadl: 0xe1e10, creationStatus: 0x8000ffff } },
  { name: "GpadlTeardown", hex: bytes("0b000000", Z(4), "01000000", "101e0e00"), message: { type: "GpadlTeardown", childRelid: 1, gpadl: 0xe1e10 } },
  { name: "GpadlTorndown (QEMU posts 16: 4 padding)", hex: bytes("0c000000", Z(4), "101e0e00", Z(4)), message: { type: "GpadlTorndown", gpadl: 0xe1e10 }, trailing: 4 },
  { name: "RelIdReleased", hex: bytes("0d000000", Z(4), "0e000000"), message: { type: "RelIdReleased", childRelid: 14 } },
  {
    name: "InitiateContact 4.0 (interrupt page)",
    hex: bytes("0e000000", Z(4), "00000400" /* @8 4.0 */, "00000000" /* @12 vcpu */, "0000a00000000000" /* @16 interrupt page 0xa00000 */, "0010a00000000000" /* @24 */, "0020a00000000000" /* @32 */),
    message: { type: "InitiateContact", form: "interruptPage", vmbusVersionRequested: 0x40000, targetVcpu: 0, interruptPage: String(0xa00000), monitorPage1: String(0xa01000), monitorPage2: String(0xa02000) },
  },
  {
    name: "InitiateContact 5.3 (msg_sint 2)",
    hex: bytes("0e000000", Z(4), "03000500", "01000000", "02" /* @16 sint */, "00" /* @17 vtl */, "0000" /* @18 reserved */, "00000000" /* @20 */, "0010000000000000", "0020000000000000"),
    message: { type: "InitiateContact", form: "msgSint", vmbusVersionRequested: 0x50003, targetVcpu: 1, msgSint: 2, msgVtl: 0, featureFlags: 0, monitorPage1: "4096", monitorPage2: "8192" },
  },
  {
    name: "InitiateContact 6.0 with client id (56)",
    hex: bytes("0e000000", Z(4), "00000600", "00000000", "02", "00", "0000", "0f000000" /* @20 features 0xf */, Z(8), Z(8), INST_WIRE /* @40 */),
    message: { type: "InitiateContact", form: "clientId", vmbusVersionRequested: 0x60000, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags: 0xf, monitorPage1: "0", monitorPage2: "0", clientId: INST_GUID },
  },
  {
    name: "VersionResponse from QEMU (16, bytes 9..15 zero)",
    hex: bytes("0f000000", Z(4), "01" /* @8 supported */, "00", Z(2), Z(4)),
    message: { type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: 0, msgConnId: 0 },
  },
  {
    name: "VersionResponse 5.x with message connection id 4",
    hex: bytes("0f000000", Z(4), "01", "00", Z(2), "04000000"),
    ctx: { version: 0x50003 },
    message: { type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: 0, msgConnId: 4 },
  },
  {
    name: "VersionResponse copper (20; WIRE-FORM-3)",
    hex: bytes("0f000000", Z(4), "01", "00", Z(2), "01000000", "3f000000" /* @16 features */),
    message: { type: "VersionResponse", form: "copper", versionSupported: 1, connectionState: 0, msgConnId: 1, supportedFeatures: 0x3f },
  },
  {
    name: "VersionResponse serverMonitor (40)",
    hex: bytes("0f000000", Z(4), "01", "00", Z(2), "01000000", "40000000", Z(4) /* @20 padding */, "0000100000000000" /* @24 */, "0010100000000000" /* @32 */),
    message: { type: "VersionResponse", form: "serverMonitor", versionSupported: 1, connectionState: 0, msgConnId: 1, supportedFeatures: 0x40, parentToChildMonitorPageGpa: String(0x100000), childToParentMonitorPageGpa: String(0x101000) },
  },
  { name: "UnloadResponse", hex: bytes("11000000", Z(4)), message: { type: "UnloadResponse" } },
  {
    name: "OpenReservedChannel (28)",
    hex: bytes("12000000", Z(4), "01000000", "02000000", "07000000", "03000000", "04000000"),
    message: { type: "OpenReservedChannel", channelId: 1, targetVp: 2, targetSint: 7, ringBufferGpadl: 3, downstreamPageOffset: 4 },
  },
  { name: "CloseReservedChannel (20)", hex: bytes("13000000", Z(4), "01000000", "02000000", "07000000"), message: { type: "CloseReservedChannel", channelId: 1, targetVp: 2, targetSint: 7 } },
  { name: "CloseReservedResponse (12)", hex: bytes("14000000", Z(4), "01000000"), message: { type: "CloseReservedResponse", channelId: 1 } },
  {
    name: "TlConnectRequest v1 (40)",
    hex: bytes("15000000", Z(4), NET_WIRE, INST_WIRE),
    message: { type: "TlConnectRequest", form: "v1", guestEndpointId: NET_GUID, hostServiceId: INST_GUID },
  },
  {
    name: "TlConnectRequest silo (56)",
    hex: bytes("15000000", Z(4), NET_WIRE, INST_WIRE, NET_WIRE),
    message: { type: "TlConnectRequest", form: "silo", guestEndpointId: NET_GUID, hostServiceId: INST_GUID, siloId: NET_GUID },
  },
  {
    name: "TlConnectRequest 56 bytes with 5.1 context is v1 + 16 trailing (WIRE-FORM-5)",
    hex: bytes("15000000", Z(4), NET_WIRE, INST_WIRE, NET_WIRE),
    ctx: { version: 0x50001 },
    message: { type: "TlConnectRequest", form: "v1", guestEndpointId: NET_GUID, hostServiceId: INST_GUID },
    trailing: 16,
  },
  { name: "ModifyChannel", hex: bytes("16000000", Z(4), "0e000000", "03000000"), message: { type: "ModifyChannel", childRelid: 14, targetVp: 3 } },
  {
    name: "TlConnectResult (44) refused",
    hex: bytes("17000000", Z(4), NET_WIRE, INST_WIRE, "360200c0" /* @40 0xC0000236 */),
    message: { type: "TlConnectResult", endpointId: NET_GUID, serviceId: INST_GUID, status: 0xc0000236 },
  },
  { name: "ModifyChannelResponse", hex: bytes("18000000", Z(4), "0e000000", "00000000"), message: { type: "ModifyChannelResponse", childRelid: 14, status: 0 } },
  {
    name: "ModifyConnection (24)",
    hex: bytes("19000000", Z(4), "0000200000000000", "0010200000000000"),
    message: { type: "ModifyConnection", parentToChildMonitorPageGpa: String(0x200000), childToParentMonitorPageGpa: String(0x201000) },
  },
  { name: "ModifyConnectionResponse (9)", hex: bytes("1a000000", Z(4), "01"), message: { type: "ModifyConnectionResponse", connectionState: 1 } },
  { name: "Pause", hex: bytes("1b000000", Z(4)), message: { type: "Pause" } },
  { name: "PauseResponse", hex: bytes("1c000000", Z(4)), message: { type: "PauseResponse" } },
  { name: "Resume", hex: bytes("1d000000", Z(4)), message: { type: "Resume" } },
  {
    name: "InitiateContact 6.0 with client_id bit but 40 bytes: msgSint + clientIdMissing warning (WIRE-FORM-2)",
    hex: bytes("0e000000", Z(4), "00000600", Z(4), "02", "00", "0000", "08000000", Z(16)),
    message: { type: "InitiateContact", form: "msgSint", vmbusVersionRequested: 0x60000, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags: 8, monitorPage1: "0", monitorPage2: "0" },
    warnings: 1,
  },
  {
    name: "VersionResponse 16 bytes accepting 6.0: v1 + supportedFeaturesMissing warning (WIRE-FORM-3)",
    hex: bytes("0f000000", Z(4), "01", "00", Z(2), "04000000"),
    ctx: { version: 0x60000 },
    message: { type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: 0, msgConnId: 4 },
    warnings: 1,
  },
  { name: "reserved header word is accepted with a warning (WIRE-HDR-3)", hex: bytes("03000000", "01000000"), message: { type: "RequestOffers" }, warnings: 1 },
];

describe("golden bytes (hand-written from the upstream structs)", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const d = decodeMessage(c.hex, c.ctx);
      if (!d.ok) throw new Error(d.error.message);
      expect(d.value.message).toEqual(c.message);
      expect(d.value.trailingBytes).toBe(c.trailing ?? 0);
      expect(d.value.warnings).toHaveLength(c.warnings ?? 0);
      if ((c.trailing ?? 0) === 0 && (c.warnings ?? 0) === 0) expect(encodeMessage(c.message)).toEqual(c.hex);
    });
  }

  it("covers every message type 1..29 and every form", () => {
    const seen = new Set(CASES.map((c) => `${c.message.type}.${"form" in c.message ? c.message.form : ""}`));
    const all = MESSAGE_TABLE.flatMap((m) => m.forms.map((f) => `${m.type}.${f.form ?? ""}`));
    expect(all).toHaveLength(36); // 29 types + extra forms: offer 1, open 1, initiate 2, version 2, tl 1
    for (const k of all) expect(seen).toContain(k);
  });
});

describe("golden negative cases", () => {
  const neg: readonly [string, Uint8Array, DecodeContext | undefined, string][] = [
    ["type 0 (WIRE-HDR-2)", bytes("00000000", Z(4)), undefined, "unknownType"],
    ["type 30 (WIRE-HDR-2)", bytes("1e000000", Z(4)), undefined, "unknownType"],
    ["7 bytes (WIRE-HDR-1)", bytes("07000000", Z(3)), undefined, "tooShort"],
    ["CloseChannel 11 bytes (WIRE-LEN-1)", bytes("07000000", Z(4), "050000"), undefined, "tooShort"],
    ["OfferChannel 191 bytes with 4.0 context (WIRE-FORM-1)", bytes(...offerHex, "01"), { version: 0x40000 }, "tooShort"],
    ["241 bytes (WIRE-LEN-3)", bytes("09000000", Z(237)), undefined, "tooLong"],
    ["OfferChannel from the guest (WIRE-DIR-1)", bytes(...offerHex, "0100", "1e000000"), { direction: "guest-to-host" }, "wrongDirection"],
    ["ModifyChannel at 4.0 (WIRE-VER-1)", bytes("16000000", Z(4), "0e000000", "03000000"), { version: 0x40000 }, "typeNotInVersion"],
    ["Pause without pause_resume (WIRE-VER-2)", bytes("1b000000", Z(4)), { version: 0x60000, features: 0x4 }, "typeNotInVersion"],
    ["GpadlHeader (WIRE-GPADL-2) buflen 16 but one 1-page range needs 16, plus a second range", bytes("08000000", Z(4), "01000000", "02000000", "1000", "0200", "00100000", "00000000", "0100000000000000"), undefined, "countMismatch"],
    ["GpadlHeader rangecount 1, range_buflen 4 (QEMU #3, WIRE-GPADL-2)", bytes("08000000", Z(4), "01000000", "02000000", "0400", "0100", "00f0ffff", "00000000"), undefined, "countMismatch"],
    ["GpadlHeader range needs 2 PFNs, buflen allows 1 (WIRE-GPADL-1)", bytes("08000000", Z(4), "01000000", "02000000", "1000", "0100", "00200000", "00000000", "0100000000000000"), undefined, "countMismatch"],
  ];
  for (const [name, b, ctx, kind] of neg)
    it(name, () => {
      const d = decodeMessage(b, ctx);
      expect(d.ok).toBe(false);
      if (!d.ok) expect(d.error.kind).toBe(kind);
    });
});

describe("golden framing and GUIDs", () => {
  it("GUID wire order: first three groups little-endian (WIRE-GUID-1)", () => {
    expect(guidToBytes(NET_GUID)).toEqual({ ok: true, value: bytes(NET_WIRE) });
    expect(readGuid(bytes(NET_WIRE))).toEqual({ ok: true, value: NET_GUID });
  });

  it("SynIC slot: type 1, payload 12 (CloseChannel), pending, sender 0 (WIRE-SYNIC-1)", () => {
    const slot = bytes("01000000" /* @0 type */, "0c" /* @4 size */, "01" /* @5 pending */, "0000", Z(8) /* @8 sender */, "070000000000000005000000", Z(228));
    const d = decodeSynicSlot(slot);
    expect(d).toEqual({ ok: true, value: { slot: { messageType: 1, payloadSize: 12, messageFlags: 1, sender: "0", payload: "070000000000000005000000" }, pending: true, warnings: [] } });
    if (d.ok) expect(encodeSynicSlot(d.value.slot)).toEqual(slot);
  });

  it("SynIC slot: payload_size 241 is rejected (WIRE-SYNIC-2)", () => {
    const d = decodeSynicSlot(bytes("01000000", "f1", "00", "0000", Z(248)));
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error.kind).toBe("badField");
  });

  it("HvPostMessage input: connection id 4 with high bits, type 1, payload 8 (WIRE-POST-1, WIRE-POST-2)", () => {
    const d = decodePostMessage(bytes("040000ff" /* @0 connection id, high byte set */, Z(4), "01000000", "08000000", "0300000000000000"));
    expect(d).toEqual({ ok: true, value: { input: { connectionId: 0xff000004, messageType: 1, payloadSize: 8, payload: "0300000000000000" }, maskedConnectionId: 4, warnings: [] } });
    const big = decodePostMessage(bytes("01000000", Z(4), "01000000", "f1000000"));
    expect(big.ok ? "ok" : big.error.kind).toBe("badField");
  });

  it("HvSignalEvent input: connection 0x2005, flag 0 (WIRE-SIGNAL-1)", () => {
    expect(decodeSignalEvent(bytes("05200000", "0000", "0000"))).toEqual({ ok: true, value: { input: { connectionId: 0x2005, flagNumber: 0 }, maskedConnectionId: 0x2005, warnings: [] } });
  });
});
