import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recordRun, replayRun } from "../../spec/system/run.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { canonicalKey } from "../../spec/system/canonical.js";
import { checkConfig } from "../../src/explore/check.js";
import { decodeRunFile, runFile } from "../../src/explore/run-file.js";
import { choicesArb, walk } from "./walk.js";

const opts = { profile: "qemu" as const, channels: 2, gpadls: 1, hostile: false, rescinds: 0, modify: true, ringPages: 20 };
const config = checkConfig({ ...opts, depth: 0, maxStates: 0 });

describe("runs replay byte for byte", () => {
  it("a recorded random run replays to the same message bytes, also through a JSON run file", () => {
    fc.assert(
      fc.property(choicesArb(150), (choices) => {
        const { inputs } = walk(specSystem, config, choices);
        const run = recordRun(specSystem, config, inputs);
        expect(run.length).toBe(inputs.length);
        expect(replayRun(specSystem, config, run)).toEqual({ ok: true, steps: run.length });
        const file = decodeRunFile(JSON.parse(JSON.stringify(runFile(opts, run))));
        expect(file.ok).toBe(true);
        if (file.ok) expect(replayRun(specSystem, checkConfig({ ...file.value.check, depth: 0, maxStates: 0 }), file.value.steps)).toEqual({ ok: true, steps: run.length });
      }),
      { numRuns: 25 },
    );
  });

  it("the guest's posted output carries exactly the bytes that crossed the transport", () => {
    const { inputs } = walk(specSystem, config, Array.from({ length: 120 }, (_, i) => i * 7));
    let s = specSystem.initial(config);
    let posts = 0;
    for (const input of inputs) {
      const r = specSystem.step(config, s, input);
      const g = r.outputs.flatMap((o) => (o.source === "guest" && o.output.kind === "posted" ? [o.output.bytes] : []));
      const t = r.outputs.flatMap((o) => (o.source === "transport" && o.event.kind === "post" ? [o.event.payload] : []));
      expect(g).toEqual(t);
      posts += g.length;
      s = r.state;
    }
    expect(posts).toBeGreaterThan(3);
  });

  it("a single changed byte is found at its step", () => {
    const { inputs } = walk(specSystem, config, Array.from({ length: 40 }, () => 0));
    const run = recordRun(specSystem, config, inputs);
    const i = run.findIndex((s) => s.messages.length > 0);
    const m = run[i]!.messages[0]!;
    const flipped = { ...m, hex: m.hex.slice(0, -2) + (m.hex.endsWith("00") ? "01" : "00") };
    const bad = run.map((s, j) => (j === i ? { ...s, messages: [flipped, ...s.messages.slice(1)] } : s));
    const r = replayRun(specSystem, config, bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.step).toBe(i + 1);
  });

  it("an input that is not enabled is reported", () => {
    const r = replayRun(specSystem, config, [{ input: { kind: "deliver" }, messages: [] }]);
    expect(r).toMatchObject({ ok: false, step: 1 });
  });

  it("run files are decoded with io-ts; errors give the path of the bad field", () => {
    const bad = { format: "vmbus-spec-run", formatVersion: 1, check: { ...opts, channels: "two" }, steps: [{ input: { kind: "guestPost" }, messages: [{ direction: "up", messageType: 1, payloadSize: 8, hex: "00" }] }] };
    const r = decodeRunFile(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.some((e) => e.startsWith("run.check.channels:"))).toBe(true);
      expect(r.errors.some((e) => e.startsWith("run.steps[0].messages[0].direction:"))).toBe(true);
    }
  });

  it("run files reject unknown fields at every level, naming the path (a typo is never dropped)", () => {
    const good = JSON.parse(JSON.stringify(runFile(opts, [])));
    expect(decodeRunFile(good).ok).toBe(true);
    const cases: [unknown, string][] = [
      [{ ...good, extra: 1 }, "run.extra:"],
      [{ ...good, check: { ...good.check, rescind: 1 } }, "run.check.rescind:"],
      [{ ...good, steps: [{ input: { kind: "hostRun", lane: 0 }, messages: [] }] }, "run.steps[0].input"],
      [{ ...good, steps: [{ input: { kind: "hostRun" }, messages: [{ direction: "guestToHost", messageType: 1, payloadSize: 0, hex: "", conn: 1 }] }] }, "run.steps[0].messages[0].conn:"],
    ];
    for (const [file, path] of cases) {
      const r = decodeRunFile(file);
      expect(r.ok, path).toBe(false);
      if (!r.ok) expect(r.errors.some((e) => e.startsWith(path)), `${path} in ${r.errors.join(" | ")}`).toBe(true);
    }
  });

  it("canonicalKey does not depend on key order", () => {
    expect(canonicalKey({ b: 1, a: [{ y: 2, x: 1 }] })).toBe(canonicalKey({ a: [{ x: 1, y: 2 }], b: 1 }));
  });
});
