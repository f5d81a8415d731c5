/**
 * Every single-line mutation of a spec session's QEMU log (drop a line, swap two lines of
 * different events, change a type, size, version or id) is either rejected at or after the
 * mutated line, or allowed by the spec — and then the allowing session the checker found
 * replays, on the spec host, to exactly the mutated lines.
 */
import { describe, expect, it } from "vitest";
import { qemuLogOf, walkSystem } from "../../src/trace/generate.js";
import { canonicalLines, checkQemu, impliedDevices, replayQemu, systemConfig } from "./helpers.js";

interface Mutation {
  readonly at: number; // 1-based first line that differs
  readonly what: string;
  readonly lines: string[];
}

const mutations = (log: readonly string[]): Mutation[] => {
  const out: Mutation[] = [];
  log.forEach((line, i) => {
    out.push({ at: i + 1, what: `drop ${line}`, lines: log.filter((_, j) => j !== i) });
    const next = log[i + 1];
    if (next !== undefined && next.split(" ")[0] !== line.split(" ")[0]) {
      const l = [...log];
      [l[i], l[i + 1]] = [next, line];
      out.push({ at: i + 1, what: `swap ${line} / ${next}`, lines: l });
    }
    // Change one number: +1 on each numeric argument (types, sizes, versions, ids, statuses).
    const nums = [...line.matchAll(/(?<=[ #.,])(0x[0-9a-f]+|\d+)/g)];
    nums.forEach((m, k) => {
      const idx = m.index!;
      const t = m[1]!;
      const v = t.startsWith("0x") ? `0x${(BigInt(t) + 1n).toString(16)}` : String(Number(t) + 1);
      const l = [...log];
      l[i] = line.slice(0, idx) + v + line.slice(idx + t.length);
      out.push({ at: i + 1, what: `arg ${k}: ${line} -> ${l[i]}`, lines: l });
    });
  });
  return out;
};

describe("single-line mutations of QEMU logs", () => {
  it("are rejected at or after the mutated line, or accepted with a session that replays to them", async () => {
    let rejected = 0;
    let allowed = 0;
    let exact = 0;
    for (const seed of [3, 7]) {
      const log = qemuLogOf(walkSystem(systemConfig({ channels: 1, buffers: 1 }), seed, 120));
      const devices = impliedDevices(log);
      for (const m of mutations(log)) {
        const v = await checkQemu(m.lines, { devices, resets: false });
        if (v.verdict === "rejected") {
          rejected++;
          expect(v.lineNo, m.what).toBeGreaterThanOrEqual(m.at);
          if (v.lineNo === m.at) exact++;
        } else {
          expect(v.verdict, m.what).toBe("accepted");
          if (v.verdict !== "accepted") continue;
          allowed++;
          expect(replayQemu(v.session!, devices), m.what).toEqual(canonicalLines(m.lines));
        }
      }
    }
    // Most mutations change what happened; a few (a refused version for another) are allowed.
    expect(rejected).toBeGreaterThan(3 * allowed);
    expect(exact).toBeGreaterThan(rejected / 3);
  });
});
