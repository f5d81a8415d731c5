import { describe, expect, it } from "vitest";
import { hostileCatalogue } from "../../spec/system/hostile.js";
import { runCheck } from "../../src/explore/check.js";
import { judge, DEFAULT_CHECKS } from "../../src/explore/default.js";

describe("hostile guest", () => {
  it("qemu: finds QEMU defects #1 (GPADL_BODY for a complete GPADL), #2 (UNLOAD before INITIATE_CONTACT), #3 (range_buflen < 8)", async () => {
    const r = await runCheck({ profile: "qemu", channels: 1, gpadls: 0, depth: 16, maxStates: 200_000, hostile: true });
    const byRule = new Map(r.violations.map((v) => [v.rule, v]));
    for (const rule of ["HOST-QEMU-DEFECT-1", "HOST-QEMU-DEFECT-2", "HOST-QEMU-DEFECT-3"]) expect(byRule.get(rule)?.kind).toBe("defect");
    // #2's shortest trace: UNLOAD posted before any INITIATE_CONTACT, then the host runs.
    const d2 = byRule.get("HOST-QEMU-DEFECT-2")!;
    expect(d2.trace[0]).toMatchObject({ input: "hostilePost", messageType: 16, hex: "1000000000000000" });
    expect(d2.trace.some((s) => s.messageType === 14)).toBe(false);
    // #1: a GPADL_BODY (9) is the last message posted; #3: a GPADL_HEADER (8) with range_buflen 0 or 7.
    const d1 = byRule.get("HOST-QEMU-DEFECT-1")!;
    expect(d1.trace.filter((s) => s.messageType !== undefined).at(-1)!.messageType).toBe(9);
    const d3 = byRule.get("HOST-QEMU-DEFECT-3")!;
    const header = d3.trace.find((s) => s.messageType === 8)!;
    expect(parseInt(header.hex!.slice(34, 36) + header.hex!.slice(32, 34), 16)).toBeLessThan(8);
    // Each violation is reported once (deduplicated by kind and rule).
    expect(new Set(r.violations.map((v) => `${v.kind}/${v.rule}`)).size).toBe(r.violations.length);
  });

  it("strict: finds nothing", async () => {
    const r = await runCheck({ profile: "strict", channels: 1, gpadls: 0, depth: 11, maxStates: 200_000, hostile: true });
    expect(r.violations).toEqual([]);
    expect(r.states).toBeGreaterThan(1000);
  });

  it("the catalogue covers every message type 0..30 and the boundary lengths", () => {
    const cat = hostileCatalogue({ knownRelid: 1, lengths: true });
    const types = new Set(cat.filter((e) => e.payload.length >= 8).map((e) => parseInt(e.payload.slice(0, 2), 16)));
    for (const t of [0, 3, 5, 7, 8, 9, 11, 13, 14, 16, 18, 19, 21, 22, 25, 27, 29, 30]) expect(types.has(t)).toBe(true);
    const sizes = new Set(cat.map((e) => e.payloadSize));
    for (const n of [0, 7, 8, 240, 241]) expect(sizes.has(n)).toBe(true);
  });

  it("default-check judging: missing and unexpected rules fail", () => {
    const hostileQemu = DEFAULT_CHECKS.find((c) => c.options.hostile && c.options.profile === "qemu")!;
    const empty = { profile: "qemu" as const, hostile: true, channels: 1, gpadls: 0, states: 1, transitions: 0, depth: 0, complete: true, seconds: 0, statesPerSecond: 0, violations: [], runs: [] };
    expect(judge(hostileQemu, empty).missing).toEqual(["HOST-QEMU-DEFECT-1", "HOST-QEMU-DEFECT-2", "HOST-QEMU-DEFECT-3"]);
    const strict = DEFAULT_CHECKS.find((c) => !c.options.hostile && c.options.profile === "strict")!;
    const dirty = { ...empty, violations: [{ kind: "invariant" as const, rule: "SYS-OPEN-1", message: "x", trace: [] }] };
    expect(judge(strict, dirty)).toMatchObject({ ok: false, unexpected: ["SYS-OPEN-1"] });
  });
});
