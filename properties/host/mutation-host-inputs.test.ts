/**
 * HOST-IN-1 for the inputs a JSON reader can hand hostStep (spec/host/host.ts): no object at all,
 * a device that is not an object. Each is one rejection and no change, under qemu and strict (openvmm: spec/host/openvmm).
 */
import { describe, expect, it } from "vitest";
import { hostStep, initialHostState } from "../../spec/host/host.js";
import type { HostInput } from "../../spec/host/interface.js";
import { config } from "./helpers.js";

describe("HOST-IN-1: inputs that are not HostInput objects", () => {
  it.each(["qemu", "strict"] as const)("%s: null, undefined, a number, a string device", (profile) => {
    const cfg = config(profile);
    const s = initialHostState(cfg);
    for (const bad of [null, undefined, 7, { kind: "deviceAdded", device: "netvsc" }, { kind: "deliveryResult", result: undefined }] as unknown as HostInput[]) {
      const r = hostStep(cfg, s, bad);
      expect(r.outputs.map((o) => (o.kind === "rejected" ? o.rule : o.kind))).toEqual(["HOST-IN-1"]);
      expect(r.state).toEqual(s);
    }
  });
});
