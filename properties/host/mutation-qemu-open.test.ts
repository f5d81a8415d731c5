/**
 * QEMU's open_channel / handle_close_channel conditions that a Stryker run on
 * spec/host/qemu/handlers.ts showed no test could tell apart (QEMU hw/hyperv/vmbus.c
 * open_channel, handle_close_channel, vdev_reset_on_close).
 */
import { describe, expect, it } from "vitest";
import { connected, createGpadl, openMsg, openWithRings } from "./helpers.js";

const ch = (h: ReturnType<typeof connected>, relid: number) => h.state.channels.find((c) => c.relid === relid)!;

describe("OPENCHANNEL and CLOSECHANNEL on a two-channel device (netvsc: relids 1 and 2)", () => {
  it("HOST-OPEN-5: a successful open marks the channel open and notifies its device once with reason opened", () => {
    const h = connected("qemu");
    createGpadl(h, 1, 7, 4);
    const before = h.log.length;
    h.send(openMsg(1, 7, 2));
    h.step({ kind: "run" });
    expect(ch(h, 1).isOpen).toBe(true);
    expect(h.log.slice(before).filter((o) => o.kind === "deviceNotify")).toEqual([{ kind: "deviceNotify", relid: 1, reason: "opened" }]);
  });

  it("HOST-OPEN-1: a subchannel closed while its primary stays open is back in INIT and can be opened again", () => {
    const h = connected("qemu");
    openWithRings(h, [[1, 7], [2, 8]]);
    h.send({ type: "CloseChannel", childRelid: 2 });
    h.settle();
    expect(ch(h, 2).state).toBe("init");
    expect(ch(h, 2).isOpen).toBe(false);
    h.send(openMsg(2, 8, 2));
    h.settle();
    expect(h.rejections()).toEqual([]);
    expect(ch(h, 2).isOpen).toBe(true);
  });

  it("HOST-CLOSE-2: closing netvsc's last open channel resets netvsc even while another device (storvsc, relid 3) has one open", () => {
    const h = connected("qemu");
    openWithRings(h, [[1, 7], [3, 9]]);
    const start = h.log.length;
    h.send({ type: "CloseChannel", childRelid: 1 });
    h.settle();
    const resets = h.log.slice(start).filter((o) => o.kind === "deviceNotify" && o.reason === "reset");
    expect(resets).toEqual([{ kind: "deviceNotify", relid: 1, reason: "reset" }]);
    expect(ch(h, 3).isOpen).toBe(true);
  });
});
