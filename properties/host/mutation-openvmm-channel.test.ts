/**
 * The openvmm host's channel messages as OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs
 * handles them at microsoft/openvmm 1488a37b (:3003-3545: open_channel, handle_open_channel,
 * handle_close_channel, the reserved-channel pair, handle_rel_id_released, handle_modify_channel),
 * with the device answering within the step: each outcome by its reply, its rule ID and the
 * channel's state afterwards.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import type { HostOutput } from "../../spec/host/interface.js";
import { HvStatus } from "../../spec/wire/constants.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import type { Message } from "../../spec/wire/messages.js";
import { Harness, config, gpadlMessages, initiate, openMsg, rawPost } from "./helpers.js";
import { FAIL, connect, u16, u32, u64 } from "./openvmm-harness.js";

/** A complete GPADL_HEADER carrying `values` (range headers and PFNs). */
const gpadlRaw = (relid: number, gpadl: number, count: number, values: readonly bigint[]) => {
  const hex = u32(8) + u32(0) + u32(relid) + u32(gpadl) + u16(values.length * 8) + u16(count) + values.map(u64).join("");
  return rawPost(hex, hex.length / 2);
};
const ring = (h: Harness, relid: number, gpadl: number, pages: number): void => {
  for (const m of gpadlMessages(relid, gpadl, pages)) h.send(m);
  h.settle();
};
const result = (relid: number, openId: number, status: number): Message => ({ type: "OpenChannelResult", childRelid: relid, openId, status });
const chan = (h: Harness, relid: number) => h.state.channels.find((c) => c.relid === relid);
const notes = (h: Harness): string[] => h.log.flatMap((o: HostOutput) => (o.kind === "deviceNotify" ? [`${o.relid} ${o.reason}`] : []));

describe("openvmm OPENCHANNEL: the device's open (HOST-OPEN-4, HOST-OPENVMM-OPEN-1)", () => {
  /** [what, ring pages (0 = none), ring GPADL id used, downstream offset, target VP, opens] on channel 1 with GPADL 9. */
  const cases: readonly (readonly [string, number, number, number, number, boolean])[] = [
    ["4 pages split at 1", 4, 9, 1, 0, true],
    ["4 pages split at 3", 4, 9, 3, 1, true],
    ["split at 0: no send ring", 4, 9, 0, 0, false],
    ["split at 4: no receive ring", 4, 9, 4, 0, false],
    ["no such GPADL", 4, 77, 2, 0, false],
    ["target VP 2 of 2 VPs", 4, 9, 2, 2, false],
    ["target VP 0xFFFFFFFF: interrupts disabled", 4, 9, 2, 0xffffffff, true],
  ];
  it("HOST-OPEN-4: the ring must be an Accepted GPADL of this channel split into two non-empty rings, the VP must exist", () => {
    for (const [what, pages, gpadl, offset, vp, opens] of cases) {
      const h = connect();
      ring(h, 1, 9, pages);
      h.send(openMsg(1, gpadl, offset, vp, 0x1234));
      expect([what, h.settle()]).toEqual([what, [result(1, 0x1234, opens ? 0 : FAIL)]]);
      expect([what, h.rejections()]).toEqual([what, opens ? [] : ["HOST-OPEN-4"]]);
      expect([what, notes(h)]).toEqual([what, opens ? ["1 opened"] : []]);
      const ch = chan(h, 1)!;
      expect([what, ch.isOpen, ch.openId, ch.ringGpadl, ch.sendOffset, ch.targetVp]).toEqual(opens ? [what, true, 0x1234, 9, offset, vp] : [what, false, 0, 0, 0, 0xffffffff]);
    }
  });

  it("HOST-OPEN-4: a GPADL of the same id on another channel, or still incomplete, is not a ring", () => {
    const h = connect();
    ring(h, 2, 9, 4);
    h.send(openMsg(1, 9, 2, 0, 5));
    expect(h.settle()).toEqual([result(1, 5, FAIL)]);
    h.step(gpadlRaw(1, 10, 1, [])); // range_buflen 0 … rangecount 1: fails validation, not a ring either
    h.step(rawPost(u32(8) + u32(0) + u32(1) + u32(11) + u16(24) + u16(1) + u64(4n * 4096n), 28)); // 1 of 3 values
    h.send(openMsg(1, 11, 2, 0, 6));
    expect(h.settle()).toEqual([{ type: "GpadlCreated", childRelid: 1, gpadl: 10, creationStatus: FAIL }, result(1, 6, FAIL)]);
    expect(h.rejections()).toEqual(["HOST-OPEN-4", "HOST-OPENVMM-GPADL-2", "HOST-OPEN-4"]);
  });

  it("HOST-OPEN-4: the ring must be one range of whole pages at offset 0", () => {
    const shapes: readonly (readonly [string, number, readonly bigint[], boolean])[] = [
      ["one range, 2 pages", 1, [8192n, 1n, 2n], true],
      ["two ranges", 2, [4096n, 1n, 4096n, 2n], false],
      ["byte_offset 1", 1, [(1n << 32n) | 8192n, 1n, 2n, 3n], false],
      ["byte_count 8191", 1, [8191n, 1n, 2n], false],
      ["byte_count 12287: not whole pages, though the split would fit", 1, [12287n, 1n, 2n, 3n], false],
    ];
    for (const [what, count, values, opens] of shapes) {
      const h = connect();
      h.step(gpadlRaw(1, 9, count, values));
      h.send(openMsg(1, 9, 1, 0, 3));
      expect([what, h.settle()]).toEqual([what, [{ type: "GpadlCreated", childRelid: 1, gpadl: 9, creationStatus: 0 }, result(1, 3, opens ? 0 : FAIL)]]);
    }
  });

  it("HOST-OPEN-4: a GPADL of no range, or of two ranges, is not a ring even when rings may be empty (minRingPages 0)", () => {
    for (const [what, count, values] of [["rangecount 0", 0, []], ["two one-page ranges", 2, [4096n, 1n, 4096n, 2n]]] as const) {
      const h = connect(0x40000, { parameters: { minRingPages: 0 } });
      h.step(gpadlRaw(1, 9, count, values));
      h.send(openMsg(1, 9, 0, 0, 3));
      expect([what, h.settle()]).toEqual([what, [{ type: "GpadlCreated", childRelid: 1, gpadl: 9, creationStatus: 0 }, result(1, 3, FAIL)]]);
    }
    const ok = connect(0x40000, { parameters: { minRingPages: 0 } });
    ok.step(gpadlRaw(1, 9, 1, [4096n, 1n]));
    ok.send(openMsg(1, 9, 0, 0, 3));
    expect(ok.settle()).toEqual([{ type: "GpadlCreated", childRelid: 1, gpadl: 9, creationStatus: 0 }, result(1, 3, 0)]);
  });

  it("HOST-OPEN-4: a device that fails its open; the channel stays Closed and can be opened again", () => {
    const h = connect(0x40000, { devices: [{ ...DEFAULT_DEVICES[0]!, openResult: "fail" }, DEFAULT_DEVICES[1]!] });
    const relidOf = (name: string): number => {
      const d = h.state.devices.findIndex((x) => x.name === name);
      return h.state.channels.find((c) => c.device === d)!.relid;
    };
    const bad = relidOf(DEFAULT_DEVICES[0]!.name);
    const good = relidOf(DEFAULT_DEVICES[1]!.name);
    ring(h, bad, 9, 4);
    ring(h, good, 9, 4);
    h.send(openMsg(bad, 9, 2, 0, 1));
    h.send(openMsg(good, 9, 2, 0, 2));
    h.send(openMsg(bad, 9, 2, 0, 3));
    expect(h.settle()).toEqual([result(bad, 1, FAIL), result(good, 2, 0), result(bad, 3, FAIL)]);
    expect(h.rejections()).toEqual(["HOST-OPEN-4", "HOST-OPEN-4"]);
  });

  it("HOST-OPENVMM-OPEN-1: an unknown channel id (0 included, even when a released offer has id 0) is dropped", () => {
    const h = connect();
    ring(h, 1, 9, 4);
    h.send({ type: "RelIdReleased", childRelid: 2 });
    h.send(openMsg(0, 9, 2));
    h.send(openMsg(7, 9, 2));
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-OPENVMM-OPEN-1", "HOST-OPENVMM-OPEN-1"]);
    for (const m of gpadlMessages(0, 5, 2)) h.send(m);
    expect(h.settle()).toEqual([{ type: "GpadlCreated", childRelid: 0, gpadl: 5, creationStatus: FAIL }]);
  });

  it("HOST-OPENVMM-OPEN-1: without guest_specified_signal_parameters the event port is the offer's 0x2000 | channel id", () => {
    const h = connect(0x60000);
    ring(h, 1, 9, 4);
    h.send(openMsg(1, 9, 2));
    h.settle();
    const st = (id: number) => (h.step({ kind: "signalEvent", connectionId: id, flagNumber: 0 }).find((o) => o.kind === "hypercallStatus") as { status: number }).status;
    expect([st(0x2001), st(0x2002), st(0)]).toEqual([HvStatus.SUCCESS, HvStatus.INVALID_CONNECTION_ID, HvStatus.INVALID_CONNECTION_ID]);
  });
});

describe("openvmm CLOSECHANNEL (HOST-OPENVMM-CLOSE-1)", () => {
  it("HOST-OPENVMM-CLOSE-1: an open channel closes without a reply and can be opened again; a closed one is ChannelNotOpen", () => {
    const h = connect();
    ring(h, 1, 9, 4);
    h.send(openMsg(1, 9, 2));
    h.send({ type: "CloseChannel", childRelid: 1 });
    expect(h.settle()).toEqual([result(1, 1, 0)]);
    expect(chan(h, 1)).toMatchObject({ isOpen: false, openId: 0, ringGpadl: 0, targetVp: 0xffffffff });
    expect(notes(h)).toEqual(["1 opened", "1 closed"]);
    h.send({ type: "CloseChannel", childRelid: 1 });
    h.send({ type: "CloseChannel", childRelid: 0 });
    h.send(openMsg(1, 9, 2, 0, 8));
    expect(h.settle()).toEqual([result(1, 8, 0)]);
    expect(h.rejections()).toEqual(["HOST-OPENVMM-CLOSE-1", "HOST-OPENVMM-CLOSE-1"]);
  });

  it("HOST-OPENVMM-CLOSE-1: a reserved channel is ChannelReserved and stays open; a revoked one is ignored", () => {
    const h = connect();
    ring(h, 1, 9, 4);
    h.send({ type: "OpenReservedChannel", channelId: 1, targetVp: 0, targetSint: 2, ringBufferGpadl: 9, downstreamPageOffset: 2 });
    h.send({ type: "CloseChannel", childRelid: 1 });
    h.settle();
    expect(chan(h, 1)?.isOpen).toBe(true);
    h.step({ kind: "rescindChannel", relid: 2 });
    h.send({ type: "CloseChannel", childRelid: 2 });
    h.settle();
    expect(h.rejections()).toEqual(["HOST-OPENVMM-CLOSE-1", "HOST-OPENVMM-RESCIND-1", "HOST-OPENVMM-CLOSE-1"]);
    expect(notes(h)).toEqual(["1 opened"]);
  });
});

describe("openvmm OPEN_RESERVED_CHANNEL and CLOSE_RESERVED_CHANNEL (HOST-OPENVMM-RESERVED-1/-2)", () => {
  it("HOST-OPENVMM-RESERVED-1: opened with interrupts disabled and open id 0; a failed open is answered on the reserved target", () => {
    const h = connect();
    ring(h, 1, 9, 4);
    h.send({ type: "OpenReservedChannel", channelId: 1, targetVp: 1, targetSint: 3, ringBufferGpadl: 9, downstreamPageOffset: 2 });
    h.send({ type: "OpenReservedChannel", channelId: 2, targetVp: 1, targetSint: 4, ringBufferGpadl: 9, downstreamPageOffset: 2 });
    const posts = [h.step({ kind: "run" }), h.step({ kind: "run" })].flat().flatMap((o) => (o.kind === "postMessage" ? [{ vp: o.targetVp, sint: o.sint, message: o.message }] : []));
    expect(posts).toEqual([
      { vp: 1, sint: 3, message: result(1, 0, 0) },
      { vp: 1, sint: 4, message: result(2, 0, FAIL) }, // channel 2 has no GPADL 9
    ]);
    h.settle();
    expect(chan(h, 1)).toMatchObject({ isOpen: true, openId: 0, targetVp: 0xffffffff, ringGpadl: 9, sendOffset: 2 });
    expect(chan(h, 2)?.isOpen).toBe(false);
  });

  it("HOST-OPENVMM-RESERVED-1: unknown channel, an open channel (ChannelAlreadyOpen) and a revoked one are not answered", () => {
    const h = connect();
    ring(h, 1, 9, 4);
    h.send(openMsg(1, 9, 2));
    h.settle();
    h.log.length = 0;
    h.step({ kind: "rescindChannel", relid: 2 });
    h.settle();
    for (const channelId of [7, 1, 2]) h.send({ type: "OpenReservedChannel", channelId, targetVp: 0, targetSint: 2, ringBufferGpadl: 9, downstreamPageOffset: 2 });
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-OPENVMM-RESCIND-1", "HOST-OPENVMM-RESERVED-1", "HOST-OPENVMM-RESERVED-1", "HOST-OPENVMM-RESERVED-1"]);
    expect(chan(h, 1)).toMatchObject({ isOpen: true, openId: 1 });
  });

  it("HOST-OPENVMM-RESERVED-2: closing answers on the target it names; an unknown, closed, non-reserved or revoked channel is not answered", () => {
    const h = connect();
    ring(h, 1, 9, 4);
    ring(h, 2, 9, 4);
    h.send({ type: "OpenReservedChannel", channelId: 1, targetVp: 0, targetSint: 2, ringBufferGpadl: 9, downstreamPageOffset: 2 });
    h.send(openMsg(2, 9, 2));
    h.settle();
    h.step({ kind: "rescindChannel", relid: 3 });
    h.settle();
    h.log.length = 0;
    for (const channelId of [7, 2, 3]) h.send({ type: "CloseReservedChannel", channelId, targetVp: 1, targetSint: 5 });
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-OPENVMM-RESERVED-2", "HOST-OPENVMM-RESERVED-2", "HOST-OPENVMM-RESERVED-2"]);
    h.send({ type: "CloseReservedChannel", channelId: 1, targetVp: 1, targetSint: 5 });
    const posts = h.step({ kind: "run" }).flatMap((o) => (o.kind === "postMessage" ? [{ vp: o.targetVp, sint: o.sint, message: o.message }] : []));
    expect(posts).toEqual([{ vp: 1, sint: 5, message: { type: "CloseReservedResponse", channelId: 1 } }]);
    h.settle();
    expect(notes(h)).toEqual(["1 closed"]);
    expect(chan(h, 1)).toMatchObject({ isOpen: false });
    expect(chan(h, 2)).toMatchObject({ isOpen: true });
    h.send({ type: "CloseReservedChannel", channelId: 1, targetVp: 1, targetSint: 5 }); // now Closed
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toHaveLength(4);
  });

  it("HOST-OPENVMM-RESERVED-2, HOST-OPENVMM-RESERVED-3: closed while disconnected, the channel is released at once (channels.rs:2086)", () => {
    const h = connect();
    ring(h, 1, 9, 4);
    h.send({ type: "OpenReservedChannel", channelId: 1, targetVp: 0, targetSint: 2, ringBufferGpadl: 9, downstreamPageOffset: 2 });
    h.send({ type: "Unload" });
    h.settle();
    expect(h.state.channels.map((c) => [c.relid, c.isOpen])).toEqual([[1, true]]);
    expect(h.state.gpadls.map((g) => [g.id, g.childRelid])).toEqual([[9, 1]]);
    h.send({ type: "CloseReservedChannel", channelId: 1, targetVp: 0, targetSint: 2 });
    expect(h.settle()).toEqual([{ type: "CloseReservedResponse", channelId: 1 }]);
    expect(h.state.channels).toEqual([]);
    expect(h.state.gpadls).toEqual([]);
    // Offered again, from id 1, at the next connection.
    h.send(initiate(0x40000));
    h.send({ type: "RequestOffers" });
    expect(h.settle().filter((m) => m.type === "OfferChannel").map((m) => (m as { childRelid: number }).childRelid)).toEqual([1, 2, 3]);
    expect(h.defects()).toEqual([]);
  });
});

describe("openvmm RELID_RELEASED (HOST-OPENVMM-RELID-1)", () => {
  it("HOST-OPENVMM-RELID-1: a revoked channel is removed for good; a closed one is offered again at the next REQUESTOFFERS; an unknown id is refused", () => {
    const h = connect();
    h.step({ kind: "rescindChannel", relid: 1 });
    h.send({ type: "RelIdReleased", childRelid: 1 });
    h.send({ type: "RelIdReleased", childRelid: 2 });
    h.send({ type: "RelIdReleased", childRelid: 9 });
    h.settle();
    expect(h.rejections()).toEqual(["HOST-OPENVMM-RESCIND-1", "HOST-OPENVMM-RELID-1"]);
    expect(h.state.channels.map((c) => c.relid)).toEqual([3]);
    h.send(initiate(0x40000));
    h.send({ type: "RequestOffers" });
    expect(h.settle().flatMap((m) => (m.type === "OfferChannel" ? [m.childRelid] : []))).toEqual([1, 2]);
  });
});

describe("openvmm MODIFYCHANNEL (HOST-OPENVMM-MODIFY-1/-3)", () => {
  const modify = (h: Harness, childRelid: number, targetVp: number): Message[] => {
    h.send({ type: "ModifyChannel", childRelid, targetVp });
    return h.settle();
  };
  const response = (relid: number, status: number): Message => ({ type: "ModifyChannelResponse", childRelid: relid, status });

  it("HOST-OPENVMM-MODIFY-1: each failure is answered 0x8000FFFF from 5.3: VP 0xFFFFFFFF, unknown channel, closed, reserved", () => {
    const h = connect(0x50003);
    ring(h, 1, 9, 4);
    ring(h, 2, 9, 4);
    h.send(openMsg(1, 9, 2));
    h.send({ type: "OpenReservedChannel", channelId: 2, targetVp: 0, targetSint: 2, ringBufferGpadl: 9, downstreamPageOffset: 2 });
    h.settle();
    expect(modify(h, 1, 0xffffffff)).toEqual([response(1, FAIL)]);
    expect(modify(h, 9, 1)).toEqual([response(9, FAIL)]);
    expect(modify(h, 3, 1)).toEqual([response(3, FAIL)]);
    expect(modify(h, 2, 1)).toEqual([response(2, FAIL)]);
    expect(h.rejections()).toEqual(Array(4).fill("HOST-OPENVMM-MODIFY-1"));
    expect(chan(h, 1)?.targetVp).toBe(0);
  });

  it("HOST-OPENVMM-MODIFY-1: a retarget succeeds with status 0 and moves the channel's interrupts; below 5.3 nothing is answered", () => {
    const h = connect(0x50003);
    ring(h, 1, 9, 4);
    h.send(openMsg(1, 9, 2));
    h.settle();
    expect(modify(h, 1, 1)).toEqual([response(1, 0)]);
    expect(chan(h, 1)?.targetVp).toBe(1);
    expect(h.step({ kind: "deviceSignal", relid: 1 })).toContainEqual({ kind: "channelSignal", relid: 1, targetVp: 1 });
    expect(h.rejections()).toEqual([]);
    const old = connect(0x50002);
    ring(old, 1, 9, 4);
    old.send(openMsg(1, 9, 2));
    old.settle();
    expect([modify(old, 1, 1), modify(old, 1, 0xffffffff), modify(old, 1, 7)]).toEqual([[], [], []]);
    expect(old.rejections()).toEqual(["HOST-OPENVMM-MODIFY-1", "HOST-OPENVMM-MODIFY-3"]);
  });
});
