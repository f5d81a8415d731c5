/**
 * hostStep's QEMU-only branches (spec/host/host.ts): a rescind request is refused by QEMU alone
 * (HOST-RESCIND-3), and the stall check of QEMU's incoming queue (HOST-QEMU-DEFECT-9) judges
 * QEMU alone: the queue model holds guest messages until its next run by design.
 */
import { describe, expect, it } from "vitest";
import { Version } from "../../spec/wire/versions.js";
import { connected, initiate, Harness, config, post } from "./helpers.js";

describe("HOST-RESCIND-3: QEMU never rescinds", () => {
  it("a rescind request is rejected by QEMU and changes nothing; the strict host rescinds", () => {
    const q = connected("qemu", Version.WIN10);
    const before = q.state;
    expect(q.step({ kind: "rescindChannel", relid: 1 })).toEqual([expect.objectContaining({ kind: "rejected", rule: "HOST-RESCIND-3" })]);
    expect(q.state).toEqual(before);
    expect(q.settle()).toEqual([]);

    const s = connected("strict", Version.WIN10);
    s.step({ kind: "rescindChannel", relid: 1 });
    expect(s.rejections()).toEqual([]);
    expect(s.settle()).toEqual([{ type: "RescindChannelOffer", childRelid: 1 }]);
  });
});

describe("HOST-QEMU-DEFECT-9 is QEMU's alone", () => {
  it("a guest message queued on the strict host until its next run is no stall", () => {
    const h = new Harness(config("strict"));
    const out = h.step(post(initiate(Version.WIN10)));
    expect(h.state.rxQueue).toHaveLength(1);
    expect(h.state.runPending).toBe(false);
    expect(out.filter((o) => o.kind === "defect")).toEqual([]);
    expect(h.settle()).toMatchObject([{ type: "VersionResponse", versionSupported: 1 }]);
    expect(h.defects()).toEqual([]);
  });
});
