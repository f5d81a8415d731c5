import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hostileCatalogue, liveCatalogue } from "../../spec/system/hostile.js";
import { checkInvariants, stepViolations } from "../../spec/system/invariants.js";
import { stepOutcomes } from "../../spec/system/outcomes.js";
import { recordRun, replayRun } from "../../spec/system/run.js";
import { specSystem } from "../../spec/system/spec-host.js";
import type { SystemInput } from "../../spec/system/inputs.js";
import { HvStatus } from "../../spec/wire/constants.js";
import { explore } from "../../src/explore/bfs.js";
import { checkConfig, runCheck, type CheckReport } from "../../src/explore/check.js";
import { judge, DEFAULT_CHECKS } from "../../src/explore/default.js";
import { choicesArb, walk } from "./walk.js";

const rows = (r: CheckReport): Set<number | null> => new Set(r.outcomes.map((o) => o.row));
const mixed = (profile: "qemu" | "strict") =>
  ({ profile, channels: 1, offers: 2, gpadls: 0, depth: 400, maxStates: 200_000, hostile: true, hostileStart: "open", hostilePosts: 2 }) as const;

describe("hostile guest from boot (posts at any time, budget of posts per run)", () => {
  it("qemu: finds QEMU defects #2 (UNLOAD before INITIATE_CONTACT) and #3 (range_buflen < 8); quirks #10, #11 are outcomes, not violations", async () => {
    const r = await runCheck({ profile: "qemu", channels: 1, gpadls: 0, depth: 100, maxStates: 200_000, hostile: true, hostilePosts: 2 });
    expect(r.complete).toBe(true);
    const byRule = new Map(r.violations.map((v) => [v.rule, v]));
    for (const rule of ["HOST-QEMU-DEFECT-2", "HOST-QEMU-DEFECT-3"]) expect(byRule.get(rule)?.kind).toBe("defect");
    // Only defects are violations: drops, rejections and device resets are protocol outcomes.
    for (const v of r.violations) expect(v.kind).toBe("defect");
    // #2's shortest trace: UNLOAD posted before any INITIATE_CONTACT, then the host runs.
    const d2 = byRule.get("HOST-QEMU-DEFECT-2")!;
    expect(d2.trace[0]).toMatchObject({ input: "hostilePost", messageType: 16, hex: "1000000000000000" });
    expect(d2.trace.some((s) => s.messageType === 14)).toBe(false);
    const d3 = byRule.get("HOST-QEMU-DEFECT-3")!;
    const header = d3.trace.find((s) => s.messageType === 8)!;
    expect(parseInt(header.hex!.slice(34, 36) + header.hex!.slice(32, 34), 16)).toBeLessThan(8);
    expect(new Set(r.violations.map((v) => `${v.kind}/${v.rule}`)).size).toBe(r.violations.length);
    // #10: a message posted while UNLOAD is answered is dropped (needs a post while the queue is non-empty).
    const unload = r.outcomes.find((o) => o.rule === "HOST-UNLOAD-1")!;
    expect(unload.row).toBe(10);
    expect(unload.trace.filter((s) => s.input === "hostilePost")).toHaveLength(2);
    expect(rows(r)).toContain(11);
    expect(rows(r)).toContain(9);
  });

  it("qemu: 3 posts reach defect #1 (GPADL_BODY for a complete GPADL) from boot", () => {
    // The INITIATE_CONTACT and GPADL entries of the catalogue only: 3 posts of the whole catalogue take ~13 s.
    const c = checkConfig({ profile: "qemu", channels: 1, gpadls: 0, depth: 0, maxStates: 0, hostile: true, hostilePosts: 3 });
    const catalogue = c.hostile!.catalogue.filter((e) => /^(INITIATE_CONTACT 4\.0|GPADL_)/.test(e.label));
    const r = explore(specSystem, { ...c, hostile: { ...c.hostile!, catalogue } }, { maxDepth: 100, maxStates: 100_000 });
    expect(r.complete).toBe(true);
    const d1 = r.findings.find((f) => f.violation.rule === "HOST-QEMU-DEFECT-1")!;
    expect(d1.violation.kind).toBe("defect");
    const posts = d1.trace.filter((t) => t.input.kind === "hostilePost").map((t) => (t.input.kind === "hostilePost" ? t.input.label : ""));
    expect(posts).toHaveLength(3);
    expect(posts[0]).toMatch(/^INITIATE_CONTACT 4\.0/);
    expect(posts[2]).toMatch(/^GPADL_BODY/);
  });

  it("strict: finds nothing", async () => {
    const r = await runCheck({ profile: "strict", channels: 1, gpadls: 0, depth: 100, maxStates: 200_000, hostile: true, hostilePosts: 2 });
    expect(r.complete).toBe(true);
    expect(r.violations).toEqual([]);
    expect(r.states).toBeGreaterThan(1000);
    expect(r.outcomes.length).toBeGreaterThan(0);
    expect(r.outcomes.every((o) => o.row === null)).toBe(true);
  });
});

describe("mixed mode: the Linux-like guest opens a channel, then hostile posts naming live ids", () => {
  it("qemu: finds defects #1-#3 and quirks #5, #10, #11, #12 (OPEN on a torn-down GPADL) as outcomes", async () => {
    const r = await runCheck(mixed("qemu"));
    expect(r.complete).toBe(true);
    const found = new Set(r.violations.map((v) => v.rule));
    for (const rule of ["HOST-QEMU-DEFECT-1", "HOST-QEMU-DEFECT-2", "HOST-QEMU-DEFECT-3"]) expect(found).toContain(rule);
    for (const v of r.violations) expect(v.kind).toBe("defect");
    for (const n of [5, 10, 11, 12]) expect(rows(r)).toContain(n);
    // #1 here uses the live ring GPADL of the guest (not the catalogue's constant 1).
    const d1 = r.violations.find((v) => v.rule === "HOST-QEMU-DEFECT-1")!;
    expect(d1.trace.filter((s) => s.input === "hostilePost").at(-1)!.description).toMatch(/^hostile post live GPADL_BODY gpadl=0x/);
    expect(d1.trace.some((s) => s.input === "driver")).toBe(true);
    // #12: the guest opened channel 1 on its ring GPADL; the hostile guest tore that GPADL down and
    // opened channel 2 naming it.
    const o12 = r.outcomes.find((o) => o.row === 12)!;
    const hostile = o12.trace.filter((s) => s.input === "hostilePost").map((s) => s.description);
    expect(hostile).toHaveLength(2);
    expect(hostile[0]).toMatch(/live GPADL_TEARDOWN gpadl=0x/);
    expect(hostile[1]).toMatch(/live OPENCHANNEL relid=2 gpadl=0x/);
    expect(o12.trace.some((s) => s.input === "driver" && s.description.includes("openChannel relid=1"))).toBe(true);
  });

  it("strict: finds nothing", async () => {
    const r = await runCheck(mixed("strict"));
    expect(r.complete).toBe(true);
    expect(r.violations).toEqual([]);
  });

  it("strict: random mixed-mode walks (3 posts after connected) break nothing and replay byte for byte", () => {
    const config = checkConfig({ profile: "strict", channels: 2, gpadls: 1, depth: 0, maxStates: 0, hostile: true, hostileStart: "connected", hostilePosts: 3 });
    fc.assert(
      fc.property(choicesArb(120), (choices) => {
        const w = walk(specSystem, config, choices);
        expect(w.violations).toEqual([]);
        const run = recordRun(specSystem, config, w.inputs);
        expect(replayRun(specSystem, config, run)).toEqual({ ok: true, steps: run.length });
      }),
      { numRuns: 40 },
    );
  });

  it("the hostile guest is armed only at its start point, and the driver script stops there", () => {
    const config = checkConfig({ profile: "qemu", channels: 1, gpadls: 0, depth: 0, maxStates: 0, hostile: true, hostileStart: "open", hostilePosts: 1 });
    let s = specSystem.initial(config);
    let armedAt = -1;
    for (let i = 0; i < 200 && armedAt < 0; i++) {
      const e = specSystem.enabled(config, s);
      expect(e.some((x) => x.kind === "hostilePost")).toBe(s.hostile.armed);
      // Prefer the well-behaved guest's own progress (first non-hostile input).
      s = specSystem.step(config, s, e.find((x) => x.kind !== "hostilePost")!).state;
      if (s.hostile.armed) armedAt = i;
    }
    expect(armedAt).toBeGreaterThan(0);
    expect(s.guest!.channels.some((c) => c.phase.name === "opened")).toBe(true);
    const e = specSystem.enabled(config, s);
    expect(e.some((x) => x.kind === "driver")).toBe(false);
    const live = e.filter((x): x is Extract<SystemInput, { kind: "hostilePost" }> => x.kind === "hostilePost" && x.label.startsWith("live"));
    const ring = s.guest!.gpadls[0]!.handle;
    expect(live.some((x) => x.label === `live GPADL_BODY gpadl=0x${ring.toString(16)}`)).toBe(true);
    // After the one post of the budget nothing hostile is enabled any more.
    const after = specSystem.step(config, s, live[0]!).state;
    expect(specSystem.enabled(config, after).some((x) => x.kind === "hostilePost")).toBe(false);
  });
});

describe("a full queue answers INSUFFICIENT_BUFFERS: a protocol outcome, not a violation", () => {
  const oneEntry = (profile: "qemu" | "strict", posts: number) => {
    const c = checkConfig({ profile, channels: 1, gpadls: 0, depth: 0, maxStates: 0, hostile: true, hostilePosts: posts });
    const entry = c.hostile!.catalogue.find((e) => e.label === "REQUESTOFFERS")!;
    return { ...c, hostile: { ...c.hostile!, catalogue: [entry], live: false } };
  };

  it("qemu: the 17th post while 16 are queued gets INSUFFICIENT_BUFFERS (HOST-HC-6), and no violation", () => {
    const config = oneEntry("qemu", 17);
    let s = specSystem.initial(config);
    const statuses: number[] = [];
    for (let i = 0; i < 17; i++) {
      const input = specSystem.enabled(config, s).find((x) => x.kind === "hostilePost")!;
      expect(input).toBeDefined(); // enabled although the queue is non-empty
      const before = specSystem.host.view(s.host);
      const r = specSystem.step(config, s, input);
      for (const o of r.outputs) if (o.source === "transport" && o.event.kind === "post") statuses.push(o.event.status);
      expect(stepViolations(r.outputs, true)).toEqual([]);
      const outcomes = stepOutcomes(r.outputs, () => before, () => specSystem.host.view(r.state.host));
      expect(outcomes.some((o) => o.rule === "HOST-HC-6")).toBe(i === 16);
      s = r.state;
      expect(checkInvariants(specSystem.host, config, s)).toEqual([]);
    }
    expect(statuses.slice(0, 16).every((x) => x === HvStatus.SUCCESS)).toBe(true);
    expect(statuses[16]).toBe(HvStatus.INSUFFICIENT_BUFFERS);
    expect(specSystem.host.view(s.host).queuedIncoming).toBe(16);
  });

  it("the checker reaches it (17 posts of one message, any interleaving with host runs) and reports it as an outcome only", () => {
    const r = explore(specSystem, oneEntry("qemu", 17), { maxDepth: 200, maxStates: 50_000 });
    expect(r.complete).toBe(true);
    expect(r.findings).toEqual([]);
    const full = r.outcomes.find((o) => o.outcome.rule === "HOST-HC-6")!;
    expect(full).toBeDefined();
    expect(full.trace).toHaveLength(17);
    expect(full.trace.every((t) => t.input.kind === "hostilePost")).toBe(true);
  });
});

describe("catalogues", () => {
  it("the catalogue covers every message type 0..30 and the boundary lengths", () => {
    const cat = hostileCatalogue({ knownRelid: 1, lengths: true });
    const types = new Set(cat.filter((e) => e.payload.length >= 8).map((e) => parseInt(e.payload.slice(0, 2), 16)));
    for (const t of [0, 3, 5, 7, 8, 9, 11, 13, 14, 16, 18, 19, 21, 22, 25, 27, 29, 30]) expect(types.has(t)).toBe(true);
    const sizes = new Set(cat.map((e) => e.payloadSize));
    for (const n of [0, 7, 8, 240, 241]) expect(sizes.has(n)).toBe(true);
  });

  it("the live catalogue names every live relid and GPADL id, and repeats no fixed entry", () => {
    const fixed = hostileCatalogue({ knownRelid: 1, lengths: true });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 2047 }), { maxLength: 3 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 0xffffffff }), { maxLength: 3 }),
        (relids, ids) => {
          const gpadls = ids.map((id, i) => ({ id, childRelid: relids[i % Math.max(1, relids.length)] ?? 1 }));
          const live = liveCatalogue({ relids, gpadls }, fixed);
          const keys = new Set(fixed.map((e) => `${e.connectionId}/${e.payloadSize}/${e.payload}`));
          for (const e of live) expect(keys.has(`${e.connectionId}/${e.payloadSize}/${e.payload}`)).toBe(false);
          const u32 = (hex: string, at: number): number => (hex.length >= 2 * at + 8 ? Buffer.from(hex.slice(2 * at, 2 * at + 8), "hex").readUInt32LE(0) : -1);
          for (const g of gpadls) {
            expect(live.some((e) => u32(e.payload, 0) === 9 && u32(e.payload, 12) === g.id) || fixed.some((e) => u32(e.payload, 0) === 9 && e.payload.length >= 32 && u32(e.payload, 12) === g.id)).toBe(true);
            for (const r of relids)
              expect(live.some((e) => u32(e.payload, 0) === 5 && u32(e.payload, 8) === r && u32(e.payload, 16) === g.id) || (r === 1 && g.id === 1)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("default-check judging", () => {
  it("missing and unexpected rules fail", () => {
    const mixedQemu = DEFAULT_CHECKS.find((c) => c.options.hostileStart === "open" && c.options.profile === "qemu")!;
    const empty = { profile: "qemu" as const, hostile: true, channels: 1, gpadls: 0, states: 1, transitions: 0, depth: 0, complete: true, seconds: 0, statesPerSecond: 0, violations: [], outcomes: [], runs: [] };
    expect(judge(mixedQemu, empty).missing).toEqual(["HOST-QEMU-DEFECT-1", "HOST-QEMU-DEFECT-2", "HOST-QEMU-DEFECT-3", "QEMU quirk Q5", "QEMU quirk Q10", "QEMU quirk Q11", "QEMU quirk Q12"]);
    const strict = DEFAULT_CHECKS.find((c) => !c.options.hostile && c.options.profile === "strict")!;
    const dirty = { ...empty, violations: [{ kind: "invariant" as const, rule: "SYS-OPEN-1", message: "x", trace: [] }] };
    expect(judge(strict, dirty)).toMatchObject({ ok: false, unexpected: ["SYS-OPEN-1"] });
    for (const c of DEFAULT_CHECKS.filter((x) => x.options.profile === "strict")) expect(c.allowOthers).toBe(false);
  });
});
