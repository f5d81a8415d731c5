/**
 * The guest's small building blocks, exactly: the PFNs it lists in a GPADL and the messages
 * that carry them (GUEST-GPADL-2), the OPENCHANNEL it posts (GUEST-OPEN-1: Linux's v1 form), the
 * msgtype Linux peeks at, and a slot payload that is not hex (GUEST-MSG-5).
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_GUEST_CONFIG } from "../../spec/guest/config.js";
import { gpadlMessages, gpadlPfns } from "../../spec/guest/gpadl-plan.js";
import { openChannel, ZERO_USERDATA } from "../../spec/guest/messages.js";
import { acceptHostMessage, peekMessageType } from "../../spec/guest/validate.js";
import { Limits } from "../../spec/wire/constants.js";
import { encodeMessage } from "../../spec/wire/codec.js";

describe("GUEST-GPADL-2: the guest's GPADL pages and messages", () => {
  it("PFNs: consecutive from a base of (handle - first handle + 1) pages of 4 KiB, distinct per handle", () => {
    const first = Limits.LINUX_FIRST_GPADL_HANDLE;
    expect(gpadlPfns(first, 3)).toEqual(["4096", "4097", "4098"]);
    expect(gpadlPfns(first + 2, 2)).toEqual(["12288", "12289"]);
  });

  it("messages: a header and the bodies of one range; none when the range cannot be split (more than 8190 pages)", () => {
    const pfns = gpadlPfns(Limits.LINUX_FIRST_GPADL_HANDLE, 30);
    const m = gpadlMessages(1, Limits.LINUX_FIRST_GPADL_HANDLE, pfns);
    expect(m.map((x) => x.type)).toEqual(["GpadlHeader", "GpadlBody"]);
    expect(gpadlMessages(1, Limits.LINUX_FIRST_GPADL_HANDLE, gpadlPfns(Limits.LINUX_FIRST_GPADL_HANDLE, 8191))).toEqual([]);
  });
});

describe("GUEST-OPEN-1: the OPENCHANNEL the guest posts", () => {
  it("Linux's v1 form: open id = relid, the ring GPADL, the connect VP, the send pages as the offset, zero userdata", () => {
    const m = openChannel(DEFAULT_GUEST_CONFIG, 5, 0xe1e10, 3);
    expect(m).toEqual({ type: "OpenChannel", form: "v1", childRelid: 5, openId: 5, ringBufferGpadlHandle: 0xe1e10, targetVp: DEFAULT_GUEST_CONFIG.connectVp, downstreamRingBufferPageOffset: 3, userData: ZERO_USERDATA });
    // 148 bytes: the header, five u32 fields and 120 bytes of userdata.
    expect(encodeMessage(m).length).toBe(148);
  });
});

describe("what Linux reads of the slot (GUEST-MSG-*)", () => {
  it("peekMessageType: the little-endian u32 at offset 0, missing bytes as zero", () => {
    expect(peekMessageType(Uint8Array.of(1, 2, 3, 4, 5))).toBe(0x04030201);
    expect(peekMessageType(Uint8Array.of(0x10, 1))).toBe(0x110);
    expect(peekMessageType(new Uint8Array(0))).toBe(0);
  });

  it("GUEST-MSG-5: a slot payload that is not hex is refused under GUEST-MSG-5", () => {
    const r = acceptHostMessage(8, "zz00000000000000", null);
    expect(r.ok ? "accepted" : r.error.rule).toBe("GUEST-MSG-5");
  });
});
