/**
 * A device with a sub-channel (netvsc: primary + 1) under the checker: the guest opens both,
 * closes the primary (which closes the sub-channel first, GUEST-CLOSE-2), and with strict the
 * host may rescind either (GUEST-RESCIND-2, GUEST-RESCIND-3). Exhaustive and clean.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { explore } from "../../src/explore/bfs.js";
import { checkConfig } from "../../src/explore/check.js";

const netvsc = DEFAULT_DEVICES.find((d) => d.subChannels > 0)!;

describe("a primary and its sub-channel under the checker", () => {
  it.each([["strict", 1], ["qemu", 0]] as const)("%s, %d rescind(s): exhaustive, no violation", (profile, rescinds) => {
    const c = checkConfig({ profile, channels: 2, gpadls: 0, depth: 400, maxStates: 100_000, hostile: false, rescinds });
    const r = explore(specSystem, { ...c, host: { ...c.host, devices: [netvsc] } }, { maxDepth: 400, maxStates: 100_000 });
    expect(r.complete).toBe(true);
    expect(r.findings.map((f) => f.violation)).toEqual([]);
    expect(r.states).toBeGreaterThan(1000);
  });
});
