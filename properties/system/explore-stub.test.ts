import { describe, expect, it } from "vitest";
import { DEFAULT_GUEST_CONFIG } from "../../spec/guest/config.js";
import { DEFAULT_DRIVER, type SystemConfig } from "../../spec/system/config.js";
import { createSystem } from "../../spec/system/system.js";
import { explore } from "../../src/explore/bfs.js";
import { stubHost, type StubConfig } from "./stub-host.js";

const system = createSystem(stubHost);
const config = (host: StubConfig, extra: Partial<SystemConfig<StubConfig>> = {}): SystemConfig<StubConfig> => ({
  host,
  guest: DEFAULT_GUEST_CONFIG,
  driver: DEFAULT_DRIVER,
  rescinds: 0,
  ...extra,
});

describe("explorer against the stub host", () => {
  it("a correct host and the Linux-like guest: no violation, bounded search completes", () => {
    const r = explore(system, config({ channels: 2 }, { driver: { ...DEFAULT_DRIVER, channels: 2 } }), { maxDepth: 200, maxStates: 200_000 });
    console.log(r.states, r.transitions, r.depth, r.complete, JSON.stringify(r.findings.map((f) => f.violation)));
    expect(r.findings).toEqual([]);
    expect(r.complete).toBe(true);
  });
});

import { specSystem } from "../../spec/system/spec-host.js";
import type { HostConfig } from "../../spec/host/host.js";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
describe("explorer against spec/host (dev)", () => {
  for (const profile of ["strict", "qemu", "openvmm"] as const) {
    it(profile, () => {
      const host: HostConfig = { profile, devices: DEFAULT_DEVICES.slice(1), vcpuCount: 1 };
      const c: SystemConfig<HostConfig> = { host, guest: DEFAULT_GUEST_CONFIG, driver: DEFAULT_DRIVER, rescinds: 0 };
      const t = Date.now();
      const r = explore(specSystem, c, { maxDepth: 200, maxStates: 100_000 });
      console.log(profile, r.states, r.transitions, r.depth, r.complete, Date.now() - t, "ms", JSON.stringify(r.findings.map((f) => [f.violation, f.trace.length])));
    });
  }
});
