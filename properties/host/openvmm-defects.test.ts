/** Guest-reachable panics of OpenVMM vmbus_server at 1488a37b (HOST-OPENVMM-DEFECT-n), found by the checker or by a scenario. */
import { describe, expect, it } from "vitest";
import { explore } from "../../src/explore/bfs.js";
import { checkConfig } from "../../src/explore/check.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { Harness, config, gpadlMessages, initiate } from "./helpers.js";

describe("openvmm defects", () => {
  it("HOST-OPENVMM-DEFECT-1: the hostile checker finds VERSION_RESPONSE from the guest (channels.rs:3729) with a one-post trace", () => {
    const c = checkConfig({ profile: "openvmm", channels: 1, gpadls: 0, depth: 0, maxStates: 0, hostile: true, hostilePosts: 1 });
    const catalogue = c.hostile!.catalogue.filter((e) => /^(VERSION_RESPONSE|UNLOAD|REQUESTOFFERS)/.test(e.label));
    const r = explore(specSystem, { ...c, hostile: { ...c.hostile!, catalogue } }, { maxDepth: 20, maxStates: 20_000 });
    const d = r.findings.find((f) => f.violation.rule === "HOST-OPENVMM-DEFECT-1")!;
    expect(d.violation.kind).toBe("defect");
    const posts = d.trace.filter((t) => t.input.kind === "hostilePost");
    expect(posts).toHaveLength(1);
    expect(d.trace.length).toBe(2); // post, then the host runs
  });

  it("HOST-OPENVMM-DEFECT-2 and HOST-OPENVMM-RESERVED-3: a reserved channel closed between reconnect and REQUESTOFFERS trips channels.rs:2742", () => {
    const h = new Harness(config("openvmm"));
    h.send(initiate(0x40000));
    h.send({ type: "RequestOffers" });
    for (const m of gpadlMessages(1, 9, 4)) h.send(m);
    h.send({ type: "OpenReservedChannel", channelId: 1, targetVp: 0, targetSint: 2, ringBufferGpadl: 9, downstreamPageOffset: 2 });
    h.send(initiate(0x40000));
    h.settle();
    expect(h.state.channels.find((c) => c.relid === 1)?.isOpen).toBe(true); // survives the reconnect
    h.send({ type: "CloseReservedChannel", channelId: 1, targetVp: 0, targetSint: 2 });
    h.send({ type: "RequestOffers" });
    h.settle();
    expect(h.defects()).toEqual(["HOST-OPENVMM-DEFECT-2"]);
    // HOST-OPENVMM-CRASHED-1: nothing is processed afterwards; posts succeed and are dropped.
    expect(h.send({ type: "RequestOffers" })).toBe(0);
    expect(h.rejections()).toContain("HOST-OPENVMM-CRASHED-1");
  });
});
