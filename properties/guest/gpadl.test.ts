import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Limits } from "../../spec/wire/constants.js";
import type { GpadlBody, GpadlHeader } from "../../spec/wire/messages.js";
import { connected, driver, host, postAll, types } from "./harness.js";
import { Version } from "../../spec/wire/versions.js";

describe("guest GPADLs (GUEST-GPADL-*)", () => {
  it("GUEST-GPADL-1, GUEST-GPADL-2: a ring GPADL is one header (≤ 26 PFNs) + bodies (≤ 28 PFNs) carrying every page once, handles from 0xE1E10", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 150 }), fc.integer({ min: 1, max: 150 }), (send, recv) => {
        const g = connected(Version.WIN10);
        driver(g, { kind: "openChannel", relid: 1, sendPages: send, recvPages: recv });
        const msgs = g.state.outbox.map((o) => o.message);
        const header = msgs[0] as GpadlHeader;
        const bodies = msgs.slice(1) as GpadlBody[];
        expect(header.type).toBe("GpadlHeader");
        expect(header.gpadl).toBe(Limits.LINUX_FIRST_GPADL_HANDLE);
        expect(header.rangeCount).toBe(1);
        expect(header.rangeBufferLength).toBe(8 + 8 * (send + recv));
        expect(header.ranges[0]!.byteOffset).toBe(0);
        expect(header.ranges[0]!.byteCount).toBe((send + recv) * 4096);
        expect(header.ranges[0]!.pfns.length).toBeLessThanOrEqual(26);
        for (const b of bodies) {
          expect(b.type).toBe("GpadlBody");
          expect(b.pfns.length).toBeGreaterThan(0);
          expect(b.pfns.length).toBeLessThanOrEqual(28);
          expect(b.gpadl).toBe(header.gpadl);
        }
        const all = [...header.ranges[0]!.pfns, ...bodies.flatMap((b) => b.pfns)];
        expect(all.length).toBe(send + recv);
        expect(new Set(all).size).toBe(send + recv);
        expect(bodies.length).toBe(Math.max(0, Math.ceil((send + recv - 26) / 28)));
      }),
      { numRuns: 60 },
    );
  });

  it("26 pages fit the header alone; 27 need one body; 26 + 28 = 54 one body; 55 two", () => {
    for (const [pages, nBodies] of [[26, 0], [27, 1], [54, 1], [55, 2]] as const) {
      const g = connected(Version.WIN10);
      driver(g, { kind: "openChannel", relid: 1, sendPages: pages - 1, recvPages: 1 });
      expect(g.state.outbox.length - 1).toBe(nBodies);
    }
  });

  it("GUEST-GPADL-1: handles increase globally across channels and buffers", () => {
    const g = connected(Version.WIN10, [1, 2]);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 2, recvPages: 2 });
    driver(g, { kind: "openChannel", relid: 2, sendPages: 2, recvPages: 2 });
    const ids = g.state.gpadls.map((x) => x.handle);
    expect(ids).toEqual([0xe1e10, 0xe1e11]);
  });

  it("GUEST-GPADL-2: header and bodies are posted back-to-back; the guest waits for GPADL_CREATED only after the last one", () => {
    const g = connected(Version.WIN10);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 30, recvPages: 30 });
    const before = g.outputs.length;
    postAll(g);
    const waits = g.outputs.slice(before).filter((o) => o.kind === "wait");
    expect(waits).toEqual([{ kind: "wait", wait: { for: "GpadlCreated", relid: 1, gpadl: 0xe1e10 } }]);
    expect(types(g).slice(-3)).toEqual(["GpadlHeader", "GpadlBody", "GpadlBody"]);
  });

  it("GPADL_CREATED with non-zero status fails the open and leaves no GPADL (GUEST-GPADL-3)", () => {
    const g = connected(Version.WIN10);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 2, recvPages: 2 });
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: 1, gpadl: 0xe1e10, creationStatus: 0x8000ffff });
    expect(g.state.gpadls).toEqual([]);
    expect(g.state.channels[0]!.phase).toEqual({ name: "offered" });
    expect(g.state.outbox).toEqual([]);
  });

  it("GPADL_CREATED must match (child_relid, gpadl)", () => {
    const g = connected(Version.WIN10);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 2, recvPages: 2 });
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: 2, gpadl: 0xe1e10, creationStatus: 0 });
    host(g, { type: "GpadlCreated", childRelid: 1, gpadl: 0xe1e11, creationStatus: 0 });
    expect(g.state.gpadls[0]!.state).toBe("creating");
    expect(g.outputs.filter((o) => o.kind === "ignored")).toHaveLength(2);
  });
});

import { guestPostable } from "../../spec/guest/guest.js";
describe("post lanes (Linux's concurrent driver threads)", () => {
  it("two channels opening: each channel's lane is postable, order kept within a lane", () => {
    const g = connected(Version.WIN10, [1, 2]);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 30, recvPages: 30 });
    driver(g, { kind: "openChannel", relid: 2, sendPages: 2, recvPages: 2 });
    const heads = guestPostable(g.config, g.state);
    expect(heads.map((h) => [h.lane, h.message.type])).toEqual([[1, "GpadlHeader"], [2, "GpadlHeader"]]);
    expect(guestPostable({ ...g.config, parallelLanes: false }, g.state).map((h) => h.lane)).toEqual([1]);
  });
});
