/**
 * The pages a GPADL lists (spec/guest/gpadl-plan.ts; GUEST-GPADL-1, GUEST-GPADL-2): PFNs distinct
 * per handle and consecutive within a GPADL, one range at byte_offset 0; mutation run guest6-small:
 * survivors in gpadlPfns' arithmetic and gpadlMessages' impossible split.
 */
import { describe, expect, it } from "vitest";
import { gpadlMessages, gpadlPfns } from "../../spec/guest/gpadl-plan.js";
import { Version } from "../../spec/wire/versions.js";
import { connected, driver, postAll } from "./harness.js";

const H = 0xe1e10;
const pfns = (from: number, n: number): string[] => Array.from({ length: n }, (_, i) => String(from + i));

describe("GUEST-GPADL-2: the PFNs a GPADL carries", () => {
  it("the first GPADL lists pages 0x1000.., the next 0x2000..; header then body continue the list", () => {
    const g = connected(Version.WIN10, [1, 2]);
    g.posted.length = 0;
    driver(g, { kind: "openChannel", relid: 1, sendPages: 15, recvPages: 15 }); // 30 PFNs: 26 in the header, 4 in a body
    driver(g, { kind: "openChannel", relid: 2, sendPages: 1, recvPages: 2 });
    postAll(g);
    const sent = g.posted.map((p) => p.message);
    expect(sent).toEqual([
      { type: "GpadlHeader", childRelid: 1, gpadl: H, rangeBufferLength: 8 + 8 * 30, rangeCount: 1, ranges: [{ byteCount: 30 * 4096, byteOffset: 0, pfns: pfns(0x1000, 26) }] },
      { type: "GpadlBody", msgNumber: 0, gpadl: H, pfns: pfns(0x1000 + 26, 4) },
      { type: "GpadlHeader", childRelid: 2, gpadl: H + 1, rangeBufferLength: 8 + 8 * 3, rangeCount: 1, ranges: [{ byteCount: 3 * 4096, byteOffset: 0, pfns: pfns(0x2000, 3) }] },
    ]);
  });
  it("gpadlPfns is a pure function of handle and page count", () => {
    expect(gpadlPfns(H + 4, 2)).toEqual(["20480", "20481"]);
    expect(gpadlPfns(H, 0)).toEqual([]);
  });
  it("a page list too long for the u16 range_buflen yields no messages (the guest refuses such sizes before)", () => {
    expect(gpadlMessages(1, H, gpadlPfns(H, 8191))).toEqual([]);
    expect(gpadlMessages(1, H, gpadlPfns(H, 8190)).length).toBeGreaterThan(1);
  });
});
