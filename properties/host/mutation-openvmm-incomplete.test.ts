/**
 * The openvmm host's bookkeeping of GPADLs in progress and of GPADLs it drops: a GPADL_BODY finds
 * its own GPADL among several in progress, a failed GPADL takes nothing else with it, a revoked
 * channel's teardown frees one GPADL, a release forgets exactly the released channel's GPADLs in
 * progress, and a reserved channel's survive a reconnect (OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs
 * handle_gpadl_header/handle_gpadl_body :2762-3000, handle_gpadl_teardown, client_release_channel
 * :3238, request_disconnect :2577 at microsoft/openvmm 1488a37b).
 */
import { describe, expect, it } from "vitest";
import type { Message } from "../../spec/wire/messages.js";
import { type Harness, createGpadl, initiate } from "./helpers.js";
import { FAIL, connect } from "./openvmm-harness.js";

/** GPADL_HEADER of one range of `byteCount` bytes whose PFNs (range_buflen 16: one) come in a body. */
const pending = (relid: number, gpadl: number, byteCount = 4096): Message => ({
  type: "GpadlHeader", childRelid: relid, gpadl, rangeBufferLength: 16, rangeCount: 1, ranges: [{ byteCount, byteOffset: 0, pfns: [] }],
});
const bodyOf = (gpadl: number, pfn = "16"): Message => ({ type: "GpadlBody", msgNumber: 0, gpadl, pfns: [pfn] });
const created = (relid: number, gpadl: number, status = 0): Message => ({ type: "GpadlCreated", childRelid: relid, gpadl, creationStatus: status });
const answer = (h: Harness, ...ms: Message[]): { posted: Message[]; rejected: string[] } => {
  h.log.length = 0;
  for (const m of ms) h.send(m);
  return { posted: h.settle(), rejected: h.rejections() };
};
const gpadlIds = (h: Harness): (readonly [number, number, string])[] => h.state.gpadls.map((g) => [g.childRelid, g.id, g.state] as const);

describe("openvmm GPADLs in progress and dropped GPADLs (HOST-OPENVMM-GPADL-1/-2/-5/-6, HOST-GPADL-5)", () => {
  it("HOST-GPADL-5: a GPADL_BODY completes the GPADL of its own id, whichever channel's GPADL was started first", () => {
    const h = connect();
    answer(h, pending(1, 2), pending(2, 3));
    // GPADL 3 (channel 2) was started after GPADL 2 (channel 1): its body is still its own.
    expect(answer(h, bodyOf(3))).toEqual({ posted: [created(2, 3)], rejected: [] });
    expect(answer(h, bodyOf(2))).toEqual({ posted: [created(1, 2)], rejected: [] });
  });

  it("HOST-OPENVMM-GPADL-2: a GPADL failed by its body is dropped alone: other GPADLs, in progress or accepted, stay", () => {
    const h = connect();
    createGpadl(h, 1, 1, 1);
    answer(h, pending(1, 2, 0), pending(1, 4)); // GPADL 2: byte_count 0 (EmptyByteCount once full)
    expect(answer(h, bodyOf(2))).toEqual({ posted: [created(1, 2, FAIL)], rejected: ["HOST-OPENVMM-GPADL-2"] });
    expect(gpadlIds(h)).toEqual([[1, 1, "alive"], [1, 4, "init"]]);
    expect(answer(h, bodyOf(4))).toEqual({ posted: [created(1, 4)], rejected: [] });
    expect(answer(h, { type: "GpadlTeardown", childRelid: 1, gpadl: 1 })).toEqual({ posted: [{ type: "GpadlTorndown", gpadl: 1 }], rejected: [] });
    expect(gpadlIds(h)).toEqual([[1, 4, "alive"]]);
  });

  it("HOST-OPENVMM-GPADL-5: on a revoked channel each GPADL_TEARDOWN frees its own GPADL at once", () => {
    const h = connect();
    createGpadl(h, 1, 1, 1);
    createGpadl(h, 1, 2, 1);
    createGpadl(h, 2, 3, 1);
    h.step({ kind: "rescindChannel", relid: 1 });
    h.settle();
    expect(answer(h, { type: "GpadlTeardown", childRelid: 1, gpadl: 1 })).toEqual({ posted: [{ type: "GpadlTorndown", gpadl: 1 }], rejected: [] });
    expect(gpadlIds(h)).toEqual([[1, 2, "alive"], [2, 3, "alive"]]);
    expect(answer(h, { type: "GpadlTeardown", childRelid: 1, gpadl: 2 })).toEqual({ posted: [{ type: "GpadlTorndown", gpadl: 2 }], rejected: [] });
    expect(gpadlIds(h)).toEqual([[2, 3, "alive"]]);
  });

  it("HOST-OPENVMM-RELID-1, HOST-OPENVMM-GPADL-6: RELID_RELEASED forgets the channel's GPADL in progress: its id may start again on another channel", () => {
    const h = connect();
    answer(h, pending(1, 5));
    expect(answer(h, { type: "RelIdReleased", childRelid: 1 })).toEqual({ posted: [], rejected: [] });
    // Not DuplicateGpadlId (HOST-OPENVMM-GPADL-1): GPADL 5 is no longer in progress.
    expect(answer(h, pending(2, 5), bodyOf(5))).toEqual({ posted: [created(2, 5)], rejected: [] });
  });

  it("HOST-OPENVMM-RESERVED-3, HOST-OPENVMM-GPADL-6: a reserved channel keeps its GPADL in progress over a reconnect; the body completes it", () => {
    const h = connect();
    createGpadl(h, 1, 9, 4);
    answer(h, pending(1, 5), { type: "OpenReservedChannel", channelId: 1, targetVp: 0, targetSint: 2, ringBufferGpadl: 9, downstreamPageOffset: 2 });
    answer(h, initiate(0x40000), { type: "RequestOffers" });
    expect(gpadlIds(h)).toEqual([[1, 9, "alive"], [1, 5, "init"]]);
    expect(answer(h, bodyOf(5))).toEqual({ posted: [created(1, 5)], rejected: [] });
  });
});
