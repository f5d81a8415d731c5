/**
 * Replay of the Linux guest's boot handshake against the `qemu` profile:
 * 6.0/5.x refused at the hypercall (connection id 4 unknown), 4.1 answered "not supported", 4.0
 * accepted, REQUESTOFFERS → offers → ALLOFFERS_DELIVERED, later UNLOAD → UNLOAD_RESPONSE. The
 * exact QEMU trace lines are asserted.
 */
import { describe, expect, it } from "vitest";
import { HvStatus } from "../../spec/wire/constants.js";
import { decodeMessage } from "../../spec/wire/codec.js";
import { hexToBytes } from "../../spec/wire/hex.js";
import { hostView } from "../../spec/host/host.js";
import { Harness, config, initiate } from "./helpers.js";
import { QEMU_LINUX_BOOT_TRACE, QEMU_UNLOAD_TRACE } from "./fixtures/qemu-linux-boot.js";

const LINUX_VERSIONS = [0x60000, 0x50003, 0x50002, 0x50001, 0x50000, 0x40001, 0x40000];

describe("Linux boot against qemu", () => {
  it("HOST-CONNECT-2, HOST-OFFER-1, HOST-OFFER-2, HOST-OFFER-3: negotiates 4.0, takes the offers (relids 1, 2, 3 first free; the sub-channel after its primary), unloads, with QEMU's exact trace lines", () => {
    const h = new Harness(config("qemu"));
    const statuses: number[] = [];
    let accepted: number | undefined;
    for (const v of LINUX_VERSIONS) {
      const st = h.send(initiate(v), v >= 0x50000 ? 4 : 1);
      statuses.push(st);
      if (st !== HvStatus.SUCCESS) continue; // Linux: INVALID_CONNECTION_ID on INITIATE_CONTACT → next version
      const replies = h.settle();
      expect(replies).toHaveLength(1);
      const r = replies[0]!;
      expect(r.type).toBe("VersionResponse");
      if (r.type === "VersionResponse" && r.versionSupported) {
        accepted = v;
        break;
      }
    }
    expect(statuses).toEqual([18, 18, 18, 18, 18, 0, 0]);
    expect(accepted).toBe(0x40000);
    expect(hostView(h.state).connected).toBe(true);
    expect(h.send({ type: "RequestOffers" })).toBe(0);
    const offers = h.settle();
    expect(offers.map((m) => m.type)).toEqual(["OfferChannel", "OfferChannel", "OfferChannel", "AllOffersDelivered"]);
    expect(offers.flatMap((m) => (m.type === "OfferChannel" ? [[m.childRelid, m.subChannelIndex, m.form === "win7" ? m.connectionId : -1]] : []))).toEqual([
      [1, 0, 17],
      [2, 1, 18],
      [3, 0, 19],
    ]);
    expect(hostView(h.state).offeredRelids).toEqual([1, 2, 3]);
    expect(h.send({ type: "Unload" })).toBe(0);
    expect(h.settle().map((m) => m.type)).toEqual(["UnloadResponse"]);
    expect(hostView(h.state).connected).toBe(false);
    expect(h.traces()).toEqual([...QEMU_LINUX_BOOT_TRACE, ...QEMU_UNLOAD_TRACE]);
  });

  it("posts QEMU's byte sizes: VERSION_RESPONSE 16, OFFERCHANNEL 200, every size a multiple of 8", () => {
    const h = new Harness(config("qemu"));
    h.send(initiate(0x40000));
    h.settle();
    h.send({ type: "RequestOffers" });
    h.settle();
    const posts = h.log.flatMap((o) => (o.kind === "postMessage" ? [o] : []));
    expect(posts.map((p) => p.payloadSize)).toEqual([16, 200, 200, 200, 8]);
    for (const p of posts) {
      const b = hexToBytes(p.bytes);
      expect(b.ok && b.value.length).toBe(p.payloadSize);
      const d = decodeMessage(b.ok ? b.value : new Uint8Array(), { version: 0x40000, direction: "host-to-guest" });
      expect(d.ok && d.value.message).toEqual(p.message);
    }
  });
});
