/**
 * Every QEMU quirk (docs/sources.md) that concerns the host's control path: in `qemu` the quirk or
 * the recorded defect, in `strict` the protocol's answer. Rows 13–15 concern ring buffers and
 * event flags (the ring/system areas), not the control-message reducer.
 */
import { describe, expect, it } from "vitest";
import { encodeMessage } from "../../spec/wire/codec.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import { hostView } from "../../spec/host/host.js";
import { Harness, config, connected, createGpadl, gpadlMessages, initiate, openMsg, post, rawPost } from "./helpers.js";

/** GPADL_HEADER bytes with rangecount 1, the given range_buflen and byte_count, and no PFNs. */
const rawHeader = (relid: number, id: number, buflen: number, byteCount: number): string => {
  const b = new Uint8Array(28);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 8, true);
  dv.setUint32(8, relid, true);
  dv.setUint32(12, id, true);
  dv.setUint16(16, buflen, true);
  dv.setUint16(18, 1, true);
  dv.setUint32(20, byteCount, true);
  return bytesToHex(b);
};

describe("QEMU quirk Q1 GPADL_BODY for a complete GPADL", () => {
  it("qemu: defect (assert), message dropped", () => {
    const h = connected("qemu");
    createGpadl(h, 1, 7, 4);
    h.send({ type: "GpadlBody", msgNumber: 0, gpadl: 7, pfns: ["1"] });
    expect(h.settle()).toEqual([]);
    expect(h.defects()).toEqual(["HOST-QEMU-DEFECT-1"]);
  });
  it("strict: rejected", () => {
    const h = connected("strict");
    createGpadl(h, 1, 7, 4);
    h.send({ type: "GpadlBody", msgNumber: 0, gpadl: 7, pfns: ["1"] });
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-GPADL-11"]);
  });
});

describe("QEMU quirk Q2 UNLOAD before INITIATE_CONTACT", () => {
  it("qemu: defect (NULL SINT route), bus reset, nothing posted", () => {
    const h = new Harness(config("qemu"));
    h.send({ type: "Unload" });
    expect(h.settle()).toEqual([]);
    expect(h.defects()).toEqual(["HOST-QEMU-DEFECT-2"]);
    expect(h.state.bus).toBe("listen");
  });
  it("qemu: INITIATE_CONTACT with target_vcpu 0xFFFFFFFF has no route either", () => {
    const h = new Harness(config("qemu"));
    h.send(initiate(0x40000, 0xffffffff));
    expect(h.settle()).toEqual([]);
    expect(h.defects()).toEqual(["HOST-QEMU-DEFECT-2"]);
  });
  it("strict: rejected (UNLOAD while disconnected)", () => {
    const h = new Harness(config("strict"));
    h.send({ type: "Unload" });
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-UNLOAD-2"]);
  });
});

describe("QEMU quirk Q3 GPADL_HEADER with range_buflen < 8", () => {
  it("qemu: defect when byte_count = 0xFFFFF000 (≈32 GiB allocation); trace shows gfns truncated to 16 bits", () => {
    const h = connected("qemu");
    h.step(rawPost(rawHeader(1, 9, 4, 0xfffff000), 28));
    expect(h.settle()).toEqual([]);
    expect(h.defects()).toEqual(["HOST-QEMU-DEFECT-3"]);
    expect(h.traces()).toContain("vmbus_gpadl_header gpadl #9 gfns 65535");
    expect(hostView(h.state).gpadls).toEqual([]);
  });
  it("qemu: other byte counts fail the page check and are dropped", () => {
    const h = connected("qemu");
    h.step(rawPost(rawHeader(1, 9, 4, 4096), 28));
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-GPADL-1"]);
  });
  it("strict: GPADL_CREATED with failure status (the guest does not wait forever)", () => {
    const h = connected("strict");
    h.step(rawPost(rawHeader(1, 9, 4, 0xfffff000), 28));
    expect(h.settle()).toEqual([{ type: "GpadlCreated", childRelid: 1, gpadl: 9, creationStatus: 0x8000ffff }]);
  });
});

describe("QEMU quirk Q4 zero-page GPADL (range_buflen 8, byte_count 0)", () => {
  it("qemu: created at once; a later OPEN with it fails", () => {
    const h = connected("qemu");
    h.step(rawPost(rawHeader(1, 9, 8, 0), 28));
    expect(h.settle()).toEqual([{ type: "GpadlCreated", childRelid: 1, gpadl: 9, creationStatus: 0 }]);
    h.send(openMsg(1, 9, 2));
    expect(h.settle()).toEqual([{ type: "OpenChannelResult", childRelid: 1, openId: 1, status: 1 }]);
  });
  it("strict: GPADL_CREATED failure (byte_count 0)", () => {
    const h = connected("strict");
    h.step(rawPost(rawHeader(1, 9, 8, 0), 28));
    expect(h.settle()).toEqual([{ type: "GpadlCreated", childRelid: 1, gpadl: 9, creationStatus: 0x8000ffff }]);
  });
});

describe("QEMU quirk Q5 GPADL_HEADER reusing the id of a GPADL still held", () => {
  const scenario = (profile: "qemu" | "strict") => {
    const h = connected(profile);
    createGpadl(h, 1, 7, 8);
    h.send(openMsg(1, 7, 4));
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 7 });
    h.settle();
    for (const m of gpadlMessages(1, 7, 8)) h.send(m);
    return h;
  };
  it("qemu: ignored, no GPADL_CREATED ever", () => {
    const h = scenario("qemu");
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toContain("HOST-GPADL-2");
  });
  it("strict: GPADL_CREATED failure", () => {
    const h = scenario("strict");
    expect(h.settle()).toEqual([{ type: "GpadlCreated", childRelid: 1, gpadl: 7, creationStatus: 0x8000ffff }]);
  });
});

describe("QEMU quirk Q6 silent drops in qemu", () => {
  it("qemu: teardown of an unknown id, OPEN for an unknown relid, short messages → no reply", () => {
    const h = connected("qemu");
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 1234 });
    h.send(openMsg(77, 1, 2));
    h.step(post({ type: "CloseChannel", childRelid: 1 }, 1, 8));
    h.step(post(openMsg(1, 1, 2), 1, 100));
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-GPADL-12", "HOST-OPEN-1", "HOST-MSG-1", "HOST-MSG-1"]);
  });
  it("strict: a malformed GPADL_HEADER the guest waits on gets a failed GPADL_CREATED", () => {
    const h = connected("strict");
    const [hdr] = gpadlMessages(1, 5, 4);
    if (!hdr || hdr.type !== "GpadlHeader") throw new Error("no header");
    h.send({ ...hdr, ranges: [{ ...hdr.ranges[0]!, byteCount: 8 * 4096 }] }); // PFNs do not fit range_buflen
    expect(h.settle()).toEqual([{ type: "GpadlCreated", childRelid: 1, gpadl: 5, creationStatus: 0x8000ffff }]);
  });
});

describe("QEMU quirk Q7 target VP naming no vCPU", () => {
  it("qemu: INITIATE_CONTACT → defect, bus deinit, no reply", () => {
    const h = new Harness(config("qemu"));
    h.send(initiate(0x40000, 5));
    expect(h.settle()).toEqual([]);
    expect(h.defects()).toEqual(["HOST-QEMU-DEFECT-4"]);
    expect(h.state.version).toBe(0);
  });
  it("qemu: OPENCHANNEL → defect, open fails with status 1", () => {
    const h = connected("qemu");
    createGpadl(h, 1, 7, 8);
    h.send(openMsg(1, 7, 4, 9));
    expect(h.settle()).toEqual([{ type: "OpenChannelResult", childRelid: 1, openId: 1, status: 1 }]);
    expect(h.defects()).toEqual(["HOST-QEMU-DEFECT-4"]);
  });
  it("strict: failed VERSION_RESPONSE on VP 0 (connection_state 2); failed OPENCHANNEL_RESULT", () => {
    const h = new Harness(config("strict"));
    h.send(initiate(0x40000, 5));
    expect(h.settle()).toEqual([{ type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: 2, msgConnId: 0 }]);
    expect(hostView(h.state).connected).toBe(false);
    const g = connected("strict");
    createGpadl(g, 1, 7, 8);
    g.send(openMsg(1, 7, 4, 9));
    expect(g.settle()).toEqual([{ type: "OpenChannelResult", childRelid: 1, openId: 1, status: 0x8000ffff }]);
  });
});

describe("QEMU quirk Q8 RELID_RELEASED", () => {
  it("qemu: accepted by the hypercall, then unknown message type 0xd", () => {
    const h = connected("qemu");
    expect(h.send({ type: "RelIdReleased", childRelid: 1 })).toBe(0);
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-MSG-3"]);
  });
  it("strict: rejected for a channel that was not rescinded", () => {
    const h = connected("strict");
    h.send({ type: "RelIdReleased", childRelid: 1 });
    h.settle();
    expect(h.rejections()).toEqual(["HOST-RESCIND-2"]);
  });
});

describe("QEMU quirk Q9 message types ≥ 18", () => {
  it("strict at 4.0: hypercall succeeds, MODIFYCHANNEL (4.1+) dropped as InvalidMessageType; TL_CONNECT_REQUEST at 4.0 gets no result message", () => {
    const h = connected("strict");
    expect(h.send({ type: "ModifyChannel", childRelid: 1, targetVp: 0 })).toBe(0);
    expect(h.send({ type: "TlConnectRequest", form: "v1", guestEndpointId: "00000000-0000-0000-0000-000000000001", hostServiceId: "00000000-0000-0000-0000-000000000002" })).toBe(0);
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-MSG-4", "HOST-TL-1"]);
  });
});

describe("QEMU quirk Q10 messages posted while UNLOAD is answered", () => {
  it("qemu: dropped with the queue", () => {
    const h = connected("qemu");
    h.send({ type: "Unload" });
    h.step({ kind: "run" });
    h.send(initiate(0x40000));
    expect(h.settle()).toEqual([{ type: "UnloadResponse" }]);
    expect(hostView(h.state).connected).toBe(false);
  });
});

describe("QEMU quirk Q11 CLOSECHANNEL for a channel that is not open", () => {
  it("qemu: channel INIT and the device cold-reset", () => {
    const h = connected("qemu");
    const mark = h.log.length;
    h.send({ type: "CloseChannel", childRelid: 3 });
    expect(h.settle()).toEqual([]);
    expect(h.log.slice(mark)).toContainEqual({ kind: "deviceNotify", relid: 3, reason: "reset" });
  });
  it("strict: rejected", () => {
    const h = connected("strict");
    h.send({ type: "CloseChannel", childRelid: 3 });
    h.settle();
    expect(h.rejections()).toEqual(["HOST-CLOSE-3"]);
  });
});

describe("QEMU quirk Q12 OPENCHANNEL naming a torn-down GPADL still referenced", () => {
  const scenario = (profile: "qemu" | "strict") => {
    const h = connected(profile);
    createGpadl(h, 1, 7, 8);
    h.send(openMsg(1, 7, 4));
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 7 });
    h.settle();
    h.send(openMsg(2, 7, 4));
    return h;
  };
  it("qemu: accepted (only existence and completeness are checked)", () => {
    const h = scenario("qemu");
    expect(h.settle()).toEqual([{ type: "OpenChannelResult", childRelid: 2, openId: 2, status: 0 }]);
  });
  it("strict: the teardown is deferred while the ring is in use, and the second OPEN fails", () => {
    const h = scenario("strict");
    expect(h.settle()).toEqual([{ type: "OpenChannelResult", childRelid: 2, openId: 2, status: 0x8000ffff }]);
    h.send({ type: "CloseChannel", childRelid: 1 });
    expect(h.settle()).toEqual([{ type: "GpadlTorndown", gpadl: 7 }]);
  });
});

describe("QEMU quirk Q16 version values that are not real versions", () => {
  it("qemu accepts 0x00010005; strict refuses it", () => {
    const q = new Harness(config("qemu"));
    q.send(initiate(0x00010005));
    expect(q.settle()).toMatchObject([{ type: "VersionResponse", versionSupported: 1 }]);
    const s = new Harness(config("strict"));
    s.send(initiate(0x00010005));
    expect(s.settle()).toMatchObject([{ type: "VersionResponse", versionSupported: 0 }]);
  });
});

describe("QEMU quirk Q17 OFFERCHANNEL length", () => {
  it("qemu posts 200 bytes, strict 196", () => {
    for (const [profile, size] of [["qemu", 200], ["strict", 196]] as const) {
      const h = connected(profile);
      const offer = h.log.find((o) => o.kind === "postMessage" && o.message.type === "OfferChannel");
      expect(offer && offer.kind === "postMessage" && offer.payloadSize).toBe(size);
    }
  });
});

void encodeMessage;
