/**
 * The hostile guest's catalogue (spec/system/hostile.ts) checked against what its documentation
 * promises: every entry's label names the message its bytes carry, the boundary values are the
 * ones the labels say, one base per type gets the length variants 0, 7, 8, min − 1 and 240, the
 * 241-byte payload_size entry, deduplication, and the live posts of mixed mode.
 */
import { describe, expect, it } from "vitest";
import { hostileCatalogue, liveCatalogue, type HostileCatalogueEntry } from "../../spec/system/hostile.js";
import { decodeMessage } from "../../spec/wire/codec.js";
import { MessageType, type Message } from "../../spec/wire/messages.js";
import { hexToBytes } from "../../spec/wire/hex.js";

const MAX32 = 0xffffffff;
const bytes = (e: HostileCatalogueEntry): Uint8Array => {
  const b = hexToBytes(e.payload);
  if (!b.ok) throw new Error(`bad hex in ${e.label}`);
  return b.value;
};
const decode = (e: HostileCatalogueEntry): Message => {
  const d = decodeMessage(bytes(e));
  if (!d.ok) throw new Error(`${e.label}: ${d.error.message}`);
  return d.value.message;
};
const u32 = (e: HostileCatalogueEntry, at: number): number => new DataView(bytes(e).buffer).getUint32(at, true);
const u16 = (e: HostileCatalogueEntry, at: number): number => new DataView(bytes(e).buffer).getUint16(at, true);
const msgtype = (e: HostileCatalogueEntry): number => u32(e, 0);
const typeName = (n: number): string => Object.entries(MessageType).find(([, v]) => v === n)?.[0] ?? "?";
/** A GPADL_HEADER the decoder refuses (range_buflen < 8): its fields from the bytes. */
const rawHeader = (e: HostileCatalogueEntry) => ({ type: msgtype(e), childRelid: u32(e, 8), gpadl: u32(e, 12), rangeBufferLength: u16(e, 16), rangeCount: u16(e, 18), byteCount: u32(e, 20), size: e.payloadSize });
const byLabel = (c: readonly HostileCatalogueEntry[], label: string): HostileCatalogueEntry => {
  const e = c.find((x) => x.label === label);
  if (!e) throw new Error(`no entry ${label}`);
  return e;
};
const key = (e: HostileCatalogueEntry) => `${e.connectionId}/${e.payloadSize}/${e.payload}`;
const isVariant = (e: HostileCatalogueEntry) => / \[\d+ bytes\]$/.test(e.label);

describe("hostileCatalogue", () => {
  const plain = () => hostileCatalogue({ knownRelid: 3, lengths: false });
  const full = () => hostileCatalogue({ knownRelid: 3, lengths: true });
  const openvmm = () => hostileCatalogue({ knownRelid: 3, lengths: false, openvmm: true });

  it("every base entry's label names the message type its bytes carry", () => {
    for (const e of plain().filter((x) => x.payloadSize === x.payload.length / 2)) {
      const word = e.label.split(" ")[0]!;
      if (word === "type") expect(e.label.startsWith(`type ${msgtype(e)} `)).toBe(true);
      else expect(word.replaceAll("_", "")).toBe(typeName(msgtype(e)).toUpperCase());
    }
    expect(plain().map((e) => msgtype(e)).filter((t) => t === 0 || t === 30)).toEqual([0, 30]);
  });

  it("the labels are unique and the entries deduplicated by (connection id, payload size, bytes)", () => {
    for (const c of [plain(), full(), openvmm()]) {
      expect(new Set(c.map((e) => e.label)).size).toBe(c.length);
      expect(new Set(c.map(key)).size).toBe(c.length);
    }
  });

  it("the connection ids: 1, except INITIATE_CONTACT on connection 4 and UNLOAD to an unknown one (0x7777)", () => {
    for (const e of openvmm()) {
      const want = / on conn 4/.test(e.label) ? 4 : e.label === "UNLOAD to an unknown connection" ? 0x7777 : 1;
      expect([e.label, e.connectionId]).toEqual([e.label, want]);
    }
  });

  it("the relid boundary set: the known relid, 0 and 0xFFFFFFFF, as the labels say", () => {
    for (const e of plain()) {
      const m = /relid=(\d+|max)/.exec(e.label);
      if (!m) continue;
      const msg = decode(e) as Message & { childRelid: number };
      expect([e.label, msg.childRelid]).toEqual([e.label, m[1] === "max" ? MAX32 : Number(m[1])]);
    }
    expect(plain().filter((e) => /relid=3\b/.test(e.label)).length).toBeGreaterThanOrEqual(6);
  });

  it("INITIATE_CONTACT: interrupt-page form below 5.0, msg-SINT form (SINT 2) from 5.0; vcpu 0 or max", () => {
    const v4 = decode(byLabel(plain(), "INITIATE_CONTACT 4.0"));
    expect(v4).toEqual({ type: "InitiateContact", form: "interruptPage", vmbusVersionRequested: 0x00040000, targetVcpu: 0, interruptPage: "12288", monitorPage1: "4096", monitorPage2: "8192" });
    expect(decode(byLabel(plain(), "INITIATE_CONTACT 4.0 vcpu=max"))).toMatchObject({ targetVcpu: MAX32, vmbusVersionRequested: 0x00040000 });
    expect(decode(byLabel(plain(), "INITIATE_CONTACT 0.0"))).toMatchObject({ vmbusVersionRequested: 0, form: "interruptPage" });
    const v5 = decode(byLabel(plain(), "INITIATE_CONTACT 5.0 on conn 4"));
    expect(v5).toEqual({ type: "InitiateContact", form: "msgSint", vmbusVersionRequested: 0x00050000, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags: 0, monitorPage1: "4096", monitorPage2: "8192" });
    expect(decode(byLabel(plain(), "INITIATE_CONTACT 6.0 on conn 4"))).toMatchObject({ form: "msgSint", vmbusVersionRequested: 0x00060000 });
  });

  it("OPENCHANNEL: open id = relid, ring GPADL 1, the offsets and target VP the labels say, 120 zero bytes of user data", () => {
    const o = (label: string) => decode(byLabel(plain(), label));
    expect(o("OPENCHANNEL relid=3 offset=2")).toEqual({ type: "OpenChannel", form: "v1", childRelid: 3, openId: 3, ringBufferGpadlHandle: 1, targetVp: 0, downstreamRingBufferPageOffset: 2, userData: "00".repeat(120) });
    expect(o("OPENCHANNEL relid=3 offset=1")).toMatchObject({ downstreamRingBufferPageOffset: 1, targetVp: 0 });
    expect(o("OPENCHANNEL relid=3 offset=max")).toMatchObject({ downstreamRingBufferPageOffset: MAX32 });
    expect(o("OPENCHANNEL relid=3 target_vp=max")).toMatchObject({ targetVp: MAX32, downstreamRingBufferPageOffset: 2 });
    expect(o("OPENCHANNEL relid=max")).toMatchObject({ childRelid: MAX32, openId: MAX32 });
  });

  it("GPADL_HEADER / BODY / TEARDOWN: range_buflen, byte counts and PFNs as the labels say, GPADL 1", () => {
    const o = (label: string) => decode(byLabel(plain(), label));
    const pfns = (n: number) => Array.from({ length: n }, (_, i) => String(0x1000 + i));
    expect(o("GPADL_HEADER relid=3 4 pages complete")).toEqual({ type: "GpadlHeader", childRelid: 3, gpadl: 1, rangeBufferLength: 40, rangeCount: 1, ranges: [{ byteCount: 16384, byteOffset: 0, pfns: pfns(4) }] });
    expect(o("GPADL_HEADER relid=3 4 pages, 2 PFNs")).toMatchObject({ rangeBufferLength: 40, ranges: [{ byteCount: 16384, pfns: pfns(2) }] });
    const raw = (label: string) => rawHeader(byLabel(plain(), label));
    expect(raw("GPADL_HEADER range_buflen=0 byte_count=0xFFFFF000")).toEqual({ type: 8, childRelid: 3, gpadl: 1, rangeBufferLength: 0, rangeCount: 1, byteCount: 0xfffff000, size: 28 });
    expect(raw("GPADL_HEADER range_buflen=7 byte_count=0xFFFFF000")).toEqual({ type: 8, childRelid: 3, gpadl: 1, rangeBufferLength: 7, rangeCount: 1, byteCount: 0xfffff000, size: 28 });
    expect(o("GPADL_HEADER range_buflen=8 byte_count=0")).toMatchObject({ rangeBufferLength: 8, ranges: [{ byteCount: 0, pfns: [] }] });
    expect(o("GPADL_BODY 2 PFNs")).toEqual({ type: "GpadlBody", msgNumber: 0, gpadl: 1, pfns: ["8192", "8193"] });
    expect(o("GPADL_BODY gpadl=max")).toMatchObject({ gpadl: MAX32, pfns: ["8192"] });
    expect(o("GPADL_TEARDOWN relid=3")).toEqual({ type: "GpadlTeardown", childRelid: 3, gpadl: 1 });
    expect(o("GPADL_TEARDOWN gpadl=max")).toEqual({ type: "GpadlTeardown", childRelid: 3, gpadl: MAX32 });
  });

  it("the other message types, each once with the known relid where it has one", () => {
    const o = (label: string) => decode(byLabel(plain(), label));
    expect(o("MODIFYCHANNEL relid=3")).toEqual({ type: "ModifyChannel", childRelid: 3, targetVp: 0 });
    expect(o("OPEN_RESERVED_CHANNEL")).toEqual({ type: "OpenReservedChannel", channelId: 3, targetVp: 0, targetSint: 2, ringBufferGpadl: 1, downstreamPageOffset: 2 });
    expect(o("CLOSE_RESERVED_CHANNEL")).toEqual({ type: "CloseReservedChannel", channelId: 3, targetVp: 0, targetSint: 2 });
    expect(o("MODIFY_CONNECTION")).toEqual({ type: "ModifyConnection", parentToChildMonitorPageGpa: "0", childToParentMonitorPageGpa: "0" });
    expect(o("TL_CONNECT_REQUEST")).toMatchObject({ type: "TlConnectRequest", guestEndpointId: "00000000-0000-0000-0000-000000000000", hostServiceId: "00000000-0000-0000-0000-000000000000" });
    expect(o("VERSION_RESPONSE (host-to-guest type)")).toMatchObject({ type: "VersionResponse", versionSupported: 1, connectionState: 0 });
    expect(byLabel(plain(), "type 0 (INVALID)").payload).toBe("0000000000000000");
    expect(byLabel(plain(), "type 30 (unknown)").payload).toBe("1e00000000000000");
  });

  it("UNLOAD comes first (its trace is QEMU defect #2's canonical one); the 241-byte payload_size entry comes last", () => {
    expect(plain()[0]).toEqual({ label: "UNLOAD", connectionId: 1, payloadSize: 8, payload: "1000000000000000" });
    expect(plain().at(-1)).toEqual({ label: "UNLOAD with payload_size 241", connectionId: 1, payloadSize: 241, payload: "1000000000000000" });
    for (const e of plain().slice(0, -1)) expect(e.payloadSize).toBe(e.payload.length / 2);
  });

  it("lengths: one base per type gets 0, 7, 8, min − 1 and 240 bytes (its bytes cut or zero-padded), none without the option", () => {
    expect(plain().filter(isVariant)).toEqual([]);
    expect(full().filter((e) => !isVariant(e))).toEqual(plain());
    const variants = full().filter(isVariant);
    const bases = [...new Set(variants.map((e) => e.label.replace(/ \[\d+ bytes\]$/, "")))];
    expect(bases.map((b) => msgtype(byLabel(plain(), b)))).toEqual([16, 14, 5, 7, 8, 9, 11, 13, 22]);
    for (const e of variants) {
      const b = bytes(byLabel(plain(), e.label.replace(/ \[\d+ bytes\]$/, "")));
      const len = Number(/\[(\d+) bytes\]$/.exec(e.label)![1]);
      const want = new Uint8Array(len);
      want.set(b.subarray(0, Math.min(len, b.length)));
      expect(e).toMatchObject({ payloadSize: len, connectionId: 1 });
      expect(bytes(e)).toEqual(want);
    }
    // UNLOAD (8 bytes): 0, 7 (= min − 1) and 240; 8 is its own size.
    expect(variants.filter((e) => e.label.startsWith("UNLOAD [")).map((e) => e.payloadSize)).toEqual([0, 7, 240]);
    // CLOSECHANNEL (12 bytes): its 0-byte cut equals UNLOAD's (deduplicated); 7, 8, 11 and 240 stay.
    expect(variants.filter((e) => e.label.startsWith("CLOSECHANNEL relid=3 [")).map((e) => e.payloadSize)).toEqual([7, 8, 11, 240]);
    expect(variants.filter((e) => e.payloadSize === 0).map((e) => e.label)).toEqual(["UNLOAD [0 bytes]"]);
    const ic = variants.filter((e) => e.label.startsWith("INITIATE_CONTACT 4.0 [")).map((e) => e.payloadSize);
    expect(ic).toEqual([7, 8, bytes(byLabel(plain(), "INITIATE_CONTACT 4.0")).length - 1, 240]);
  });

  it("openvmm: three more entries (SINT 16 on connection 4, 6.0 with features 0x25, one monitor page)", () => {
    expect(openvmm().length).toBe(plain().length + 3);
    expect(decode(byLabel(openvmm(), "INITIATE_CONTACT 5.0 on conn 4 sint=16"))).toEqual({ type: "InitiateContact", form: "msgSint", vmbusVersionRequested: 0x00050000, targetVcpu: 0, msgSint: 16, msgVtl: 0, featureFlags: 0, monitorPage1: "0", monitorPage2: "0" });
    expect(byLabel(openvmm(), "INITIATE_CONTACT 5.0 on conn 4 sint=16").connectionId).toBe(4);
    expect(decode(byLabel(openvmm(), "INITIATE_CONTACT 6.0 features=0x25"))).toMatchObject({ vmbusVersionRequested: 0x00060000, featureFlags: 0x25, msgSint: 2 });
    expect(decode(byLabel(openvmm(), "MODIFY_CONNECTION one monitor page"))).toEqual({ type: "ModifyConnection", parentToChildMonitorPageGpa: "4096", childToParentMonitorPageGpa: "0" });
    expect(hostileCatalogue({ knownRelid: 3, lengths: false, openvmm: false })).toEqual(plain());
    // Length variants come from the one INITIATE_CONTACT base that has them, not from the openvmm ones.
    const withLengths = hostileCatalogue({ knownRelid: 3, lengths: true, openvmm: true });
    expect(withLengths.filter((e) => e.label.startsWith("INITIATE_CONTACT 5.0 on conn 4 sint=16")).map((e) => e.label)).toEqual(["INITIATE_CONTACT 5.0 on conn 4 sint=16"]);
    expect(withLengths.length).toBe(full().length + 3);
  });
});

describe("liveCatalogue", () => {
  const ids = { relids: [1, 2], gpadls: [{ id: 0xe1e10, childRelid: 1 }] };
  const live = () => liveCatalogue(ids, []);
  const o = (label: string) => decode(byLabel(live(), label));

  it("every entry is a 'live' post on connection 1 whose size is its bytes", () => {
    expect(live().length).toBeGreaterThan(0);
    for (const e of live()) {
      expect(e.label.startsWith("live ")).toBe(true);
      expect(e.connectionId).toBe(1);
      expect(e.payloadSize).toBe(e.payload.length / 2);
    }
  });

  it("per live relid: OPENCHANNEL on every live GPADL, CLOSECHANNEL, RELID_RELEASED, a fresh 4-page GPADL", () => {
    expect(live().map((e) => e.label)).toEqual([
      "live OPENCHANNEL relid=1 gpadl=0xe1e10",
      "live CLOSECHANNEL relid=1",
      "live RELID_RELEASED relid=1",
      "live GPADL_HEADER relid=1 gpadl=0x7000 4 pages complete",
      "live OPENCHANNEL relid=2 gpadl=0xe1e10",
      "live CLOSECHANNEL relid=2",
      "live RELID_RELEASED relid=2",
      "live GPADL_HEADER relid=2 gpadl=0x7000 4 pages complete",
      "live GPADL_HEADER reusing gpadl=0xe1e10",
      "live GPADL_BODY gpadl=0xe1e10",
      "live GPADL_TEARDOWN gpadl=0xe1e10",
    ]);
    expect(o("live OPENCHANNEL relid=2 gpadl=0xe1e10")).toEqual({ type: "OpenChannel", form: "v1", childRelid: 2, openId: 2, ringBufferGpadlHandle: 0xe1e10, targetVp: 0, downstreamRingBufferPageOffset: 2, userData: "00".repeat(120) });
    expect(o("live CLOSECHANNEL relid=2")).toEqual({ type: "CloseChannel", childRelid: 2 });
    expect(o("live RELID_RELEASED relid=2")).toEqual({ type: "RelIdReleased", childRelid: 2 });
    expect(o("live GPADL_HEADER relid=2 gpadl=0x7000 4 pages complete")).toMatchObject({ childRelid: 2, gpadl: 0x7000, rangeBufferLength: 40, ranges: [{ byteCount: 16384, pfns: ["4096", "4097", "4098", "4099"] }] });
    expect(o("live GPADL_HEADER reusing gpadl=0xe1e10")).toMatchObject({ childRelid: 1, gpadl: 0xe1e10 });
    expect(o("live GPADL_BODY gpadl=0xe1e10")).toEqual({ type: "GpadlBody", msgNumber: 0, gpadl: 0xe1e10, pfns: ["8192"] });
    expect(o("live GPADL_TEARDOWN gpadl=0xe1e10")).toEqual({ type: "GpadlTeardown", childRelid: 1, gpadl: 0xe1e10 });
  });

  it("the fresh GPADL id is the first from 0x7000 that no live GPADL uses", () => {
    const fresh = (gpadls: number[]) =>
      (decode(liveCatalogue({ relids: [1], gpadls: gpadls.map((id) => ({ id, childRelid: 1 })) }, []).find((e) => e.label.includes("4 pages complete"))!) as { gpadl: number }).gpadl;
    expect(fresh([])).toBe(0x7000);
    expect(fresh([0x7000])).toBe(0x7001);
    expect(fresh([0x7001, 0x7000])).toBe(0x7002);
    expect(fresh([0x7001])).toBe(0x7000);
  });

  it("entries equal to a fixed one (by connection id, size and bytes), or to an earlier live one, are left out", () => {
    const close1 = live().find((e) => e.label === "live CLOSECHANNEL relid=1")!;
    const without = liveCatalogue(ids, [{ ...close1, label: "fixed" }]);
    expect(without.map((e) => e.label)).toEqual(live().map((e) => e.label).filter((l) => l !== close1.label));
    // Same bytes on another connection, or with another size, is another post.
    expect(liveCatalogue(ids, [{ ...close1, connectionId: 4 }])).toEqual(live());
    expect(liveCatalogue(ids, [{ ...close1, payloadSize: 13 }])).toEqual(live());
    // A relid listed twice gives its posts once.
    expect(liveCatalogue({ ...ids, relids: [1, 1, 2] }, [])).toEqual(live());
    expect(liveCatalogue({ relids: [], gpadls: [] }, [])).toEqual([]);
  });
});
