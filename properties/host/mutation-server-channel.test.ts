/**
 * OPENCHANNEL, CLOSECHANNEL and MODIFYCHANNEL of the strict host (spec/host/server/channel.ts),
 * each refusal at the edge where it starts: HOST-OPEN-1/-2/-3/-4/-6/-7, HOST-CLOSE-3 and
 * HOST-MODIFY-1/-2 (answered from 5.3 only).
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { splitGpadl } from "../../spec/wire/gpadl.js";
import type { GpaRange, Message } from "../../spec/wire/messages.js";
import { Version } from "../../spec/wire/versions.js";
import { connected, createGpadl, gpadlMessages, openMsg, type Harness, answer } from "./helpers.js";

const FAIL = 0x8000ffff;
const NO_VP = 0xffffffff;

const openFailed = (relid: number, openId = relid) => [{ type: "OpenChannelResult", childRelid: relid, openId, status: FAIL }];

const gpadlWith = (h: Harness, relid: number, id: number, ranges: GpaRange[]) => {
  const r = splitGpadl(relid, id, ranges);
  if (!r.ok) throw new Error(r.error.message);
  for (const m of [r.value.header, ...r.value.bodies]) h.send(m);
  return h.settle();
};
const pfns = (n: number) => Array.from({ length: n }, (_, i) => String(0x1000 + i));

describe("strict OPENCHANNEL (spec/host/server/channel.ts)", () => {
  it("opens on a complete 4-page ring split 2 + 2: OpenChannelResult 0, the device is told, the channel records ring, offset, VP and open id", () => {
    const h = connected("strict", Version.WIN10);
    createGpadl(h, 1, 7, 4);
    const from = h.log.length;
    expect(answer(h, openMsg(1, 7, 2, 1, 99))).toEqual({ posted: [{ type: "OpenChannelResult", childRelid: 1, openId: 99, status: 0 }], rejected: [] });
    expect(h.log.slice(from).filter((o) => o.kind === "deviceNotify")).toEqual([{ kind: "deviceNotify", relid: 1, reason: "opened" }]);
    expect(h.state.channels.find((c) => c.relid === 1)).toMatchObject({ isOpen: true, state: "open", openId: 99, ringGpadl: 7, sendOffset: 2, targetVp: 1 });
    expect(h.state.gpadls.find((g) => g.id === 7)?.refcount).toBeGreaterThan(0);
  });

  it("HOST-OPEN-1: an unknown relid, or a channel already open, is not answered", () => {
    const h = connected("strict", Version.WIN10);
    expect(answer(h, openMsg(99, 7, 2))).toEqual({ posted: [], rejected: ["HOST-OPEN-1"] });
    createGpadl(h, 1, 7, 4);
    answer(h, openMsg(1, 7, 2));
    expect(answer(h, openMsg(1, 7, 2))).toEqual({ posted: [], rejected: ["HOST-OPEN-1"] });
  });

  it("HOST-OPEN-1: a rescinded channel is not answered", () => {
    const h = connected("strict", Version.WIN10);
    createGpadl(h, 1, 7, 4);
    h.step({ kind: "rescindChannel", relid: 1 });
    h.settle();
    expect(answer(h, openMsg(1, 7, 2)).rejected).toEqual(["HOST-OPEN-1"]);
  });

  it("HOST-OPEN-2: a ring GPADL that does not exist, is still incomplete, or is being torn down fails the open", () => {
    const h = connected("strict", Version.WIN10);
    expect(answer(h, openMsg(1, 7, 2))).toEqual({ posted: openFailed(1), rejected: ["HOST-OPEN-2"] });
    // 40 pages: the header carries 26 PFNs, a body the rest; send the header only
    const [header] = gpadlMessages(1, 8, 40);
    h.send(header!);
    h.settle();
    expect(answer(h, openMsg(1, 8, 2))).toEqual({ posted: openFailed(1), rejected: ["HOST-OPEN-2"] });
    // torn down while open on another channel: not alive any more
    createGpadl(h, 1, 9, 4);
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 9 });
    h.settle();
    expect(answer(h, openMsg(1, 9, 2))).toEqual({ posted: openFailed(1), rejected: ["HOST-OPEN-2"] });
  });

  it("HOST-OPEN-7: a ring GPADL of another channel, or not one page-aligned range, fails the open", () => {
    const h = connected("strict", Version.WIN10);
    createGpadl(h, 2, 7, 4);
    expect(answer(h, openMsg(1, 7, 2))).toEqual({ posted: openFailed(1), rejected: ["HOST-OPEN-7"] });
    gpadlWith(h, 1, 10, [
      { byteCount: 2 * 4096, byteOffset: 0, pfns: pfns(2) },
      { byteCount: 2 * 4096, byteOffset: 0, pfns: pfns(2) },
    ]);
    expect(answer(h, openMsg(1, 10, 2)).rejected).toEqual(["HOST-OPEN-7"]);
    gpadlWith(h, 1, 11, [{ byteCount: 4 * 4096 - 16, byteOffset: 16, pfns: pfns(4) }]);
    expect(answer(h, openMsg(1, 11, 2)).rejected).toEqual(["HOST-OPEN-7"]);
    // whole pages spanned, but not whole pages long
    gpadlWith(h, 1, 12, [{ byteCount: 4 * 4096 - 100, byteOffset: 0, pfns: pfns(4) }]);
    expect(answer(h, openMsg(1, 12, 2)).rejected).toEqual(["HOST-OPEN-7"]);
    // the same channel, one aligned range: opens
    gpadlWith(h, 1, 13, [{ byteCount: 4 * 4096, byteOffset: 0, pfns: pfns(4) }]);
    expect(answer(h, openMsg(1, 13, 2)).rejected).toEqual([]);
  });

  it("HOST-OPEN-3: each ring of the split keeps at least 2 pages (4 pages: only offset 2; 5 pages: 2 and 3)", () => {
    for (const [pages, offset, ok] of [
      [4, 1, false],
      [4, 2, true],
      [4, 3, false],
      [5, 3, true],
      [5, 4, false],
      [4, 0, false],
    ] as const) {
      const h = connected("strict", Version.WIN10);
      createGpadl(h, 1, 7, pages);
      const r = answer(h, openMsg(1, 7, offset));
      expect({ pages, offset, rejected: r.rejected, status: (r.posted[0] as { status: number }).status }).toEqual({ pages, offset, rejected: ok ? [] : ["HOST-OPEN-3"], status: ok ? 0 : FAIL });
    }
  });

  it("HOST-OPEN-6: a target VP that does not exist fails from 2.4; below 2.4 the VP is ignored (0); 0xFFFFFFFF is allowed", () => {
    const h = connected("strict", Version.WIN10);
    createGpadl(h, 1, 7, 4);
    expect(answer(h, openMsg(1, 7, 2, 5))).toEqual({ posted: openFailed(1), rejected: ["HOST-OPEN-6"] });
    expect(answer(h, openMsg(1, 7, 2, NO_VP)).rejected).toEqual([]);
    expect(h.state.channels.find((c) => c.relid === 1)?.targetVp).toBe(NO_VP);
    const old = connected("strict", Version.WIN7);
    createGpadl(old, 1, 7, 4);
    expect(answer(old, openMsg(1, 7, 2, 5)).rejected).toEqual([]);
    expect(old.state.channels.find((c) => c.relid === 1)?.targetVp).toBe(0);
    const at24 = connected("strict", Version.WIN8);
    createGpadl(at24, 1, 7, 4);
    expect(answer(at24, openMsg(1, 7, 2, 5)).rejected).toEqual(["HOST-OPEN-6"]);
  });

  it("HOST-OPEN-4: a device whose open callback fails fails the open, and the channel stays closed", () => {
    const h = connected("strict", Version.WIN10, { devices: [{ ...DEFAULT_DEVICES[0]!, subChannels: 0, openResult: "fail" }] });
    createGpadl(h, 1, 7, 4);
    const from = h.log.length;
    expect(answer(h, openMsg(1, 7, 2))).toEqual({ posted: openFailed(1), rejected: ["HOST-OPEN-4"] });
    expect(h.log.slice(from).some((o) => o.kind === "deviceNotify")).toBe(false);
    expect(h.state.channels.find((c) => c.relid === 1)?.isOpen).toBe(false);
  });
});

describe("strict CLOSECHANNEL and MODIFYCHANNEL", () => {
  it("HOST-CLOSE-3: closing an unknown or closed channel is refused; closing an open one frees it for a new open", () => {
    const h = connected("strict", Version.WIN10);
    expect(answer(h, { type: "CloseChannel", childRelid: 99 }).rejected).toEqual(["HOST-CLOSE-3"]);
    expect(answer(h, { type: "CloseChannel", childRelid: 1 }).rejected).toEqual(["HOST-CLOSE-3"]);
    createGpadl(h, 1, 7, 4);
    answer(h, openMsg(1, 7, 2));
    expect(answer(h, { type: "CloseChannel", childRelid: 1 }).rejected).toEqual([]);
    expect(h.state.channels.find((c) => c.relid === 1)).toMatchObject({ isOpen: false, state: "init" });
    expect(answer(h, openMsg(1, 7, 2)).posted).toEqual([{ type: "OpenChannelResult", childRelid: 1, openId: 1, status: 0 }]);
  });

  for (const [version, rule, answered] of [
    [Version.WIN10_V5_2, "HOST-MODIFY-1", false],
    [Version.WIN10_V5_3, "HOST-MODIFY-2", true],
  ] as const) {
    it(`${rule}: MODIFYCHANNEL for a closed channel, VP 0xFFFFFFFF or a VP that does not exist is refused (${answered ? "answered STATUS_UNSUCCESSFUL 0x8000FFFF" : "not answered"} at ${version.toString(16)})`, () => {
      const h = connected("strict", version);
      const refused = answered ? [{ type: "ModifyChannelResponse", childRelid: 1, status: FAIL }] : [];
      expect(answer(h, { type: "ModifyChannel", childRelid: 1, targetVp: 1 })).toEqual({ posted: refused, rejected: [rule] });
      createGpadl(h, 1, 7, 4);
      answer(h, openMsg(1, 7, 2));
      expect(answer(h, { type: "ModifyChannel", childRelid: 1, targetVp: NO_VP })).toEqual({ posted: refused, rejected: [rule] });
      expect(answer(h, { type: "ModifyChannel", childRelid: 1, targetVp: 2 })).toEqual({ posted: refused, rejected: [rule] });
      expect(h.state.channels.find((c) => c.relid === 1)?.targetVp).toBe(0);
      expect(answer(h, { type: "ModifyChannel", childRelid: 1, targetVp: 1 })).toEqual({ posted: answered ? [{ type: "ModifyChannelResponse", childRelid: 1, status: 0 }] : [], rejected: [] });
      expect(h.state.channels.find((c) => c.relid === 1)?.targetVp).toBe(1);
    });
  }
});
