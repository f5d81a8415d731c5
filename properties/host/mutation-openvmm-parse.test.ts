/**
 * The openvmm host parses as OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs:57-107 (Message::parse,
 * microsoft/openvmm 1488a37b) does: which message numbers parse in which connection state, version
 * and features, at which sizes (header included), and which ones are host-to-guest types that
 * reach channels.rs:3729's unreachable!. Every case posts raw bytes (the message number, then zeros)
 * and looks only at the rule IDs the host reports, one fresh host per case.
 */
import { describe, expect, it } from "vitest";
import { bytesToHex } from "../../spec/wire/hex.js";
import { Harness, config, initiate, rawPost } from "./helpers.js";

const V60 = 0x60000;

/** A host connected at `version` (with `features` from 6.0) and its offers taken; nothing logged yet. */
const at = (version: number | null, features = 0): Harness => {
  const h = new Harness(config("openvmm"));
  if (version === null) return h;
  h.send(version >= 0x50000 ? { type: "InitiateContact", form: "msgSint", vmbusVersionRequested: version, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags: features, monitorPage1: "0", monitorPage2: "0" } : initiate(version));
  h.send({ type: "RequestOffers" });
  h.settle();
  h.log.length = 0;
  return h;
};

/** Post message number `type` as `size` bytes (zeros after the number) and let the host run. */
const postRaw = (h: Harness, type: number, size: number): string[] => {
  const b = new Uint8Array(Math.max(size, 4));
  new DataView(b.buffer).setUint32(0, type, true);
  h.step(rawPost(bytesToHex(b), size));
  h.settle();
  return [...h.rejections(), ...h.defects()];
};
const parseRules = (rules: string[]): string[] => rules.filter((r) => r.startsWith("HOST-OPENVMM-PARSE-"));

/** Guest-to-host messages and their sizes in protocol.rs (header included). */
const GUEST: readonly (readonly [number, string, number])[] = [
  [3, "RequestOffers", 8], [5, "OpenChannel", 148], [7, "CloseChannel", 12], [8, "GpadlHeader", 20], [9, "GpadlBody", 16],
  [11, "GpadlTeardown", 16], [13, "RelIdReleased", 12], [14, "InitiateContact", 40], [16, "Unload", 8],
  [18, "OpenReservedChannel", 28], [19, "CloseReservedChannel", 20], [21, "TlConnectRequest", 40], [22, "ModifyChannel", 16],
  [25, "ModifyConnection", 24], [27, "Pause", 8], [29, "Resume", 8],
];
/** Host-to-guest messages (channels.rs:3713-3729) and their sizes. */
const CLIENT: readonly (readonly [number, string, number])[] = [
  [1, "OfferChannel", 196], [2, "RescindChannelOffer", 12], [4, "AllOffersDelivered", 8], [6, "OpenResult", 20], [10, "GpadlCreated", 20],
  [12, "GpadlTorndown", 12], [15, "VersionResponse", 16], [17, "UnloadComplete", 8], [20, "CloseReservedChannelResponse", 12],
  [23, "TlConnectResult", 44], [24, "ModifyChannelResponse", 16], [26, "ModifyConnectionResponse", 9], [28, "PauseResponse", 8],
];

describe("openvmm Message::parse (protocol.rs:57-107)", () => {
  it("HOST-OPENVMM-PARSE-2: every guest message parses at its size and is MessageTooSmall one byte shorter", () => {
    for (const [type, name, size] of GUEST) {
      expect([name, parseRules(postRaw(at(V60, 0x24), type, size))]).toEqual([name, []]);
      expect([name, parseRules(postRaw(at(V60, 0x24), type, size - 1))]).toEqual([name, ["HOST-OPENVMM-PARSE-2"]]);
    }
  });

  it("HOST-OPENVMM-DEFECT-1, HOST-OPENVMM-PARSE-2: every host-to-guest message that parses panics the server; one byte short it is dropped", () => {
    for (const [type, name, size] of CLIENT) {
      expect([name, postRaw(at(V60, 0x24), type, size)]).toEqual([name, ["HOST-OPENVMM-DEFECT-1"]]);
      expect([name, postRaw(at(V60, 0x24), type, size - 1)]).toEqual([name, ["HOST-OPENVMM-PARSE-2"]]);
    }
  });

  it("HOST-OPENVMM-DEFECT-1: the three VERSION_RESPONSE sizes (16, 20, 36 bytes) all parse, even while disconnected", () => {
    for (const size of [16, 20, 36]) expect(postRaw(at(null), 15, size)).toEqual(["HOST-OPENVMM-DEFECT-1"]);
  });

  it("HOST-OPENVMM-PARSE-1: while disconnected only INITIATE_CONTACT, VERSION_RESPONSE and CLOSE_RESERVED_CHANNEL parse", () => {
    for (const [type, name, size] of [...GUEST, ...CLIENT]) {
      const rules = postRaw(at(null), type, size);
      const parses = type === 14 || type === 15 || type === 19;
      expect([name, rules.includes("HOST-OPENVMM-PARSE-1")]).toEqual([name, !parses]);
    }
  });

  it("HOST-OPENVMM-PARSE-1: each type parses from its version on, and not in the version before", () => {
    // [message number, size, the version it parses from, a version before it]
    const cases: readonly (readonly [number, number, number, number])[] = [
      [3, 8, 0xd, 0], // RequestOffers from 0.13 (0 = disconnected)
      [17, 8, 0x10001, 0xd], // UnloadComplete from 1.1
      [18, 28, 0x40000, 0x30000], // OpenReservedChannel from 4.0
      [20, 12, 0x40000, 0x30000], // CloseReservedChannelResponse from 4.0
      [21, 40, 0x40000, 0x30000], // TlConnectRequest from 4.0
      [22, 16, 0x40001, 0x40000], // ModifyChannel from 4.1
      [23, 44, 0x40001, 0x40000], // TlConnectResult from 4.1
      [24, 16, 0x50003, 0x50002], // ModifyChannelResponse from 5.3
    ];
    for (const [type, size, from, before] of cases) {
      expect([type, from, postRaw(at(from), type, size).includes("HOST-OPENVMM-PARSE-1")]).toEqual([type, from, false]);
      expect([type, before, postRaw(at(before || null), type, size).includes("HOST-OPENVMM-PARSE-1")]).toEqual([type, before, true]);
    }
  });

  it("HOST-OPENVMM-PARSE-1: the 6.0 messages need their feature (modify_connection 0x4, pause_resume 0x20) and 6.0", () => {
    for (const [type, size, feature] of [[25, 24, 0x4], [26, 9, 0x4], [27, 8, 0x20], [28, 8, 0x20], [29, 8, 0x20]] as const) {
      expect([type, postRaw(at(V60, feature), type, size).includes("HOST-OPENVMM-PARSE-1")]).toEqual([type, false]);
      expect([type, postRaw(at(V60, 0x24 & ~feature), type, size).includes("HOST-OPENVMM-PARSE-1")]).toEqual([type, true]);
      expect([type, postRaw(at(0x50003), type, size).includes("HOST-OPENVMM-PARSE-1")]).toEqual([type, true]);
    }
  });

  it("HOST-OPENVMM-PARSE-1: a message number outside the table is InvalidMessageType", () => {
    for (const type of [0, 30, 0xffffffff]) expect(postRaw(at(V60, 0x24), type, 64)).toEqual(["HOST-OPENVMM-PARSE-1"]);
  });
});
