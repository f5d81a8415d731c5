/**
 * QEMU's GPADL, OPENCHANNEL and CLOSECHANNEL handlers condition by condition (QEMU
 * hw/hyperv/vmbus.c handle_gpadl_header, handle_gpadl_body, handle_gpadl_teardown,
 * handle_open_channel / open_channel, handle_close_channel, vmbus_initiate_contact): each test
 * breaks when its rule's condition is negated, weakened or moved (docs/testing.md).
 */
import { describe, expect, it } from "vitest";
import type { Message } from "../../spec/wire/messages.js";
import { hostView } from "../../spec/host/host.js";
import { Harness, config, connected, createGpadl, gpadlMessages, initiate, openMsg, post, openWithRings } from "./helpers.js";

const header = (id: number, ranges: { byteCount: number; byteOffset: number; pfns: string[] }[], rangeBufferLength?: number, relid = 1): Message => ({
  type: "GpadlHeader",
  childRelid: relid,
  gpadl: id,
  rangeBufferLength: rangeBufferLength ?? ranges.reduce((n, r) => n + 8 + 8 * r.pfns.length, 0),
  rangeCount: ranges.length,
  ranges,
});
const pfns = (n: number, base = 0x1000): string[] => Array.from({ length: n }, (_, i) => String(base + i));
const gpadlsOf = (h: Harness) => h.state.gpadls.map((g) => ({ id: g.id, data: g.data, expected: g.expected }));

describe("GPADL_HEADER (QEMU handle_gpadl_header)", () => {
  it("HOST-GPADL-1: one page-aligned range is accepted; two ranges, a byte_offset or a byte_count that is not the page count are refused", () => {
    const h = connected("qemu");
    h.send(header(1, [{ byteCount: 3 * 4096, byteOffset: 0, pfns: pfns(3) }]));
    expect(h.settle().map((m) => m.type)).toEqual(["GpadlCreated"]);
    expect(h.rejections()).toEqual([]);
    const bad = [
      header(2, [{ byteCount: 4096, byteOffset: 0, pfns: pfns(1) }, { byteCount: 4096, byteOffset: 0, pfns: pfns(1, 0x2000) }]),
      header(3, [{ byteCount: 3 * 4096, byteOffset: 16, pfns: pfns(3) }]),
      header(4, [{ byteCount: 3 * 4096 - 1, byteOffset: 0, pfns: pfns(3) }]),
      header(5, [{ byteCount: 4 * 4096, byteOffset: 0, pfns: pfns(3) }]),
    ];
    for (const m of bad) h.send(m);
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-GPADL-1", "HOST-GPADL-1", "HOST-GPADL-1", "HOST-GPADL-1"]);
    expect(hostView(h.state).gpadls.map((g) => g.id)).toEqual([1]);
  });

  it("HOST-GPADL-2: a second GPADL_HEADER with a listed id is refused and the first GPADL is kept", () => {
    const h = connected("qemu");
    createGpadl(h, 1, 9, 2);
    h.send(header(9, [{ byteCount: 2 * 4096, byteOffset: 0, pfns: pfns(2, 0x5000) }]));
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-GPADL-2"]);
    expect(gpadlsOf(h)).toEqual([{ id: 9, data: pfns(2), expected: 2 }]);
  });

  it("HOST-GPADL-3: the PFNs the header carries are recorded in order; the GPADL completes only when all are there", () => {
    const h = connected("qemu");
    h.send(header(1, [{ byteCount: 4 * 4096, byteOffset: 0, pfns: ["7", "9", "11", "13"] }]));
    h.settle();
    expect(gpadlsOf(h)).toEqual([{ id: 1, data: ["7", "9", "11", "13"], expected: 4 }]);
  });
});

describe("GPADL_BODY (QEMU handle_gpadl_body)", () => {
  it("HOST-GPADL-5: bodies append their PFNs in order; after the first of two bodies the GPADL is still incomplete", () => {
    const h = connected("qemu");
    // 60 pages: the header carries 26 PFNs, the first body 28, the second 6.
    const [hdr, body1, body2, ...rest] = gpadlMessages(1, 4, 60);
    expect(rest).toEqual([]);
    h.send(hdr!);
    expect(h.settle()).toEqual([]);
    expect(h.state.gpadls[0]!.data).toHaveLength(26);
    h.send(body1!);
    expect(h.settle()).toEqual([]);
    expect(hostView(h.state).gpadls).toEqual([{ id: 4, childRelid: 1, complete: false, state: "init" }]);
    expect(h.state.gpadls[0]!.data).toEqual(pfns(54));
    h.send(body2!);
    expect(h.settle().map((m) => m.type)).toEqual(["GpadlCreated"]);
    expect(gpadlsOf(h)).toEqual([{ id: 4, data: pfns(60), expected: 60 }]);
  });

  it("HOST-GPADL-5: a body with more PFNs than the GPADL still needs takes only what is missing", () => {
    const h = connected("qemu");
    const [hdr] = gpadlMessages(1, 4, 28); // header: 26 PFNs, 2 missing
    h.send(hdr!);
    h.send({ type: "GpadlBody", msgNumber: 0, gpadl: 4, pfns: ["100", "101", "102", "103"] });
    expect(h.settle().map((m) => m.type)).toEqual(["GpadlCreated"]);
    expect(h.state.gpadls[0]!.data).toEqual([...pfns(26), "100", "101"]);
  });

  it("HOST-GPADL-5: a body for an unknown GPADL is refused; HOST-QEMU-DEFECT-1: one for a complete GPADL aborts QEMU", () => {
    const h = connected("qemu");
    h.send({ type: "GpadlBody", msgNumber: 0, gpadl: 77, pfns: ["1"] });
    h.settle();
    expect(h.rejections()).toEqual(["HOST-GPADL-5"]);
    createGpadl(h, 1, 5, 2);
    h.send({ type: "GpadlBody", msgNumber: 0, gpadl: 5, pfns: ["1"] });
    h.settle();
    expect(h.defects()).toEqual(["HOST-QEMU-DEFECT-1"]);
  });
});

describe("messages too short or before INITIATE_CONTACT (HOST-MSG-1, HOST-MSG-2)", () => {
  const cases: [string, Message, number][] = [
    ["GPADL_BODY", { type: "GpadlBody", msgNumber: 0, gpadl: 1, pfns: [] }, 16],
    ["GPADL_TEARDOWN", { type: "GpadlTeardown", childRelid: 1, gpadl: 1 }, 16],
    ["CLOSECHANNEL", { type: "CloseChannel", childRelid: 1 }, 12],
    ["GPADL_HEADER", header(1, [{ byteCount: 4096, byteOffset: 0, pfns: pfns(1) }]), 28],
    ["OPENCHANNEL", openMsg(1, 1, 1), 148],
  ];
  for (const [name, m, size] of cases) {
    it(`HOST-MSG-1: a ${name} of ${size - 1} bytes is dropped; ${size} bytes is handled`, () => {
      const h = connected("qemu");
      h.step(post(m, 1, size - 1));
      h.settle();
      expect(h.rejections()).toEqual(["HOST-MSG-1"]);
      h.step(post(m, 1, size));
      h.settle();
      expect(h.rejections().slice(1)).not.toContain("HOST-MSG-1");
      expect(h.traces().length).toBeGreaterThan(0);
    });
    it(`HOST-MSG-2: a ${name} before INITIATE_CONTACT is dropped`, () => {
      const h = new Harness(config("qemu"));
      h.send(m);
      expect(h.settle()).toEqual([]);
      expect(h.rejections()).toEqual(["HOST-MSG-2"]);
    });
  }
});

describe("GPADL_TEARDOWN (QEMU handle_gpadl_teardown)", () => {
  it("HOST-GPADL-12: tearing down an unknown GPADL, or one already torn down, is refused; the first teardown is answered", () => {
    const h = connected("qemu");
    createGpadl(h, 1, 3, 2);
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 3 });
    expect(h.settle().map((m) => m.type)).toEqual(["GpadlTorndown"]);
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 42 });
    h.settle();
    expect(h.rejections()).toEqual(["HOST-GPADL-12"]);
    if (h.state.gpadls.some((g) => g.id === 3)) {
      // still listed (referenced): a second teardown of the torn-down GPADL is refused too
      h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 3 });
      expect(h.settle()).toEqual([]);
      expect(h.rejections()).toEqual(["HOST-GPADL-12", "HOST-GPADL-12"]);
    }
  });
});

describe("INITIATE_CONTACT's interrupt page (QEMU vmbus_initiate_contact)", () => {
  it("HOST-CONNECT-1: the interrupt page is kept below 2.4 (Win8) and ignored from 2.4 on", () => {
    const below = new Harness(config("qemu"));
    below.send(initiate(0x10001));
    below.settle();
    expect(below.state.interruptPage).toBe("12288");
    const at = new Harness(config("qemu"));
    at.send(initiate(0x20004));
    at.settle();
    expect(at.state.interruptPage).toBe("0");
  });
});

describe("OPENCHANNEL (QEMU handle_open_channel, open_channel)", () => {
  it("HOST-QEMU-DEFECT-6: a downstream offset of 0xFFFFFFFF passes the u32-wrapped split check and QEMU reads past the PFN array", () => {
    const h = connected("qemu");
    createGpadl(h, 1, 7, 4);
    h.send(openMsg(1, 7, 0xffffffff));
    h.settle();
    expect(h.defects()).toEqual(["HOST-QEMU-DEFECT-6"]);
    expect(hostView(h.state).openChannels).toEqual([]);
  });

  it("HOST-OPEN-3: a split leaving either ring under 2 pages is refused; 2 + 2 opens", () => {
    for (const [pages, offset, ok] of [[4, 1, false], [4, 3, false], [4, 2, true], [5, 4, false], [5, 3, true]] as const) {
      const h = connected("qemu");
      createGpadl(h, 1, 7, pages);
      h.send(openMsg(1, 7, offset));
      h.settle();
      expect({ pages, offset, open: hostView(h.state).openChannels.length === 1 }).toEqual({ pages, offset, open: ok });
      expect(h.rejections()).toEqual(ok ? [] : ["HOST-OPEN-3"]);
    }
  });

  it("HOST-QEMU-DEFECT-4: OPENCHANNEL to a VP that does not exist crashes QEMU; to the other VP it opens", () => {
    const h = connected("qemu");
    createGpadl(h, 1, 7, 4);
    h.send(openMsg(1, 7, 2, 2));
    h.settle();
    expect(h.defects()).toEqual(["HOST-QEMU-DEFECT-4"]);
    const ok = connected("qemu");
    createGpadl(ok, 1, 7, 4);
    ok.send(openMsg(1, 7, 2, 1));
    ok.settle();
    expect(ok.defects()).toEqual([]);
    expect(hostView(ok.state).openChannels).toEqual([{ relid: 1, gpadl: 7 }]);
  });

  it("HOST-OPEN-1: a channel can be opened again after CLOSECHANNEL; OPENCHANNEL on an open channel is refused", () => {
    const h = connected("qemu");
    createGpadl(h, 1, 7, 4);
    h.send(openMsg(1, 7, 2));
    expect(h.settle().map((m) => m.type)).toEqual(["OpenChannelResult"]);
    h.send(openMsg(1, 7, 2));
    h.settle();
    expect(h.rejections()).toEqual(["HOST-OPEN-1"]);
    h.send({ type: "CloseChannel", childRelid: 1 });
    h.settle();
    expect(hostView(h.state).openChannels).toEqual([]);
    h.send(openMsg(1, 7, 2));
    expect(h.settle().map((m) => m.type)).toEqual(["OpenChannelResult"]);
    expect(hostView(h.state).openChannels).toEqual([{ relid: 1, gpadl: 7 }]);
  });
});

describe("CLOSECHANNEL (QEMU handle_close_channel, vdev_reset_on_close)", () => {
  it("HOST-CLOSE-2: the device is reset only when no channel of it is open (netvsc: relids 1 and 2)", () => {
    const h = connected("qemu");
    openWithRings(h, [[1, 7], [2, 8]]);
    const resets = () => h.log.filter((o) => o.kind === "deviceNotify" && o.reason === "reset").map((o) => o.kind === "deviceNotify" && o.relid);
    expect(hostView(h.state).openChannels.map((c) => c.relid)).toEqual([1, 2]);
    const atConnect = resets().length; // INITIATE_CONTACT reset every device
    h.send({ type: "CloseChannel", childRelid: 2 });
    h.settle();
    expect(resets().slice(atConnect)).toEqual([]);
    h.send({ type: "CloseChannel", childRelid: 1 });
    h.settle();
    expect(resets().slice(atConnect)).toEqual([1]);
    // Closing a channel that is not open resets its device too when none of it is open (QEMU quirk Q11).
    h.send({ type: "CloseChannel", childRelid: 3 });
    h.settle();
    expect(resets().slice(atConnect)).toEqual([1, 3]);
  });

  it("HOST-CLOSE-1: CLOSECHANNEL for an unknown relid is refused", () => {
    const h = connected("qemu");
    h.send({ type: "CloseChannel", childRelid: 99 });
    h.settle();
    expect(h.rejections()).toEqual(["HOST-CLOSE-1"]);
  });
});
