/** Guest-reachable panics of OpenVMM vm/devices/vmbus/vmbus_server at 1488a37b (HOST-OPENVMM-DEFECT-n), found by the hostile checker. */
import { describe, expect, it } from "vitest";
import type { HostConfig, HostState } from "../../spec/host/host.js";
import type { SystemConfig } from "../../spec/system/config.js";
import type { SystemInput } from "../../spec/system/inputs.js";
import { specSystem } from "../../spec/system/spec-host.js";
import type { SystemState } from "../../spec/system/state.js";
import { explore } from "../../src/explore/bfs.js";
import { checkConfig } from "../../src/explore/check.js";
import { Harness, config, gpadlMessages, initiate } from "./helpers.js";

const hostile = (labels: RegExp, posts: number): SystemConfig<HostConfig> => {
  const c = checkConfig({ profile: "openvmm", channels: 1, gpadls: 0, depth: 0, maxStates: 0, hostile: true, hostilePosts: posts });
  return { ...c, hostile: { ...c.hostile!, live: false, catalogue: c.hostile!.catalogue.filter((e) => labels.test(e.label)) } };
};
const postLabels = (trace: readonly { input: SystemInput }[]): string[] => trace.flatMap((t) => (t.input.kind === "hostilePost" ? [t.input.label] : []));

/** Post one catalogue entry, then let the host run and every reply be delivered and read. */
const settleAfter = (cfg: SystemConfig<HostConfig>, s: SystemState<HostState>, label: string): SystemState<HostState> => {
  const e = cfg.hostile!.catalogue.find((x) => x.label === label)!;
  s = specSystem.step(cfg, s, { kind: "hostilePost", ...e }).state;
  for (let i = 0; i < 100; i++) {
    const next = specSystem.enabled(cfg, s).find((x) => x.kind === "hostRun" || x.kind === "deliver" || x.kind === "guestReceive");
    if (!next) break;
    s = specSystem.step(cfg, s, next).state;
  }
  return s;
};

describe("openvmm defects (hostile checker, shortest traces)", () => {
  it("HOST-OPENVMM-DEFECT-1: VERSION_RESPONSE from the guest reaches unreachable! (channels.rs:3729): post, run", () => {
    const r = explore(specSystem, hostile(/^(VERSION_RESPONSE|UNLOAD|REQUESTOFFERS)/, 1), { maxDepth: 20, maxStates: 20_000 });
    const d = r.findings.find((f) => f.violation.rule === "HOST-OPENVMM-DEFECT-1")!;
    expect(d.violation.kind).toBe("defect");
    expect(postLabels(d.trace)).toEqual(["VERSION_RESPONSE (host-to-guest type)"]);
    expect(d.trace.map((t) => t.input.kind)).toEqual(["hostilePost", "hostRun"]);
  });

  it("HOST-OPENVMM-DEFECT-3: MODIFY_CONNECTION with one monitor page panics (channels.rs:3620): 2 posts, 2 runs", () => {
    const r = explore(specSystem, hostile(/^(INITIATE_CONTACT 6\.0 features|MODIFY_CONNECTION|PAUSE|VERSION_RESPONSE)/, 2), { maxDepth: 20, maxStates: 50_000 });
    expect(r.complete).toBe(true);
    const d = r.findings.find((f) => f.violation.rule === "HOST-OPENVMM-DEFECT-3")!;
    expect(d.violation.kind).toBe("defect");
    expect(postLabels(d.trace)).toEqual(["INITIATE_CONTACT 6.0 features=0x25", "MODIFY_CONNECTION one monitor page"]);
    expect(d.trace).toHaveLength(4);
  });

  it("HOST-OPENVMM-DEFECT-4: a reply to SINT 16 indexes the backend's SINT queues out of bounds (message_queues.rs:88): post, run", () => {
    const r = explore(specSystem, hostile(/^(INITIATE_CONTACT 5\.0 on conn 4|REQUESTOFFERS)/, 1), { maxDepth: 20, maxStates: 20_000 });
    const d = r.findings.find((f) => f.violation.rule === "HOST-OPENVMM-DEFECT-4")!;
    expect(d.violation.kind).toBe("defect");
    expect(postLabels(d.trace)).toEqual(["INITIATE_CONTACT 5.0 on conn 4 sint=16"]);
    expect(d.trace).toHaveLength(2);
  });

  it("HOST-OPENVMM-DEFECT-4 through CLOSE_RESERVED_CHANNEL; a missing VP drops the reply instead", () => {
    const h = new Harness(config("openvmm"));
    h.send(initiate(0x40000));
    h.send({ type: "RequestOffers" });
    for (const m of gpadlMessages(1, 9, 4)) h.send(m);
    h.send({ type: "OpenReservedChannel", channelId: 1, targetVp: 0, targetSint: 2, ringBufferGpadl: 9, downstreamPageOffset: 2 });
    h.send({ type: "CloseReservedChannel", channelId: 1, targetVp: 7, targetSint: 16 });
    h.settle();
    expect(h.defects()).toEqual([]);
    h.send({ type: "OpenReservedChannel", channelId: 1, targetVp: 0, targetSint: 0x110, ringBufferGpadl: 9, downstreamPageOffset: 2 }); // `as u8`: 0x10
    h.settle();
    expect(h.defects()).toEqual(["HOST-OPENVMM-DEFECT-4"]);
  });

  it("HOST-OPENVMM-DEFECT-2: from a connected state with a complete GPADL, the checker finds OPEN_RESERVED, INITIATE_CONTACT, CLOSE_RESERVED, REQUESTOFFERS (channels.rs:2742)", () => {
    // From boot the trace needs 7 posts (depth ≥ 14), beyond a bounded test: the BFS starts after
    // INITIATE_CONTACT 4.0, REQUESTOFFERS and a complete ring GPADL on channel 1, all settled.
    const cfg = hostile(/^(INITIATE_CONTACT 4\.0|REQUESTOFFERS|OPEN_RESERVED_CHANNEL|CLOSE_RESERVED_CHANNEL|GPADL_TEARDOWN relid=1)$/, 7);
    const full = checkConfig({ profile: "openvmm", channels: 1, gpadls: 0, depth: 0, maxStates: 0, hostile: true, hostilePosts: 7 }).hostile!.catalogue;
    let s = specSystem.initial(cfg);
    s = settleAfter(cfg, s, "INITIATE_CONTACT 4.0");
    s = settleAfter(cfg, s, "REQUESTOFFERS");
    s = settleAfter({ ...cfg, hostile: { ...cfg.hostile!, catalogue: full } }, s, "GPADL_HEADER relid=1 4 pages complete");
    const start = s;
    const r = explore({ ...specSystem, initial: () => start }, cfg, { maxDepth: 12, maxStates: 150_000 });
    const d = r.findings.find((f) => f.violation.rule === "HOST-OPENVMM-DEFECT-2")!;
    expect(d.violation.kind).toBe("defect");
    expect(postLabels(d.trace)).toEqual(["OPEN_RESERVED_CHANNEL", "INITIATE_CONTACT 4.0", "CLOSE_RESERVED_CHANNEL", "REQUESTOFFERS"]);
  });

  it("HOST-OPENVMM-DEFECT-2, HOST-OPENVMM-RESERVED-3, HOST-OPENVMM-CRASHED-1 as a host scenario", () => {
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
    // Nothing is processed afterwards; posts succeed and are dropped.
    expect(h.send({ type: "RequestOffers" })).toBe(0);
    expect(h.rejections()).toContain("HOST-OPENVMM-CRASHED-1");
    expect(h.settle()).toEqual([]);
  });
});
