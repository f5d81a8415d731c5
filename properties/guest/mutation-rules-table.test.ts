/**
 * The guest's rule table is well-formed data (spec/guest/rules.ts): IDs `GUEST-<TOPIC>-<n>`,
 * unique, numbered from 1 per topic, area guest, profiles strict + linux, every rule with a
 * sentence and a source; every rule ID the guest's state diagram names is in the table. Mutation
 * run guest6-small2: no guest test imported the table (42 mutants without coverage).
 */
import { describe, expect, it } from "vitest";
import { CHANNEL_TRANSITIONS, CONNECTION_TRANSITIONS } from "../../spec/guest/diagram.js";
import { RULES } from "../../spec/guest/rules.js";

describe("GUEST rules table", () => {
  it("every rule: GUEST-<TOPIC>-<n>, area guest, profiles strict and linux, a sentence and a source", () => {
    for (const r of RULES) {
      expect(r.id).toMatch(/^GUEST-[A-Z]+-[1-9][0-9]*$/);
      expect(r).toEqual({ id: r.id, area: "guest", sentence: expect.stringMatching(/\S.*\.$/), profiles: ["strict", "linux"], source: expect.stringMatching(/\S/) });
    }
  });
  it("IDs are unique and every topic is numbered from 1 without gaps", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const byTopic = new Map<string, number[]>();
    for (const id of ids) {
      const [, topic, n] = /^GUEST-([A-Z]+)-(\d+)$/.exec(id)!;
      byTopic.set(topic!, [...(byTopic.get(topic!) ?? []), Number(n)]);
    }
    for (const [topic, ns] of byTopic) expect([...ns].sort((a, b) => a - b), topic).toEqual(ns.map((_, i) => i + 1));
    expect([...byTopic.keys()].sort()).toEqual(["CLOSE", "DRIVER", "GPADL", "MATCH", "MODIFY", "MSG", "OFFER", "OPEN", "POST", "RESCIND", "UNLOAD", "VERSION"]);
  });
  it("every rule the state diagram names is in the table", () => {
    const ids = new Set(RULES.map((r) => r.id));
    for (const t of [...CONNECTION_TRANSITIONS, ...CHANNEL_TRANSITIONS]) expect(ids.has(t.rule), t.rule).toBe(true);
  });
});
