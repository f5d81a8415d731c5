/** Scenario tests for every row of QEMU's handler table and the delivery path. */
import { describe, expect, it } from "vitest";
import { HvStatus } from "../../spec/wire/constants.js";
import { encodeMessage } from "../../spec/wire/codec.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import { hostRunnable, hostView } from "../../spec/host/host.js";
import { Harness, config, connected, createGpadl, gpadlMessages, initiate, openMsg, post, rawPost } from "./helpers.js";

describe("qemu hypercall path", () => {
  it("rejects non-VMBus SynIC type, short payload, oversize payload, unknown connection id", () => {
    const h = new Harness(config("qemu"));
    const hex = bytesToHex(encodeMessage({ type: "RequestOffers" }));
    expect(h.step({ kind: "postMessage", connectionId: 1, messageType: 2, payloadSize: 8, payload: hex })).toContainEqual({ kind: "hypercallStatus", status: HvStatus.INVALID_HYPERCALL_INPUT });
    expect(h.step(rawPost(hex, 4))).toContainEqual({ kind: "hypercallStatus", status: HvStatus.INVALID_HYPERCALL_INPUT });
    expect(h.step(rawPost(hex, 241))).toContainEqual({ kind: "hypercallStatus", status: HvStatus.INVALID_HYPERCALL_INPUT });
    expect(h.step(rawPost(hex, 8, 4))).toContainEqual({ kind: "hypercallStatus", status: HvStatus.INVALID_CONNECTION_ID });
    // connection id masked to 24 bits: 0x01000001 is connection 1
    expect(h.step(rawPost(hex, 8, 0x01000001))).toContainEqual({ kind: "hypercallStatus", status: HvStatus.SUCCESS });
    expect(h.rejections()).toEqual(["HOST-HC-1", "HOST-HC-4", "HOST-HC-2", "HOST-HC-3"]);
  });

  it("rejects VMBus types 0 and ≥ 18 with INVALID_HYPERCALL_INPUT after tracing them (QEMU quirk Q9)", () => {
    const h = new Harness(config("qemu"));
    expect(h.step(rawPost("00000000000000000000000000000000", 16))).toContainEqual({ kind: "hypercallStatus", status: 3 });
    expect(h.send({ type: "ModifyChannel", childRelid: 1, targetVp: 0 })).toBe(3);
    expect(h.send({ type: "TlConnectRequest", form: "v1", guestEndpointId: "00000000-0000-0000-0000-000000000001", hostServiceId: "00000000-0000-0000-0000-000000000002" })).toBe(3);
    expect(h.traces()).toEqual(["vmbus_recv_message type 0 size 16", "vmbus_recv_message type 22 size 16", "vmbus_recv_message type 21 size 40"]);
    expect(h.rejections()).toEqual(["HOST-HC-5", "HOST-HC-5", "HOST-HC-5"]);
  });

  it("queues 16 messages, then INSUFFICIENT_BUFFERS", () => {
    const h = new Harness(config("qemu"));
    const st = Array.from({ length: 17 }, () => h.send({ type: "RequestOffers" }));
    expect(st.slice(0, 16).every((s) => s === 0)).toBe(true);
    expect(st[16]).toBe(HvStatus.INSUFFICIENT_BUFFERS);
    expect(hostView(h.state).queuedIncoming).toBe(16);
  });
});

describe("qemu handler table", () => {
  it("INITIATE_CONTACT shorter than 40 bytes is dropped before any reset", () => {
    const h = connected("qemu");
    h.step(post(initiate(0x40000), 1, 32));
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toContain("HOST-CONNECT-9");
    expect(hostView(h.state).connected).toBe(true);
  });

  it("HOST-CONNECT-1, HOST-RESET-1: INITIATE_CONTACT resets the bus in any state: open channels closed, GPADLs released, offers forgotten", () => {
    const h = connected("qemu");
    createGpadl(h, 1, 7, 4);
    h.send(openMsg(1, 7, 2));
    h.settle();
    expect(hostView(h.state).openChannels).toEqual([{ relid: 1, gpadl: 7 }]);
    h.send(initiate(0x40000));
    h.settle();
    const v = hostView(h.state);
    expect(v.openChannels).toEqual([]);
    expect(v.gpadls).toEqual([]);
    expect(v.offeredRelids).toEqual([]);
    expect(v.connected).toBe(true);
  });

  it("HOST-MSG-2, HOST-OFFER-1, HOST-OFFER-5: REQUESTOFFERS before a version is negotiated is dropped; REQUESTOFFERS twice sends only ALLOFFERS_DELIVERED", () => {
    const h = new Harness(config("qemu"));
    h.send({ type: "RequestOffers" });
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-MSG-2"]);
    h.send(initiate(0x40000));
    h.settle();
    h.send({ type: "RequestOffers" });
    expect(h.settle()).toHaveLength(4);
    h.send({ type: "RequestOffers" });
    expect(h.settle()).toEqual([{ type: "AllOffersDelivered" }]);
  });

  it("HOST-CONNECT-2: a refused version (5.0 > 4.0) is answered version_supported 0 and stays stored; later messages are ignored until a new INITIATE_CONTACT", () => {
    const h = new Harness(config("qemu"));
    h.send(initiate(0x50000));
    expect(h.settle()).toEqual([{ type: "VersionResponse", form: "v1", versionSupported: 0, connectionState: 0, msgConnId: 0 }]);
    expect(h.state.version).toBe(0x50000);
    expect(hostView(h.state).connected).toBe(false);
    h.send({ type: "RequestOffers" });
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-MSG-2"]);
  });

  it("HOST-GPADL-3, HOST-GPADL-4: GPADL_HEADER + GPADL_BODY (40 pages) → one GPADL_CREATED after the last body", () => {
    const h = connected("qemu");
    const msgs = gpadlMessages(1, 0xe1e10, 40);
    expect(msgs.map((m) => m.type)).toEqual(["GpadlHeader", "GpadlBody"]);
    for (const m of msgs) h.send(m);
    expect(h.settle()).toEqual([{ type: "GpadlCreated", childRelid: 1, gpadl: 0xe1e10, creationStatus: 0 }]);
    expect(h.traces().slice(-8)).toEqual([
      "vmbus_recv_message type 9 size 128",
      "vmbus_process_incoming_message type 8",
      "vmbus_gpadl_header gpadl #925200 gfns 40",
      "vmbus_process_incoming_message type 9",
      "vmbus_gpadl_body gpadl #925200",
      "vmbus_gpadl_created gpadl #925200",
      "vmbus_post_msg type 10 size 20",
      "vmbus_msg_cb message status 0",
    ]);
    expect(h.traces()).toContain("vmbus_gpadl_header gpadl #925200 gfns 40");
    expect(h.traces()).toContain("vmbus_gpadl_created gpadl #925200");
    expect(hostView(h.state).gpadls).toEqual([{ id: 0xe1e10, childRelid: 1, complete: true, state: "alive" }]);
    const created = h.log.find((o) => o.kind === "postMessage" && o.message.type === "GpadlCreated");
    expect(created && created.kind === "postMessage" && created.payloadSize).toBe(24);
  });

  it("GPADL_HEADER checks: too short, multi-range, byte_offset, byte_count mismatch, duplicate id — all silently dropped", () => {
    const h = connected("qemu");
    const [hdr] = gpadlMessages(1, 5, 4);
    if (!hdr || hdr.type !== "GpadlHeader") throw new Error("no header");
    h.step(post(hdr, 1, 20));
    const r0 = hdr.ranges[0]!;
    h.send({ ...hdr, rangeCount: 2, rangeBufferLength: hdr.rangeBufferLength + 16, ranges: [r0, { byteCount: 4096, byteOffset: 0, pfns: ["1"] }] });
    h.send({ ...hdr, ranges: [{ ...r0, byteOffset: 8, byteCount: 4 * 4096 - 8 }] });
    h.send({ ...hdr, ranges: [{ ...r0, byteCount: 3 * 4096 }] });
    h.send(hdr);
    h.send({ ...hdr, childRelid: 3 });
    expect(h.settle()).toEqual([{ type: "GpadlCreated", childRelid: 1, gpadl: 5, creationStatus: 0 }]);
    expect(h.rejections()).toEqual(["HOST-MSG-1", "HOST-GPADL-1", "HOST-GPADL-1", "HOST-GPADL-1", "HOST-GPADL-2"]);
  });

  it("GPADL_BODY for an unknown GPADL is dropped; GPADL_TEARDOWN of an incomplete GPADL is allowed", () => {
    const h = connected("qemu");
    h.send({ type: "GpadlBody", msgNumber: 0, gpadl: 99, pfns: ["1"] });
    const [hdr] = gpadlMessages(1, 6, 40);
    h.send(hdr!);
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 6 });
    expect(h.settle()).toEqual([{ type: "GpadlTorndown", gpadl: 6 }]);
    expect(hostView(h.state).gpadls).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-GPADL-5"]);
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 6 });
    h.settle();
    expect(h.rejections()).toEqual(["HOST-GPADL-5", "HOST-GPADL-12"]);
  });

  it("HOST-OPEN-5, HOST-OPEN-8, HOST-GPADL-6, HOST-CLOSE-1: OPENCHANNEL success → status 0, device self-notified, GPADL referenced; teardown keeps it held; close frees it", () => {
    const h = connected("qemu");
    createGpadl(h, 1, 7, 8);
    h.send(openMsg(1, 7, 4, 1, 42));
    expect(h.settle()).toEqual([{ type: "OpenChannelResult", childRelid: 1, openId: 42, status: 0 }]);
    expect(h.log).toContainEqual({ kind: "deviceNotify", relid: 1, reason: "hostNotify" });
    expect(h.traces()).toContain("vmbus_open_channel channel #1 gpadl #7 target vp 1");
    expect(h.traces()).toContain("vmbus_channel_open channel #1 status 0");
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 7 });
    expect(h.settle()).toEqual([{ type: "GpadlTorndown", gpadl: 7 }]);
    expect(hostView(h.state).gpadls).toEqual([{ id: 7, childRelid: 1, complete: true, state: "torndown" }]);
    h.send({ type: "CloseChannel", childRelid: 1 });
    h.settle();
    expect(hostView(h.state).gpadls).toEqual([]);
    expect(hostView(h.state).openChannels).toEqual([]);
  });

  it.each([
    ["unknown GPADL", 99, 4, "HOST-OPEN-2"],
    ["offset 1 (recv ring 1 page)", 7, 1, "HOST-OPEN-3"],
    ["offset 7 of 8 (send ring 1 page)", 7, 7, "HOST-OPEN-3"],
  ])("OPENCHANNEL fails with status 1: %s", (_n, gpadl, offset, rule) => {
    const h = connected("qemu");
    createGpadl(h, 1, 7, 8);
    h.send(openMsg(1, gpadl, offset));
    expect(h.settle()).toEqual([{ type: "OpenChannelResult", childRelid: 1, openId: 1, status: 1 }]);
    expect(h.rejections()).toContain(rule);
    expect(hostView(h.state).openChannels).toEqual([]);
    expect(hostView(h.state).gpadls[0]).toMatchObject({ id: 7, state: "alive" });
  });

  it("OPENCHANNEL: device open failure → status 1; unknown relid and already-open channel dropped", () => {
    const h = connected("qemu", 0x40000, { devices: [{ name: "bad", interfaceType: "00000000-0000-0000-0000-00000000000a", interfaceInstance: "00000000-0000-0000-0000-00000000000b", subChannels: 0, channelFlags: 0, mmioMegabytes: 0, openResult: "fail" }] });
    createGpadl(h, 1, 7, 8);
    h.send(openMsg(1, 7, 4));
    expect(h.settle()).toEqual([{ type: "OpenChannelResult", childRelid: 1, openId: 1, status: 1 }]);
    h.send(openMsg(9, 7, 4));
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-OPEN-4", "HOST-OPEN-1"]);
  });

  it("HOST-CLOSE-1, HOST-CLOSE-2: CLOSECHANNEL has no reply; the device is reset when its last channel closes", () => {
    const h = connected("qemu");
    createGpadl(h, 1, 7, 8);
    createGpadl(h, 2, 8, 8);
    h.send(openMsg(1, 7, 4));
    h.send(openMsg(2, 8, 4));
    h.settle();
    const mark = h.log.length;
    h.send({ type: "CloseChannel", childRelid: 2 });
    expect(h.settle()).toEqual([]);
    expect(h.log.slice(mark).filter((o) => o.kind === "deviceNotify" && o.reason === "reset")).toEqual([]);
    h.send({ type: "CloseChannel", childRelid: 1 });
    h.settle();
    expect(h.log.slice(mark)).toContainEqual({ kind: "deviceNotify", relid: 1, reason: "reset" });
    expect(h.traces()).toContain("vmbus_close_channel channel #1");
  });

  it("UNLOAD: queued messages are dropped, UNLOAD_RESPONSE sent, bus reset after delivery", () => {
    const h = connected("qemu");
    h.send({ type: "Unload" });
    h.step({ kind: "run" }); // process UNLOAD -> state UNLOAD
    h.send({ type: "RequestOffers" });
    h.send({ type: "RequestOffers" });
    expect(h.settle()).toEqual([{ type: "UnloadResponse" }]);
    expect(h.rejections().filter((r) => r === "HOST-UNLOAD-1")).toHaveLength(2);
    expect(hostView(h.state).connected).toBe(false);
    expect(hostView(h.state).queuedIncoming).toBe(0);
  });
});

describe("qemu legacy interrupt page (< 2.4)", () => {
  it("HvSignalEvent on connection 2 notifies the open channels whose bits are set", () => {
    const h = new Harness(config("qemu"));
    h.send(initiate(0x10001));
    h.settle();
    h.send({ type: "RequestOffers" });
    h.settle();
    createGpadl(h, 1, 7, 8);
    h.send(openMsg(1, 7, 4));
    h.settle();
    expect(h.step({ kind: "signalEvent", connectionId: 2, flagNumber: 0, interruptPageBits: [1, 3] })).toEqual([
      { kind: "trace", event: "vmbus_signal_event", args: [] },
      { kind: "deviceNotify", relid: 1, reason: "guestSignal" },
      { kind: "hypercallStatus", status: 0 },
    ]);
  });
});

describe("qemu delivery", () => {
  it("HOST-RUN-1, HOST-RUN-2: slot busy → the same reply is posted again on the next run; nothing is processed meanwhile", () => {
    const h = new Harness(config("qemu"));
    h.send(initiate(0x40000));
    h.step({ kind: "run" });
    const first = h.step({ kind: "run" }).find((o) => o.kind === "postMessage");
    h.send({ type: "RequestOffers" });
    expect(h.step({ kind: "run" })).toEqual([]); // in flight: vmbus_run does nothing
    expect(hostRunnable(h.cfg, h.state)).toBe(false);
    expect(hostView(h.state).queuedIncoming).toBe(1); // HOST-RUN-1: not processed while a reply is in flight
    h.step({ kind: "deliveryResult", result: "slotBusy" });
    const again = h.step({ kind: "run" }).find((o) => o.kind === "postMessage");
    expect(again).toEqual(first);
    expect(h.traces()).toContain("vmbus_msg_cb message status -11");
  });

  it("fatal delivery → bus reset; a delivery result with nothing in flight is rejected", () => {
    const h = new Harness(config("qemu"));
    h.send(initiate(0x40000));
    h.step({ kind: "run" });
    h.step({ kind: "run" });
    h.step({ kind: "deliveryResult", result: "fatal" });
    expect(h.state.version).toBe(0);
    expect(h.state.bus).toBe("listen");
    h.step({ kind: "deliveryResult", result: "delivered" });
    expect(h.rejections()).toEqual(["HOST-RUN-3", "HOST-RUN-4"]);
  });

  it("HOST-SIG-1, HOST-SIG-2, HOST-SIG-3, HOST-SIG-4: guest HvSignalEvent on 16 + relid reaches the device; device signal raises the channel's event", () => {
    const h = connected("qemu");
    expect(h.step({ kind: "signalEvent", connectionId: 17, flagNumber: 0 })).toContainEqual({ kind: "hypercallStatus", status: HvStatus.INVALID_CONNECTION_ID });
    createGpadl(h, 1, 7, 8);
    h.send(openMsg(1, 7, 4, 1));
    h.settle();
    expect(h.step({ kind: "signalEvent", connectionId: 17, flagNumber: 0 })).toEqual([{ kind: "deviceNotify", relid: 1, reason: "guestSignal" }, { kind: "hypercallStatus", status: 0 }]);
    expect(h.step({ kind: "signalEvent", connectionId: 17, flagNumber: 1 })).toContainEqual({ kind: "hypercallStatus", status: HvStatus.INVALID_PORT_ID });
    expect(h.step({ kind: "signalEvent", connectionId: 0x1000011, flagNumber: 0 })).toContainEqual({ kind: "hypercallStatus", status: HvStatus.INVALID_HYPERCALL_INPUT });
    expect(h.step({ kind: "deviceSignal", relid: 1 })).toEqual([{ kind: "trace", event: "vmbus_channel_notify_guest", args: [1] }, { kind: "channelSignal", relid: 1, targetVp: 1 }]);
    h.step({ kind: "deviceSignal", relid: 3 });
    expect(h.rejections()).toContain("HOST-SIG-4");
  });
});
