/**
 * The openvmm host's GPADLs as OpenVMM builds them (vm/devices/vmbus/vmbus_server/src/channels.rs
 * Gpadl::append and :2762-3000, vm/devices/vmbus/vmbus_ring/src/gparange.rs validate_gpa_ranges,
 * microsoft/openvmm 1488a37b): the range checks one by one at their bounds, what a header and its
 * bodies record, and which GPADL_TEARDOWN is answered when. GPADL messages are built as raw bytes
 * so that any range_buflen, rangecount and value list can be sent.
 */
import { describe, expect, it } from "vitest";
import { bytesToHex } from "../../spec/wire/hex.js";
import type { Message } from "../../spec/wire/messages.js";
import { Harness, config, gpadlMessages, initiate, openMsg, rawPost } from "./helpers.js";
import { FAIL, connect, u16, u32, u64 } from "./openvmm-harness.js";

/** A range header value: byte_count in the low half, byte_offset in the high half. */
const range = (byteCount: number, byteOffset = 0): bigint => (BigInt(byteOffset) << 32n) | BigInt(byteCount >>> 0);
const post = (hex: string): ReturnType<typeof rawPost> => rawPost(hex, hex.length / 2);
/** GPADL_HEADER with an explicit range_buflen and rangecount, carrying `values` (and `extra` raw bytes). */
const header = (relid: number, gpadl: number, buflen: number, count: number, values: readonly bigint[], extra = ""): ReturnType<typeof rawPost> =>
  post(u32(8) + u32(0) + u32(relid) + u32(gpadl) + u16(buflen) + u16(count) + values.map(u64).join("") + extra);
const body = (gpadl: number, values: readonly bigint[], extra = ""): ReturnType<typeof rawPost> => post(u32(9) + u32(0) + u32(0) + u32(gpadl) + values.map(u64).join("") + extra);
/** A one-shot GPADL of the given ranges (each value list complete): range_buflen = 8 × values. */
const whole = (relid: number, gpadl: number, count: number, values: readonly bigint[]): ReturnType<typeof rawPost> => header(relid, gpadl, values.length * 8, count, values);

const run = (h: Harness, ...inputs: ReturnType<typeof rawPost>[]): Message[] => {
  for (const i of inputs) h.step(i);
  return h.settle();
};
const created = (relid: number, gpadl: number, status = 0): Message => ({ type: "GpadlCreated", childRelid: relid, gpadl, creationStatus: status });
const gpadlsOf = (h: Harness) => h.state.gpadls.map((g) => ({ id: g.id, relid: g.childRelid, state: g.state, data: g.data }));
const reasons = (h: Harness): string[] => h.log.flatMap((o) => (o.kind === "rejected" ? [`${o.rule} ${o.reason}`] : []));
const openRing = (h: Harness, relid: number, gpadl: number): void => {
  for (const m of gpadlMessages(relid, gpadl, 4)) h.send(m);
  h.send(openMsg(relid, gpadl, 2));
  h.settle();
};

describe("openvmm GPADL ranges (gparange.rs validate_gpa_ranges)", () => {
  /** One GPADL per case on channel 1: [values, rangecount, the error name or null when valid]. */
  const cases: readonly (readonly [string, readonly bigint[], number, string | null])[] = [
    ["one page", [range(4096), 0x10n], 1, null],
    ["two ranges", [range(4096), 0x10n, range(8192), 0x20n, 0x21n], 2, null],
    ["two ranges, the second short a PFN", [range(4096), 0x10n, range(8192), 0x20n], 2, "RangeTooSmall"],
    ["rangecount 2, one range given", [range(4096), 0x10n], 2, "EmptyRange"],
    ["byte_count 0", [range(0), 0x10n], 1, "EmptyByteCount"],
    ["byte_offset 0xFFF, 1 byte: one page", [range(1, 0xfff), 0x10n], 1, null],
    ["byte_offset 0xFFF, 2 bytes: two pages, one given", [range(2, 0xfff), 0x10n], 1, "RangeTooSmall"],
    ["byte_offset 0x1000", [range(1, 0x1000), 0x10n], 1, "OffsetTooLarge"],
    ["4096 bytes at offset 1: two pages", [range(4096, 1), 0x10n, 0x11n], 1, null],
    ["byte_count 0xFFFFFFFF", [range(0xffffffff), 0x10n], 1, "Overflow"],
    ["byte_count 0xFFFFF001", [range(0xfffff001), 0x10n], 1, "Overflow"],
    ["byte_count 0xFFFFF000 at offset 1", [range(0xfffff000, 1), 0x10n], 1, "Overflow"],
    ["byte_count 0xFFFFF000 at offset 0: fits u32, too few PFNs", [range(0xfffff000), 0x10n], 1, "RangeTooSmall"],
  ];
  it("HOST-OPENVMM-GPADL-2: each range check at its bound (GPADL_CREATED 0x8000FFFF, InvalidGpaRange)", () => {
    for (const [what, values, count, error] of cases) {
      const h = connect();
      expect([what, run(h, whole(1, 5, count, values))]).toEqual([what, [created(1, 5, error ? FAIL : 0)]]);
      expect([what, reasons(h)]).toEqual([what, error ? [`HOST-OPENVMM-GPADL-2 GPADL 5: InvalidGpaRange(${error})`] : []]);
      expect([what, gpadlsOf(h)]).toEqual([what, error ? [] : [{ id: 5, relid: 1, state: "alive", data: values.map(String) }]]);
    }
  });

  it("HOST-OPENVMM-GPADL-2: values beyond range_buflen and a partial value are not recorded (Gpadl::append)", () => {
    const h = connect();
    // range_buflen 16 with three values and four stray bytes: only two values are the GPADL.
    expect(run(h, header(1, 5, 16, 1, [range(4096), 0x10n, 0x99n], "aabbccdd"))).toEqual([created(1, 5)]);
    expect(gpadlsOf(h)).toEqual([{ id: 5, relid: 1, state: "alive", data: [String(range(4096)), "16"] }]);
  });

  it("HOST-OPENVMM-GPADL-2: a header and its bodies fill the buffer in order; a partial value in a message is dropped", () => {
    const h = connect();
    const r = range(3 * 4096);
    // Header: the range and 4 stray bytes (not half of a value); body 1: one PFN and 7 bytes; body 2: two PFNs and one too many.
    expect(run(h, header(1, 5, 32, 1, [r], "01020304"))).toEqual([]);
    expect(gpadlsOf(h)).toEqual([{ id: 5, relid: 1, state: "init", data: [String(r)] }]);
    expect(run(h, body(5, [0x10n], "01020304050607"))).toEqual([]);
    expect(gpadlsOf(h)).toEqual([{ id: 5, relid: 1, state: "init", data: [String(r), "16"] }]);
    expect(run(h, body(5, [0x11n, 0x12n, 0x13n]))).toEqual([created(1, 5)]);
    expect(gpadlsOf(h)).toEqual([{ id: 5, relid: 1, state: "alive", data: [String(r), "16", "17", "18"] }]);
    expect(reasons(h)).toEqual([]);
  });

  it("HOST-OPENVMM-GPADL-2: a body that completes an invalid GPADL fails it on its channel and forgets it", () => {
    const h = connect();
    expect(run(h, header(2, 5, 24, 1, [range(3 * 4096)]), body(5, [0x10n]))).toEqual([]);
    expect(run(h, body(5, [0x11n]))).toEqual([created(2, 5, FAIL)]);
    expect(gpadlsOf(h)).toEqual([]);
    expect(run(h, body(5, [0x11n]))).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-OPENVMM-GPADL-2", "HOST-GPADL-5"]);
    // The id is free again, for an incomplete GPADL too.
    expect(run(h, header(3, 5, 24, 1, [range(8192)]), body(5, [0x10n, 0x11n]))).toEqual([created(3, 5)]);
    expect(h.rejections()).toEqual(["HOST-OPENVMM-GPADL-2", "HOST-GPADL-5"]);
  });
});

describe("openvmm GPADL_HEADER and GPADL_BODY (channels.rs:2811-2927)", () => {
  it("HOST-GPADL-5: a GPADL_BODY for no incomplete GPADL is dropped, a complete one's id included", () => {
    const h = connect();
    expect(run(h, whole(1, 5, 1, [range(4096), 0x10n]), body(5, [0x10n]), body(6, [0x10n]))).toEqual([created(1, 5)]);
    expect(h.rejections()).toEqual(["HOST-GPADL-5", "HOST-GPADL-5"]);
    expect(gpadlsOf(h)).toEqual([{ id: 5, relid: 1, state: "alive", data: [String(range(4096)), "16"] }]);
  });

  it("HOST-OPENVMM-GPADL-1: a GPADL_BODY goes to the incomplete GPADL of its id on its channel, not to a complete one", () => {
    const h = connect();
    run(h, whole(1, 4, 1, [range(4096), 0x10n]), whole(2, 5, 1, [range(4096), 0x20n]));
    expect(run(h, header(1, 5, 24, 1, [range(8192)]), header(3, 6, 24, 1, [range(8192)]))).toEqual([]);
    expect(run(h, body(5, [0x30n, 0x31n]))).toEqual([created(1, 5)]);
    // Completed, the id may start again as an incomplete GPADL on another channel.
    expect(run(h, header(3, 5, 24, 1, [range(8192)]), body(5, [0x40n, 0x41n]), body(6, [0x50n, 0x51n]))).toEqual([created(3, 5), created(3, 6)]);
    expect(h.rejections()).toEqual([]);
    expect(gpadlsOf(h).map((g) => [g.id, g.relid, g.state, g.data.at(-1)])).toEqual([
      [4, 1, "alive", "16"], [5, 2, "alive", "32"], [5, 1, "alive", "49"], [5, 3, "alive", "65"], [6, 3, "alive", "81"],
    ]);
  });

  it("HOST-OPENVMM-GPADL-1: a second complete GPADL with a key that exists fails; the first is kept", () => {
    const h = connect();
    expect(run(h, whole(1, 5, 1, [range(4096), 0x10n]), whole(1, 5, 1, [range(4096), 0x20n]))).toEqual([created(1, 5), created(1, 5, FAIL)]);
    expect(h.rejections()).toEqual(["HOST-OPENVMM-GPADL-1"]);
    expect(gpadlsOf(h)).toEqual([{ id: 5, relid: 1, state: "alive", data: [String(range(4096)), "16"] }]);
  });

  it("HOST-OPENVMM-GPADL-1: an incomplete GPADL's id cannot start again on another channel; complete on that channel it can", () => {
    const h = connect();
    expect(run(h, header(1, 5, 24, 1, [range(8192)]), header(2, 5, 24, 1, [range(8192)]))).toEqual([created(2, 5, FAIL)]);
    expect(h.rejections()).toEqual(["HOST-OPENVMM-GPADL-1"]);
    expect(gpadlsOf(h)).toEqual([{ id: 5, relid: 1, state: "init", data: [String(range(8192))] }]);
    // The body goes to the GPADL of channel 1, where the id is incomplete.
    expect(run(h, body(5, [0x10n, 0x11n]))).toEqual([created(1, 5)]);
  });

  it("HOST-OPENVMM-GPADL-4: GPADL_HEADER on a reserved channel fails (ChannelReserved)", () => {
    const h = connect();
    for (const m of gpadlMessages(1, 9, 4)) h.send(m);
    h.send({ type: "OpenReservedChannel", channelId: 1, targetVp: 0, targetSint: 2, ringBufferGpadl: 9, downstreamPageOffset: 2 });
    h.settle();
    h.log.length = 0;
    expect(run(h, whole(1, 5, 1, [range(4096), 0x10n]))).toEqual([created(1, 5, FAIL)]);
    expect(h.rejections()).toEqual(["HOST-OPENVMM-GPADL-4"]);
    // Channel 2 is not reserved.
    expect(run(h, whole(2, 5, 1, [range(4096), 0x10n]))).toEqual([created(2, 5)]);
  });
});

describe("openvmm GPADL_TEARDOWN (channels.rs:2932-3000)", () => {
  it("HOST-OPENVMM-GPADL-5: unknown channel, unknown GPADL on a known channel, and a second teardown are dropped", () => {
    const h = connect();
    openRing(h, 1, 9);
    h.log.length = 0;
    h.send({ type: "GpadlTeardown", childRelid: 7, gpadl: 9 });
    h.send({ type: "GpadlTeardown", childRelid: 2, gpadl: 9 }); // GPADL 9 is channel 1's
    h.settle();
    expect(gpadlsOf(h).map((g) => g.state)).toEqual(["alive"]);
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 9 }); // the open ring: waits
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 9 }); // TearingDown: not Accepted
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-OPENVMM-GPADL-5", "HOST-OPENVMM-GPADL-5", "HOST-OPENVMM-GPADL-5"]);
    expect(gpadlsOf(h).map((g) => g.state)).toEqual(["tearingdown"]);
  });

  it("HOST-OPENVMM-GPADL-5: a GPADL of a closed channel is torn down at once; on a revoked channel too, and is then unknown", () => {
    const h = connect();
    run(h, whole(1, 10, 1, [range(4096), 0x10n]), whole(2, 10, 1, [range(4096), 0x10n]));
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 10 });
    expect(h.settle()).toEqual([{ type: "GpadlTorndown", gpadl: 10 }]);
    h.step({ kind: "rescindChannel", relid: 2 });
    h.settle();
    h.send({ type: "GpadlTeardown", childRelid: 2, gpadl: 10 });
    expect(h.settle()).toEqual([{ type: "GpadlTorndown", gpadl: 10 }]);
    expect(gpadlsOf(h)).toEqual([]);
    h.send({ type: "GpadlTeardown", childRelid: 2, gpadl: 10 });
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-OPENVMM-RESCIND-1", "HOST-OPENVMM-GPADL-5"]);
  });

  it("HOST-OPENVMM-GPADL-5: a GPADL that is not the open channel's ring is torn down at once", () => {
    const h = connect();
    openRing(h, 1, 9);
    run(h, whole(1, 10, 1, [range(4096), 0x10n]));
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 10 });
    expect(h.settle()).toEqual([{ type: "GpadlTorndown", gpadl: 10 }]);
    expect(gpadlsOf(h).map((g) => g.id)).toEqual([9]);
  });

  it("HOST-OPENVMM-GPADL-5: closing one channel releases its ring teardown only; the other open channel's waits", () => {
    const h = connect();
    openRing(h, 1, 9);
    openRing(h, 2, 9); // the same id on channel 2: another key
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 9 });
    h.send({ type: "GpadlTeardown", childRelid: 2, gpadl: 9 });
    expect(h.settle()).toEqual([]);
    h.send({ type: "CloseChannel", childRelid: 2 });
    expect(h.settle()).toEqual([{ type: "GpadlTorndown", gpadl: 9 }]);
    expect(gpadlsOf(h).map((g) => [g.relid, g.state])).toEqual([[1, "tearingdown"]]);
    h.send({ type: "CloseChannel", childRelid: 1 });
    expect(h.settle()).toEqual([{ type: "GpadlTorndown", gpadl: 9 }]);
    expect(gpadlsOf(h)).toEqual([]);
  });

  it("HOST-OPENVMM-GPADL-5: GPADL_TEARDOWN on a reserved channel is ChannelReserved", () => {
    const h = connect();
    for (const m of gpadlMessages(1, 9, 4)) h.send(m);
    run(h, whole(1, 10, 1, [range(4096), 0x10n]));
    h.send({ type: "OpenReservedChannel", channelId: 1, targetVp: 0, targetSint: 2, ringBufferGpadl: 9, downstreamPageOffset: 2 });
    h.settle();
    h.log.length = 0;
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 10 });
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-OPENVMM-GPADL-5"]);
    expect(gpadlsOf(h).map((g) => [g.id, g.state])).toEqual([[9, "alive"], [10, "alive"]]);
  });

  it("HOST-OPENVMM-RESCIND-1, HOST-OPENVMM-GPADL-5: revoking a channel completes its waiting teardowns, and only its own", () => {
    const h = connect();
    openRing(h, 1, 9);
    openRing(h, 2, 9);
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 9 });
    h.send({ type: "GpadlTeardown", childRelid: 2, gpadl: 9 });
    h.settle();
    const posted = h.step({ kind: "rescindChannel", relid: 1 }).flatMap((o) => (o.kind === "postMessage" ? [o.message] : []));
    expect(posted).toEqual([{ type: "GpadlTorndown", gpadl: 9 }, { type: "RescindChannelOffer", childRelid: 1 }]);
    h.settle();
    expect(gpadlsOf(h).map((g) => [g.relid, g.state])).toEqual([[2, "tearingdown"]]);
  });
});
