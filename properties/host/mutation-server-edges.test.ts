/**
 * The strict host's remaining edges (spec/host/server/*): the decoder-error mapping, when a run is
 * possible, the state a GPADL keeps, the profile switches a HostConfig may override
 * (teardownIncompleteGpadl, secondRequestOffers), and the steps of the offer handshake.
 */
import { describe, expect, it } from "vitest";
import { hostRunnable } from "../../spec/host/host.js";
import { wireRule } from "../../spec/host/server/dispatch.js";
import { encodeMessage } from "../../spec/wire/codec.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import { splitGpadl } from "../../spec/wire/gpadl.js";
import type { Message } from "../../spec/wire/messages.js";
import { Version } from "../../spec/wire/versions.js";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { Harness, config, connected, createGpadl, gpadlMessages, initiate, openMsg, rawPost, answer, modifyProcessed } from "./helpers.js";


describe("strict dispatch edges", () => {
  it("HOST-MSG-1/-3/-4/-5: every decoder error kind has its rule", () => {
    const rule = (kind: Parameters<typeof wireRule>[0]["kind"]) => wireRule({ kind, message: "x" } as Parameters<typeof wireRule>[0]);
    expect(["tooShort", "typeNotInVersion", "unknownType", "wrongDirection", "tooLong", "countMismatch", "badField"].map((k) => rule(k as never))).toEqual([
      "HOST-MSG-1",
      "HOST-MSG-4",
      "HOST-MSG-3",
      "HOST-MSG-3",
      "HOST-MSG-5",
      "HOST-MSG-5",
      "HOST-MSG-5",
    ]);
  });

  it("HOST-RUN-1: a run with nothing queued does nothing; the host is runnable exactly when something waits to be posted or processed and nothing is in flight", () => {
    const h = connected("strict", Version.WIN10);
    expect(hostRunnable(h.cfg, h.state)).toBe(false);
    const before = h.state;
    expect(h.step({ kind: "run" })).toEqual([]);
    expect(h.state).toEqual(before);
    h.send({ type: "RequestOffers" });
    expect(hostRunnable(h.cfg, h.state)).toBe(true); // incoming only
    h.step({ kind: "run" }); // processed: ALLOFFERS_DELIVERED queued (HOST-OFFER-5)
    expect(h.state.rxQueue).toHaveLength(0);
    expect(hostRunnable(h.cfg, h.state)).toBe(true); // outgoing only
    h.step({ kind: "run" });
    expect(h.state.inFlight).not.toBeNull();
    expect(hostRunnable(h.cfg, h.state)).toBe(false); // in flight
  });

  it("HOST-GPADL-9: a GPADL_HEADER of exactly its fixed size that announces a range gets a failed GPADL_CREATED", () => {
    const h = connected("strict", Version.WIN10);
    const bytes = encodeMessage({ type: "GpadlHeader", childRelid: 1, gpadl: 7, rangeBufferLength: 0, rangeCount: 0, ranges: [] });
    bytes[18] = 1; // rangecount 1, no range data
    h.step(rawPost(bytesToHex(bytes), bytes.length));
    expect(h.settle()).toEqual([{ type: "GpadlCreated", childRelid: 1, gpadl: 7, creationStatus: 0x8000ffff }]);
    expect(h.rejections()).toEqual(["HOST-GPADL-9"]);
  });
});

describe("strict GPADL state", () => {
  it("a GPADL records its range data as QEMU's gfns array does (byte_offset << 32 | byte_count, then the PFNs), and no bodies once created", () => {
    const h = connected("strict", Version.WIN10);
    const pfns = Array.from({ length: 30 }, (_, i) => String(0x1000 + i));
    const r = splitGpadl(1, 7, [{ byteCount: 30 * 4096 - 16, byteOffset: 16, pfns }]);
    if (!r.ok) throw new Error(r.error.message);
    h.send(r.value.header);
    const body = r.value.bodies[0]!;
    h.send({ ...body, pfns: [...body.pfns, "1", "2"] }); // PFNs past the announced data are dropped
    h.settle();
    const g = h.state.gpadls.find((x) => x.id === 7)!;
    expect(g.data).toEqual([String((16n << 32n) + BigInt(30 * 4096 - 16)), ...pfns]);
    expect(g.expected).toBe(31);
    expect(g.bodies).toEqual([]);
    expect(g.state).toBe("alive");
  });

  it("HOST-GPADL-9: a failed GPADL is forgotten, the others stay", () => {
    const h = connected("strict", Version.WIN10);
    createGpadl(h, 1, 7, 4);
    expect(answer(h, { type: "GpadlHeader", childRelid: 1, gpadl: 8, rangeBufferLength: 16, rangeCount: 1, ranges: [{ byteCount: 0, byteOffset: 0, pfns: ["4096"] }] }).rejected).toEqual(["HOST-GPADL-9"]);
    expect(answer(h, { type: "GpadlHeader", childRelid: 1, gpadl: 9, rangeBufferLength: 0, rangeCount: 0, ranges: [] }).rejected).toEqual(["HOST-GPADL-9"]);
    expect(h.state.gpadls.map((g) => g.id)).toEqual([7]);
  });

  it("HOST-GPADL-10: a GPADL for a channel not yet offered, or rescinded, fails", () => {
    const h = new Harness(config("strict"));
    h.send(initiate(Version.WIN10));
    h.settle();
    expect(answer(h, gpadlMessages(1, 7, 4)[0]!).rejected).toEqual(["HOST-GPADL-10"]);
    h.send({ type: "RequestOffers" });
    h.settle();
    h.step({ kind: "rescindChannel", relid: 1 });
    h.settle();
    expect(answer(h, gpadlMessages(1, 7, 4)[0]!).rejected).toEqual(["HOST-GPADL-10"]);
    expect(answer(h, gpadlMessages(2, 8, 4)[0]!).rejected).toEqual([]);
  });

  it("HOST-GPADL-8: with teardownIncompleteGpadl 'reject' (a HostConfig override; OpenVMM's choice) an incomplete GPADL's teardown is refused and it stays", () => {
    const h = connected("strict", Version.WIN10, { parameters: { teardownIncompleteGpadl: "reject" } });
    const [header] = gpadlMessages(1, 9, 40);
    h.send(header!);
    h.settle();
    expect(answer(h, { type: "GpadlTeardown", childRelid: 1, gpadl: 9 })).toEqual({ posted: [], rejected: ["HOST-GPADL-8"] });
    expect(h.state.gpadls.find((g) => g.id === 9)?.state).toBe("init");
    // a complete one is torn down as usual
    createGpadl(h, 1, 7, 4);
    expect(answer(h, { type: "GpadlTeardown", childRelid: 1, gpadl: 7 })).toEqual({ posted: [{ type: "GpadlTorndown", gpadl: 7 }], rejected: [] });
  });

  it("HOST-GPADL-11: after its teardown a GPADL is gone, so a late body is HOST-GPADL-5", () => {
    const h = connected("strict", Version.WIN10);
    const ms = gpadlMessages(1, 9, 40);
    h.send(ms[0]!);
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 9 });
    h.settle();
    expect(answer(h, ms[1]!)).toEqual({ posted: [], rejected: ["HOST-GPADL-5"] });
  });
});

describe("strict channel edges", () => {
  it("HOST-OPEN-1: an OPENCHANNEL for a channel not offered yet (before REQUESTOFFERS) is not answered", () => {
    const h = new Harness(config("strict"));
    h.send(initiate(Version.WIN10));
    h.settle();
    expect(answer(h, openMsg(1, 7, 2))).toEqual({ posted: [], rejected: ["HOST-OPEN-1"] });
  });

  it("HOST-MODIFY-2: MODIFYCHANNEL for an unknown relid at 5.3 is answered UNSUCCESSFUL", () => {
    const h = connected("strict", Version.WIN10_V5_3);
    expect(answer(h, { type: "ModifyChannel", childRelid: 99, targetVp: 0 })).toEqual({ posted: [{ type: "ModifyChannelResponse", childRelid: 99, status: 0x8000ffff }], rejected: ["HOST-MODIFY-2"] });
  });
});

describe("strict offer handshake, step by step", () => {
  it("REQUESTOFFERS: offersRequested set and allOffersSent cleared when processed; allOffersSent set when ALLOFFERS_DELIVERED is posted", () => {
    const h = new Harness(config("strict"));
    h.send(initiate(Version.WIN10));
    h.settle();
    h.send({ type: "RequestOffers" });
    h.step({ kind: "run" });
    expect([h.state.offersRequested, h.state.allOffersSent]).toEqual([true, false]);
    h.settle();
    expect(h.state.allOffersSent).toBe(true);
    // the second one clears it again until its ALLOFFERS_DELIVERED is posted
    h.send({ type: "RequestOffers" });
    h.step({ kind: "run" });
    expect(h.state.allOffersSent).toBe(false);
  });

  it("HOST-OFFER-5: with secondRequestOffers 'drop' (a HostConfig override; OpenVMM's choice) a second REQUESTOFFERS is not answered", () => {
    const h = connected("strict", Version.WIN10, { parameters: { secondRequestOffers: "drop" } });
    expect(answer(h, { type: "RequestOffers" })).toEqual({ posted: [], rejected: ["HOST-OFFER-5"] });
    expect(h.state.allOffersSent).toBe(true);
  });

  it("HOST-OFFER-7: a device added while connected but before REQUESTOFFERS is offered with the others, not at once", () => {
    const dev = { ...DEFAULT_DEVICES[0]!, name: "late", interfaceInstance: "5a0b7a8e-0000-4000-8000-0000000000ab", subChannels: 0 };
    const h = new Harness(config("strict"));
    h.send(initiate(Version.WIN10));
    h.settle();
    h.step({ kind: "deviceAdded", device: dev });
    expect(h.settle()).toEqual([]);
    h.send({ type: "RequestOffers" });
    expect(h.settle().filter((m) => m.type === "OfferChannel").map((m) => (m as { interfaceInstance: string }).interfaceInstance)).toContain(dev.interfaceInstance);
  });

  it("HOST-RESCIND-1: a rescind clears the channel's pending MODIFYCHANNEL; removing a never-offered channel keeps the others", () => {
    const h = modifyProcessed();
    expect(h.state.channels.find((c) => c.relid === 1)?.modifyPending).toBe(true);
    h.step({ kind: "rescindChannel", relid: 1 });
    expect(h.state.channels.find((c) => c.relid === 1)?.modifyPending).toBe(false);
    const quiet = new Harness(config("strict"));
    const all = quiet.state.channels.map((c) => c.relid);
    quiet.step({ kind: "rescindChannel", relid: all[0]! });
    expect(quiet.state.channels.map((c) => c.relid)).toEqual(all.slice(1));
  });

  it("HOST-CONNECT-7 applies to the msg_sint form only: an interrupt-page INITIATE_CONTACT (below 5.0) on connection 4 is accepted", () => {
    const h = new Harness(config("strict"));
    h.send(initiate(Version.WIN10), 4);
    h.settle();
    expect(h.rejections()).toEqual([]);
    expect(h.state.connected).toBe(true);
  });

  it("HOST-CONNECT-5: feature flags requested below 6.0 are not negotiated", () => {
    const h = new Harness(config("strict"));
    h.send({ ...initiate(Version.WIN10_V5_3), featureFlags: 0x2f } as Message, 4);
    h.settle();
    expect(h.state.connected).toBe(true);
    expect(h.state.features).toBe(0);
  });
});
