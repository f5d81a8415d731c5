import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HOST_PROFILE_NAMES } from "../../spec/host/profiles.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { createSystem } from "../../spec/system/system.js";
import { MODEL_GUEST_CONFIG } from "../../spec/guest/config.js";
import { DEFAULT_DRIVER } from "../../spec/system/config.js";
import { checkConfig } from "../../src/explore/check.js";
import { stubHost } from "./stub-host.js";
import { choicesArb, walk } from "./walk.js";

describe("random walks over enabled/step hold every invariant (Linux-like guest)", () => {
  for (const profile of HOST_PROFILE_NAMES) {
    it(`profile ${profile}: 3 channels, buffers, MODIFYCHANNEL, rescinds, 30-page rings`, () => {
      const config = checkConfig({ profile, channels: 3, gpadls: 1, depth: 0, maxStates: 0, hostile: false, rescinds: profile === "qemu" ? 0 : 2, modify: true, ringPages: 30 });
      let opened = 0;
      fc.assert(
        fc.property(choicesArb(400), (choices) => {
          const w = walk(specSystem, config, choices);
          expect(w.violations).toEqual([]);
          if (w.inputs.some((i) => i.kind === "driver" && i.action.kind === "closeChannel")) opened++;
        }),
        { numRuns: 40 },
      );
      // The walks reach deep into the protocol (channels opened and closed), not just boot.
      expect(opened).toBeGreaterThan(0);
    });
  }

  it("stub host: the same walks hold every invariant", () => {
    const system = createSystem(stubHost);
    const config = { host: { channels: 3 }, guest: MODEL_GUEST_CONFIG, driver: { ...DEFAULT_DRIVER, channels: 3, buffers: 1, modify: true }, rescinds: 2 };
    fc.assert(
      fc.property(choicesArb(300), (choices) => {
        expect(walk(system, config, choices).violations).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it("hostile guest against strict: no defect and no invariant violation", () => {
    const config = checkConfig({ profile: "strict", channels: 1, gpadls: 0, depth: 0, maxStates: 0, hostile: true });
    fc.assert(
      fc.property(choicesArb(200), (choices) => {
        expect(walk(specSystem, config, choices).violations).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
