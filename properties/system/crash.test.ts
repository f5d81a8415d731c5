/**
 * Delivery failures the guest causes (QEMU hw/hyperv/hyperv.c cpu_post_msg: no SynIC message
 * page → -ENXIO; a masked SINT: written but never read) and what they expose in QEMU's
 * scheduling (HOST-RUN-5): the Linux-like guest's crash path (kdump: UNLOAD posted, SynIC
 * disabled, a fresh kernel connects) and the hostile guest's SynIC actions.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkConfig, runCheck } from "../../src/explore/check.js";
import { specSystem } from "../../spec/system/spec-host.js";
import type { SystemInput } from "../../spec/system/inputs.js";

const firstTrace = (r: Awaited<ReturnType<typeof runCheck>>, rule: string) => r.violations.find((v) => v.rule === rule)?.trace;

describe("Linux-like guest crashing into kdump", () => {
  it("qemu: HOST-QEMU-DEFECT-9 (stall), HOST-QEMU-DEFECT-2 and SYS-DEADLOCK-1 (the kdump kernel waits for ever), with shortest traces", async () => {
    const r = await runCheck({ profile: "qemu", channels: 0, gpadls: 0, depth: 400, maxStates: 100_000, hostile: false, crash: true });
    expect(r.complete).toBe(true);
    const rules = new Set(r.violations.map((v) => v.rule));
    expect([...rules].sort()).toEqual(["HOST-QEMU-DEFECT-2", "HOST-QEMU-DEFECT-9", "SYS-DEADLOCK-1"]);
    const stall = firstTrace(r, "HOST-QEMU-DEFECT-9")!;
    const inputs = stall.map((t) => t.input);
    // The crash comes while QEMU is busy; the fatal delivery is the last step.
    expect(inputs).toContain("guestCrash");
    expect(stall.at(-1)!.input).toBe("deliver");
    expect(stall.at(-1)!.notes.join("\n")).toMatch(/failed \(-6: SynIC message page disabled\)/);
    expect(firstTrace(r, "SYS-DEADLOCK-1")!.map((t) => t.input)).toContain("kdumpBoot");
  });
  it("strict: the same crash path is clean", async () => {
    const r = await runCheck({ profile: "strict", channels: 1, gpadls: 0, depth: 400, maxStates: 100_000, hostile: false, crash: true });
    expect(r.complete).toBe(true);
    expect(r.violations).toEqual([]);
  });
  it("the crash posts UNLOAD, drains the slot, disables the message page and masks the SINT; the kdump kernel re-enables both and connects again", () => {
    const config = checkConfig({ profile: "qemu", channels: 0, gpadls: 0, depth: 1, maxStates: 1, hostile: false, crash: true });
    let s = specSystem.initial(config);
    const take = (kind: SystemInput["kind"]): void => {
      const i = specSystem.enabled(config, s).find((x) => x.kind === kind);
      if (!i) throw new Error(`${kind} not enabled`);
      s = specSystem.step(config, s, i).state;
    };
    // Connect (6.0 … 4.1 refused, 4.0 accepted) by always taking the first enabled input that is not a crash.
    for (let n = 0; n < 200 && s.guest!.phase !== "connected"; n++) {
      const i = specSystem.enabled(config, s).find((x) => x.kind !== "guestCrash")!;
      s = specSystem.step(config, s, i).state;
    }
    expect(s.guest!.phase).toBe("connected");
    const r = specSystem.step(config, s, { kind: "guestCrash" });
    s = r.state;
    const posts = r.outputs.flatMap((o) => (o.source === "transport" && o.event.kind === "post" ? [o.event.messageType] : []));
    expect(posts).toEqual([16]); // UNLOAD
    expect(s.synic).toEqual({ messagePage: false, sintMasked: true });
    expect(s.slot).toBeNull();
    expect(specSystem.enabled(config, s).map((i) => i.kind)).not.toContain("guestPost");
    expect(specSystem.enabled(config, s).map((i) => i.kind)).not.toContain("guestCrash");
    take("kdumpBoot");
    expect(s.synic).toEqual({ messagePage: true, sintMasked: false });
    expect(s.guest!.phase).toBe("connecting");
    expect(specSystem.enabled(config, s).map((i) => i.kind)).toContain("guestPost");
  });
});

describe("hostile guest with SynIC actions", () => {
  it("HOST-RUN-6: qemu: disabling the message page makes a delivery fatal (-ENXIO, HOST-RUN-3); strict stays clean", async () => {
    const q = await runCheck({ profile: "qemu", channels: 1, gpadls: 0, depth: 100, maxStates: 100_000, hostile: true, hostilePosts: 2, hostileSynic: true });
    expect(q.complete).toBe(true);
    expect(q.outcomes.some((o) => o.rule === "HOST-RUN-3")).toBe(true);
    const s = await runCheck({ profile: "strict", channels: 1, gpadls: 0, depth: 100, maxStates: 100_000, hostile: true, hostilePosts: 2, hostileSynic: true });
    expect(s.complete).toBe(true);
    expect(s.violations).toEqual([]);
  });
  it("HOST-RUN-6: a masked SINT: the message is written but the guest does not read its slot until unmasked", () => {
    const config = checkConfig({ profile: "strict", channels: 0, gpadls: 0, depth: 1, maxStates: 1, hostile: false });
    const s0 = { ...specSystem.initial(config), slot: { payloadSize: 8, payload: "04000000" + "00000000", pending: false } };
    expect(specSystem.enabled(config, s0).map((i) => i.kind)).toContain("guestReceive");
    const masked = { ...s0, synic: { messagePage: true, sintMasked: true } };
    expect(specSystem.enabled(config, masked).map((i) => i.kind)).not.toContain("guestReceive");
  });
});

// `npm test` builds dist/ first (pretest); a missing CLI is a failure, not a skip.

describe("vmbus-spec check --crash / --hostile-synic (built CLI)", () => {
  const CLI = "dist/src/cli/main.js";
  it("--profile qemu --crash: exit 1, the stall first; the run file replays (guestCrash, kdumpBoot)", () => {
    const dir = mkdtempSync(join(tmpdir(), "vmbus-crash-"));
    try {
      const file = join(dir, "run.json");
      const p = spawnSync("node", [CLI, "check", "--profile", "qemu", "--crash", "--json", "--write-run", file], { encoding: "utf8" });
      expect(p.status).toBe(1);
      const o = JSON.parse(p.stdout) as { violations: { rule: string }[] };
      expect(o.violations.map((v) => v.rule)).toEqual(expect.arrayContaining(["HOST-QEMU-DEFECT-9", "SYS-DEADLOCK-1"]));
      const r = spawnSync("node", [CLI, "check", "--replay", file], { encoding: "utf8" });
      expect(r.stdout).toMatch(/^replayed \d+ steps/);
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("--profile strict --crash: exit 0", () => {
    const p = spawnSync("node", [CLI, "check", "--profile", "strict", "--crash", "--json"], { encoding: "utf8" });
    expect(p.status).toBe(0);
  });
});
