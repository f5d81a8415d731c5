/**
 * How the strict host decodes and dispatches one incoming message, and its GPADLs
 * (spec/host/server/dispatch.ts, gpadl.ts): HOST-MSG-1..-4, HOST-UNLOAD-2, HOST-TL-1,
 * HOST-RESERVED-1, HOST-MODCONN-1 and HOST-GPADL-2/-5/-7/-9/-10/-11/-12, each where it starts.
 */
import { describe, expect, it } from "vitest";
import { ConnectionState, NtStatus } from "../../spec/wire/constants.js";
import { encodeMessage } from "../../spec/wire/codec.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import type { Message } from "../../spec/wire/messages.js";
import { splitGpadl } from "../../spec/wire/gpadl.js";
import { Version } from "../../spec/wire/versions.js";
import { Harness, config, connected, createGpadl, gpadlMessages, initiate, openMsg, rawPost, answer } from "./helpers.js";

const FAIL = NtStatus.UNSUCCESSFUL;
const EP = "11111111-2222-3333-4444-555555555555";
const SVC = "66666666-7777-8888-9999-aaaaaaaaaaaa";

const rawAnswer = (h: Harness, hex: string, size = hex.length / 2) => {
  const before = h.rejections().length;
  h.step(rawPost(hex, size));
  return { posted: h.settle(), rejected: h.rejections().slice(before) };
};
const created = (childRelid: number, gpadl: number, creationStatus = 0) => [{ type: "GpadlCreated", childRelid, gpadl, creationStatus }];

describe("strict dispatch (spec/host/server/dispatch.ts)", () => {
  it("HOST-MSG-2 / HOST-UNLOAD-2: before contact only INITIATE_CONTACT and CLOSE_RESERVED_CHANNEL are processed", () => {
    const h = new Harness(config("strict"));
    expect(answer(h, { type: "RequestOffers" })).toEqual({ posted: [], rejected: ["HOST-MSG-2"] });
    expect(answer(h, { type: "Unload" })).toEqual({ posted: [], rejected: ["HOST-UNLOAD-2"] });
    const vp = new Harness(config("strict"));
    expect(answer(vp, { type: "CloseReservedChannel", channelId: 3, targetVp: 1, targetSint: 5 })).toEqual({ posted: [{ type: "CloseReservedResponse", channelId: 3 }], rejected: [] });
    expect(vp.log.filter((o) => o.kind === "postMessage").map((o) => (o.kind === "postMessage" ? [o.targetVp, o.sint] : []))).toEqual([[1, 5]]);
  });

  it("HOST-MSG-1: a message shorter than its type's layout; HOST-MSG-3: an unknown type or one that travels host to guest", () => {
    const h = connected("strict", Version.WIN10);
    // OPENCHANNEL (5) cut to 12 bytes
    expect(rawAnswer(h, bytesToHex(encodeMessage(openMsg(1, 7, 2))).slice(0, 24))).toEqual({ posted: [], rejected: ["HOST-MSG-1"] });
    expect(rawAnswer(h, "63000000" + "00".repeat(12))).toEqual({ posted: [], rejected: ["HOST-MSG-3"] });
    expect(answer(h, { type: "AllOffersDelivered" })).toEqual({ posted: [], rejected: ["HOST-MSG-3"] });
    expect(answer(h, { type: "UnloadResponse" })).toEqual({ posted: [], rejected: ["HOST-MSG-3"] });
  });

  it("HOST-MSG-4: a type newer than the negotiated version (MODIFYCHANNEL at 4.0); CLOSE_RESERVED_CHANNEL needs 4.0 once connected", () => {
    const h = connected("strict", Version.WIN10);
    expect(answer(h, { type: "ModifyChannel", childRelid: 1, targetVp: 0 })).toEqual({ posted: [], rejected: ["HOST-MSG-4"] });
    const old = connected("strict", Version.WIN8_1);
    expect(answer(old, { type: "CloseReservedChannel", channelId: 3, targetVp: 0, targetSint: 2 })).toEqual({ posted: [], rejected: ["HOST-MSG-4"] });
    expect(answer(h, { type: "CloseReservedChannel", channelId: 3, targetVp: 0, targetSint: 2 }).posted).toEqual([{ type: "CloseReservedResponse", channelId: 3 }]);
  });

  it("HOST-RESERVED-1: no reserved channels (OPEN refused, not answered); CLOSE naming a VP that does not exist is refused", () => {
    const h = connected("strict", Version.WIN10);
    expect(answer(h, { type: "OpenReservedChannel", channelId: 3, targetVp: 0, targetSint: 2, ringBufferGpadl: 7, downstreamPageOffset: 2 })).toEqual({ posted: [], rejected: ["HOST-RESERVED-1"] });
    expect(answer(h, { type: "CloseReservedChannel", channelId: 3, targetVp: 5, targetSint: 2 })).toEqual({ posted: [], rejected: ["HOST-RESERVED-1"] });
  });

  it("HOST-TL-1: no hv_sock services: refused without an answer at 4.0, with TL_CONNECT_RESULT CONNECTION_REFUSED from 4.1", () => {
    const req: Message = { type: "TlConnectRequest", form: "v1", guestEndpointId: EP, hostServiceId: SVC };
    expect(answer(connected("strict", Version.WIN10), req)).toEqual({ posted: [], rejected: ["HOST-TL-1"] });
    expect(answer(connected("strict", Version.WIN10_V4_1), req)).toEqual({
      posted: [{ type: "TlConnectResult", endpointId: EP, serviceId: SVC, status: NtStatus.CONNECTION_REFUSED }],
      rejected: ["HOST-TL-1"],
    });
  });

  it("HOST-MODCONN-1: MODIFY_CONNECTION records the new monitor pages and is answered SUCCESSFUL", () => {
    const h = new Harness(config("strict"));
    h.send({ ...initiate(Version.WIN10_V6_0), featureFlags: 0x04 } as Message, 4);
    h.settle();
    expect(answer(h, { type: "ModifyConnection", parentToChildMonitorPageGpa: "20480", childToParentMonitorPageGpa: "24576" }).posted).toEqual([
      { type: "ModifyConnectionResponse", connectionState: ConnectionState.SUCCESSFUL },
    ]);
    expect([h.state.monitorPage1, h.state.monitorPage2]).toEqual(["20480", "24576"]);
  });

  it("HOST-GPADL-9: a GPADL_HEADER whose range data does not add up gets a failed GPADL_CREATED naming its relid and id", () => {
    const h = connected("strict", Version.WIN10);
    const m = encodeMessage({ type: "GpadlHeader", childRelid: 1, gpadl: 7, rangeBufferLength: 16, rangeCount: 1, ranges: [{ byteCount: 4096, byteOffset: 0, pfns: ["4096"] }] });
    // claim 3 ranges: the decoder finds the count wrong
    const bytes = Uint8Array.from(m);
    bytes[18] = 3;
    expect(rawAnswer(h, bytesToHex(bytes))).toEqual({ posted: created(1, 7, FAIL), rejected: ["HOST-GPADL-9"] });
  });
});

describe("strict GPADLs (spec/host/server/gpadl.ts)", () => {
  it("HOST-GPADL-10: a GPADL for a channel that is not offered fails; HOST-GPADL-2: an id in use fails and keeps the first", () => {
    const h = connected("strict", Version.WIN10);
    expect(answer(h, gpadlMessages(99, 7, 4)[0]!)).toEqual({ posted: created(99, 7, FAIL), rejected: ["HOST-GPADL-10"] });
    expect(createGpadl(h, 1, 7, 4)).toEqual(created(1, 7));
    expect(answer(h, gpadlMessages(1, 7, 4)[0]!)).toEqual({ posted: created(1, 7, FAIL), rejected: ["HOST-GPADL-2"] });
    expect(h.state.gpadls.filter((g) => g.id === 7)).toHaveLength(1);
    expect(h.state.gpadls.find((g) => g.id === 7)?.state).toBe("alive");
  });

  it("HOST-GPADL-9: a range with byte_count 0 or a header with no range fails, and the GPADL is forgotten", () => {
    const h = connected("strict", Version.WIN10);
    expect(answer(h, { type: "GpadlHeader", childRelid: 1, gpadl: 7, rangeBufferLength: 16, rangeCount: 1, ranges: [{ byteCount: 0, byteOffset: 0, pfns: ["4096"] }] })).toEqual({
      posted: created(1, 7, FAIL),
      rejected: ["HOST-GPADL-9"],
    });
    expect(answer(h, { type: "GpadlHeader", childRelid: 1, gpadl: 8, rangeBufferLength: 0, rangeCount: 0, ranges: [] })).toEqual({ posted: created(1, 8, FAIL), rejected: ["HOST-GPADL-9"] });
    expect(h.state.gpadls).toEqual([]);
  });

  it("GPADL_BODY: the GPADL is created when its last body arrives, not before; HOST-GPADL-5 for an unknown GPADL, HOST-GPADL-11 for a complete one", () => {
    const h = connected("strict", Version.WIN10);
    const ms = gpadlMessages(1, 7, 100); // header + bodies
    expect(ms.length).toBeGreaterThan(2);
    for (const m of ms.slice(0, -1)) expect(answer(h, m)).toEqual({ posted: [], rejected: [] });
    expect(h.state.gpadls.find((g) => g.id === 7)?.state).toBe("init");
    expect(answer(h, ms.at(-1)!)).toEqual({ posted: created(1, 7), rejected: [] });
    const g = h.state.gpadls.find((x) => x.id === 7)!;
    expect(g.ranges?.[0]?.pfns).toHaveLength(100);
    expect(g.ranges?.[0]?.pfns[99]).toBe(String(0x1000 + 99));
    expect(answer(h, ms.at(-1)!)).toEqual({ posted: [], rejected: ["HOST-GPADL-11"] });
    expect(answer(h, { ...(ms.at(-1) as Extract<Message, { type: "GpadlBody" }>), gpadl: 99 })).toEqual({ posted: [], rejected: ["HOST-GPADL-5"] });
  });

  it("GPADL_BODY: PFNs past the announced range data are ignored", () => {
    const h = connected("strict", Version.WIN10);
    const r = splitGpadl(1, 7, [{ byteCount: 30 * 4096, byteOffset: 0, pfns: Array.from({ length: 30 }, (_, i) => String(0x1000 + i)) }]);
    if (!r.ok) throw new Error(r.error.message);
    h.send(r.value.header);
    const body = r.value.bodies[0]!;
    expect(answer(h, { ...body, pfns: [...body.pfns, "1", "2"] })).toEqual({ posted: created(1, 7), rejected: [] });
    expect(h.state.gpadls.find((g) => g.id === 7)?.ranges?.[0]?.pfns).toHaveLength(30);
  });

  it("HOST-GPADL-12: tearing down an unknown GPADL, one of another channel, or one already torn down or being torn down is refused", () => {
    const h = connected("strict", Version.WIN10);
    expect(answer(h, { type: "GpadlTeardown", childRelid: 1, gpadl: 7 }).rejected).toEqual(["HOST-GPADL-12"]);
    createGpadl(h, 1, 7, 4);
    expect(answer(h, { type: "GpadlTeardown", childRelid: 2, gpadl: 7 }).rejected).toEqual(["HOST-GPADL-12"]);
    expect(answer(h, { type: "GpadlTeardown", childRelid: 1, gpadl: 7 })).toEqual({ posted: [{ type: "GpadlTorndown", gpadl: 7 }], rejected: [] });
    expect(answer(h, { type: "GpadlTeardown", childRelid: 1, gpadl: 7 }).rejected).toEqual(["HOST-GPADL-12"]);
    // being torn down (deferred behind an open channel)
    createGpadl(h, 1, 8, 4);
    h.send(openMsg(1, 8, 2));
    h.settle();
    expect(answer(h, { type: "GpadlTeardown", childRelid: 1, gpadl: 8 })).toEqual({ posted: [], rejected: [] });
    expect(answer(h, { type: "GpadlTeardown", childRelid: 1, gpadl: 8 }).rejected).toEqual(["HOST-GPADL-12"]);
  });

  it("HOST-GPADL-7: the teardown of an open channel's ring is answered when the channel closes; an incomplete GPADL is torn down at once (strict allows it)", () => {
    const h = connected("strict", Version.WIN10);
    createGpadl(h, 1, 7, 4);
    h.send(openMsg(1, 7, 2));
    h.settle();
    expect(answer(h, { type: "GpadlTeardown", childRelid: 1, gpadl: 7 }).posted).toEqual([]);
    expect(h.state.gpadls.find((g) => g.id === 7)?.state).toBe("tearingdown");
    expect(answer(h, { type: "CloseChannel", childRelid: 1 }).posted).toEqual([{ type: "GpadlTorndown", gpadl: 7 }]);
    const [header] = gpadlMessages(1, 9, 40);
    h.send(header!);
    h.settle();
    expect(answer(h, { type: "GpadlTeardown", childRelid: 1, gpadl: 9 })).toEqual({ posted: [{ type: "GpadlTorndown", gpadl: 9 }], rejected: [] });
  });
});
