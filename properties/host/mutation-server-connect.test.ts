/**
 * INITIATE_CONTACT and UNLOAD of the strict host (spec/host/server/connect.ts), rule by rule at
 * the version boundaries where each choice changes: which VP the reply goes to (from 3.0), the
 * failure form (below 2.4 versionSupported 0), HOST-CONNECT-6/-7/-8, the negotiated features
 * (6.0 only), the message connection id (5.0) and the interrupt page (kept below 2.4 only).
 */
import { describe, expect, it } from "vitest";
import { ConnectionState } from "../../spec/wire/constants.js";
import type { Message } from "../../spec/wire/messages.js";
import { Version } from "../../spec/wire/versions.js";
import { Harness, config, initiate, openWithRings } from "./helpers.js";

const strict = () => new Harness(config("strict"));

/** The host's posts since `from` (index into the log): message, VP and SINT. */
const posts = (h: Harness, from = 0) =>
  h.log.slice(from).flatMap((o) => (o.kind === "postMessage" ? [{ message: o.message, vp: o.targetVp, sint: o.sint }] : []));

const contact = (version: number, extra: Partial<Record<string, unknown>> = {}): Message => ({ ...initiate(version), ...extra }) as Message;

const connect = (h: Harness, m: Message, connectionId = 1) => {
  const from = h.log.length;
  h.send(m, connectionId);
  h.settle();
  return posts(h, from);
};

describe("strict INITIATE_CONTACT (spec/host/server/connect.ts)", () => {
  it("HOST-CONNECT-4: the reply goes to the requested VP from 3.0 on, to VP 0 below", () => {
    for (const [version, vp] of [
      [Version.WIN8, 0],
      [Version.WIN8_1, 1],
      [Version.WIN10, 1],
    ] as const) {
      const h = strict();
      const p = connect(h, contact(version, { targetVcpu: 1 }));
      expect(p).toHaveLength(1);
      expect({ version, vp: p[0]!.vp, type: p[0]!.message.type }).toEqual({ version, vp, type: "VersionResponse" });
      expect(h.state.targetVp).toBe(vp);
      // UNLOAD is answered on the VP recorded at contact
      const q = connect(h, { type: "Unload" });
      expect(q.map((x) => [x.message.type, x.vp])).toEqual([["UnloadResponse", vp]]);
      expect(h.state.connected).toBe(false);
    }
  });

  it("HOST-CONNECT-8: a VP that does not exist fails from 3.0 (versionSupported 1, FAILED_UNKNOWN_FAILURE, on VP 0); below 3.0 it is ignored", () => {
    const h = strict();
    const p = connect(h, contact(Version.WIN8_1, { targetVcpu: 5 }));
    expect(h.rejections()).toEqual(["HOST-CONNECT-8"]);
    expect(p).toEqual([{ message: { type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: ConnectionState.FAILED_UNKNOWN_FAILURE, msgConnId: 0 }, vp: 0, sint: 2 }]);
    expect(h.state.connected).toBe(false);
    const old = strict();
    const q = connect(old, contact(Version.WIN8, { targetVcpu: 5 }));
    expect(old.rejections()).toEqual([]);
    expect(q.map((x) => [x.message.type, x.vp, (x.message as { versionSupported: number }).versionSupported])).toEqual([["VersionResponse", 0, 1]]);
    expect(old.state.connected).toBe(true);
  });

  it("HOST-CONNECT-6: exactly one monitor page fails; below 2.4 the failure says versionSupported 0, from 2.4 FAILED_UNKNOWN_FAILURE", () => {
    for (const [version, reply] of [
      [Version.WIN7, { versionSupported: 0, connectionState: 0 }],
      [Version.WIN8, { versionSupported: 1, connectionState: ConnectionState.FAILED_UNKNOWN_FAILURE }],
    ] as const) {
      for (const pages of [{ monitorPage1: "0" }, { monitorPage2: "0" }]) {
        const h = strict();
        const p = connect(h, contact(version, pages));
        expect(h.rejections()).toEqual(["HOST-CONNECT-6"]);
        expect(p.map((x) => x.message)).toEqual([{ type: "VersionResponse", form: "v1", msgConnId: 0, ...reply }]);
        expect(h.state.connected).toBe(false);
      }
      // both pages zero (no monitor pages) is accepted
      const both = strict();
      connect(both, contact(version, { monitorPage1: "0", monitorPage2: "0" }));
      expect(both.rejections()).toEqual([]);
      expect(both.state.connected).toBe(true);
    }
  });

  it("HOST-CONNECT-7: msg_sint other than 2 is refused on the multiclient port (4) only, and answered on that SINT", () => {
    const h = strict();
    const p = connect(h, contact(Version.WIN10_V5, { msgSint: 3 }), 4);
    expect(h.rejections()).toEqual(["HOST-CONNECT-7"]);
    expect(p).toEqual([{ message: { type: "VersionResponse", form: "v1", versionSupported: 0, connectionState: 0, msgConnId: 0 }, vp: 0, sint: 3 }]);
    const on1 = strict();
    connect(on1, contact(Version.WIN10_V5, { msgSint: 3 }), 1);
    expect(on1.rejections()).toEqual([]);
    expect(on1.state.connected).toBe(true);
  });

  it("HOST-CONNECT-7: msg_vtl other than 0 is refused from 5.1, ignored at 5.0", () => {
    const h = strict();
    const p = connect(h, contact(Version.WIN10_V5_1, { msgVtl: 1 }));
    expect(h.rejections()).toEqual(["HOST-CONNECT-7"]);
    expect(p.map((x) => [x.message, x.sint])).toEqual([[{ type: "VersionResponse", form: "v1", versionSupported: 0, connectionState: 0, msgConnId: 0 }, 2]]);
    const v5 = strict();
    connect(v5, contact(Version.WIN10_V5, { msgVtl: 1 }));
    expect(v5.rejections()).toEqual([]);
    expect(v5.state.connected).toBe(true);
  });

  it("HOST-CONNECT-3: a version the strict host does not list is refused with versionSupported 0", () => {
    const h = strict();
    const p = connect(h, contact(0x00040002));
    expect(h.rejections()).toEqual(["HOST-CONNECT-3"]);
    expect(p.map((x) => x.message)).toEqual([{ type: "VersionResponse", form: "v1", versionSupported: 0, connectionState: 0, msgConnId: 0 }]);
  });

  it("HOST-CONNECT-4/-5: the connection id from 5.0 (offset 12 holds the version below), the 20-byte form with features at 6.0", () => {
    const at = (version: number, extra = {}) => {
      const h = strict();
      return { h, p: connect(h, contact(version, extra)).map((x) => x.message) };
    };
    expect(at(Version.WIN10_V4_1).p).toEqual([{ type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: 0, msgConnId: Version.WIN10_V4_1 }]);
    const v5 = at(Version.WIN10_V5);
    expect(v5.p).toEqual([{ type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: 0, msgConnId: 1 }]);
    expect(v5.h.state.msgConnId).toBe(1);
    expect(at(Version.WIN10_V4_1).h.state.msgConnId).toBe(0);
    // features: supported ∧ requested (strict supports 0x2f), at 6.0 only
    const v6 = at(Version.WIN10_V6_0, { featureFlags: 0xff });
    expect(v6.p).toEqual([{ type: "VersionResponse", form: "copper", versionSupported: 1, connectionState: 0, msgConnId: 1, supportedFeatures: 0x2f }]);
    expect(v6.h.state.features).toBe(0x2f);
    expect(at(Version.WIN10_V6_0, { featureFlags: 0x10 }).h.state.features).toBe(0);
    expect(at(Version.WIN10_V5_3).h.state.features).toBe(0);
  });

  it("the interrupt page is kept below 2.4 only; the SINT route is set and the offers are to be requested again", () => {
    const old = strict();
    connect(old, contact(Version.WIN7));
    expect(old.state.interruptPage).toBe("12288");
    expect(old.state.sintRoute).toBe(true);
    for (const v of [Version.WIN8, Version.WIN10]) {
      const h = strict();
      connect(h, contact(v));
      expect(h.state.interruptPage).toBe("0");
    }
    const h = strict();
    connect(h, contact(Version.WIN10_V5));
    expect(h.state.interruptPage).toBe("0");
  });

  it("HOST-CONNECT-1: INITIATE_CONTACT while connected resets the bus first (open channels closed, offers to be requested again)", () => {
    const h = strict();
    connect(h, contact(Version.WIN10));
    h.send({ type: "RequestOffers" });
    h.settle();
    openWithRings(h, [[1, 7]]);
    expect(h.state.channels.find((c) => c.relid === 1)?.isOpen).toBe(true);
    expect(h.state.allOffersSent).toBe(true);
    connect(h, contact(Version.WIN10));
    expect(h.state.connected).toBe(true);
    expect(h.state.channels.some((c) => c.isOpen)).toBe(false);
    expect(h.state.offersRequested).toBe(false);
    expect(h.state.allOffersSent).toBe(false);
    expect(h.state.gpadls).toEqual([]);
  });
});
