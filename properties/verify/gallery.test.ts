import { describe, expect, it } from "vitest";
import { GALLERY, PYTHON_HOST } from "../../src/verify/gallery.js";
import { verifyGuest } from "../../src/verify/guest-verify.js";
import { verifyHost } from "../../src/verify/host-verify.js";

// Every gallery bug is caught with its verdict and rule ID; the correct versions pass (the
// Python host in host.test.ts, the spec guest below). Bounded runs: vectors and a few random
// sessions reach every bug; time to detection is measured by `npm run bench -- verify`.
describe("verify gallery", () => {
  for (const b of GALLERY) {
    it(`${b.id}: ${b.kind} naming ${b.rule}`, async () => {
      const r =
        b.role === "host"
          ? await verifyHost({ command: b.command, profile: b.profile, seed: 1, sessions: 30, depth: 24, timeoutMs: 10_000, explore: false, shrinkSeconds: 15, shrinkTests: 80 })
          : await verifyGuest({ command: b.command, profile: b.profile, seed: 1, sessions: 3, depth: 12, timeoutMs: 10_000, anyGuest: b.anyGuest ?? false });
      expect(r.result).toBe(b.kind);
      expect(r.verdict?.rules).toContain(b.rule);
      expect(r.verdict?.inconclusive).toBe(false);
    }, 60_000);
  }

  it("the correct guest (the spec's, served over stdio) passes in every profile, also with --any-guest", async () => {
    for (const profile of ["qemu", "strict", "openvmm"] as const)
      for (const anyGuest of [false, true]) {
        const r = await verifyGuest({ command: "node dist/src/cli/main.js guest --serve", profile, seed: 3, sessions: 4, depth: 16, timeoutMs: 10_000, anyGuest });
        expect(r.result).toBe("conforming");
        expect(r.sessions).toBe(5);
      }
  }, 60_000);

  it("every host bug switch is a real switch: the same Python host without it conforms on the bug's minimal session", async () => {
    const b = GALLERY.find((x) => x.id === "accept-version-5")!;
    const bad = await verifyHost({ command: b.command, profile: "qemu", seed: 1, sessions: 30, depth: 24, timeoutMs: 10_000, explore: false, shrinkSeconds: 15 });
    expect(bad.verdict).not.toBeNull();
    const good = await verifyHost({ command: PYTHON_HOST, profile: "qemu", seed: 1, sessions: 0, depth: 1, timeoutMs: 10_000, replay: [bad.verdict!.minimal] });
    expect(good.result).toBe("conforming");
  }, 60_000);
});
