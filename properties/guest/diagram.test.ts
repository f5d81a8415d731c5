import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CHANNEL_TRANSITIONS, CONNECTION_TRANSITIONS } from "../../spec/guest/diagram.js";
import type { GuestState } from "../../spec/guest/state.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { checkConfig } from "../../src/explore/check.js";
import { choicesArb } from "../system/walk.js";

const conn = new Set(CONNECTION_TRANSITIONS.map((t) => `${t.from}>${t.to}`));
const chan = new Set(CHANNEL_TRANSITIONS.map((t) => `${t.from}>${t.to}`));

const taken = (a: GuestState, b: GuestState): { conn: string[]; chan: string[] } => {
  const c: string[] = [];
  if (a.phase !== b.phase || a.candidate !== b.candidate) c.push(`${a.phase}>${b.phase}`);
  const ch: string[] = [];
  for (const x of a.channels) {
    const y = b.channels.find((z) => z.relid === x.relid);
    if (!y) ch.push(`${x.phase.name}>[*]`);
    else if (y.phase.name !== x.phase.name) ch.push(`${x.phase.name}>${y.phase.name}`);
  }
  for (const y of b.channels) if (!a.channels.some((x) => x.relid === y.relid)) ch.push(`[*]>${y.phase.name}`);
  return { conn: c, chan: ch };
};

describe("the guest state diagrams in docs/system.md list every transition a run takes", () => {
  for (const profile of ["strict", "qemu"] as const) {
    it(profile, () => {
      const config = checkConfig({ profile, channels: 2, gpadls: 1, depth: 0, maxStates: 0, hostile: false, rescinds: profile === "strict" ? 2 : 0, modify: true, ringPages: 20 });
      const seen = new Set<string>();
      fc.assert(
        fc.property(choicesArb(300), (choices) => {
          let s = specSystem.initial(config);
          for (const c of choices) {
            const en = specSystem.enabled(config, s);
            if (en.length === 0) break;
            const next = specSystem.step(config, s, en[c % en.length]!).state;
            if (s.guest && next.guest) {
              const t = taken(s.guest, next.guest);
              for (const x of t.conn) expect(conn.has(x), `connection transition ${x}`).toBe(true);
              for (const x of t.chan) expect(chan.has(x), `channel transition ${x}`).toBe(true);
              for (const x of [...t.conn, ...t.chan]) seen.add(x);
            }
            s = next;
          }
        }),
        { numRuns: 30 },
      );
      expect(seen.has("offered>creatingRing") && seen.has("connecting>connected")).toBe(true);
    });
  }
});
