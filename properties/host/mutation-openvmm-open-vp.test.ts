/**
 * Which opens check a target VP on the openvmm host (OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs
 * open_channel :3003 and handle_open_reserved_channel at microsoft/openvmm 1488a37b): an OPENCHANNEL
 * naming a VP needs that VP; an OPENCHANNEL with target VP 0xFFFFFFFF and every
 * OPEN_RESERVED_CHANNEL (interrupts disabled) name none, so no VP is checked, even on a host with
 * no processor at all.
 */
import { describe, expect, it } from "vitest";
import { Harness, config, createGpadl, initiate, openMsg } from "./helpers.js";

describe("openvmm opens and the target VP (HOST-OPEN-4, HOST-OPENVMM-RESERVED-1)", () => {
  it("HOST-OPEN-4, HOST-OPENVMM-RESERVED-1: with no processor, only the open naming VP 0 fails; one naming no VP and a reserved open succeed", () => {
    const h = new Harness(config("openvmm", { vcpuCount: 0 }));
    h.send(initiate(0x50000), 4);
    h.send({ type: "RequestOffers" });
    h.settle();
    for (const relid of [1, 2, 3]) createGpadl(h, relid, 9, 4);
    h.log.length = 0;
    h.send(openMsg(1, 9, 2, 0, 11));
    h.send(openMsg(2, 9, 2, 0xffffffff, 12));
    h.send({ type: "OpenReservedChannel", channelId: 3, targetVp: 0, targetSint: 2, ringBufferGpadl: 9, downstreamPageOffset: 2 });
    // The answers go nowhere: a VP that does not exist drops what is posted to it (HOST-OPENVMM-CONNECT-5).
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-OPEN-4"]);
    expect(h.state.channels.map((c) => [c.relid, c.isOpen]).sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual([[1, false], [2, true], [3, true]]);
  });
});
