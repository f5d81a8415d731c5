/**
 * Reader decisions of spec/ring/decide.ts at their boundaries, with the shipped profiles and with
 * profiles a library user builds (issue 13): RING-PKT-2/-3 (offset faults and Linux's clamp),
 * RING-PKT-4/RING-READ-6 (Linux's length clamp), RING-READ-3 (accepted types, any number),
 * RING-PKT-5..8 (which packets have a typed header checked), and the planted bugs of the
 * access-level model (spec/ring/access.ts) step by step.
 */
import { describe, expect, it } from "vitest";
import { accessFinished, accessKey, accessSuccessors, initialAccessState, lostWakeUp, type AccessConfig, type AccessState } from "../../spec/ring/access.js";
import { checkDescriptor, checksTypedHeader, effectiveLen8, effectiveOffset8, PEEK_OK } from "../../spec/ring/decide.js";
import { RING_PROFILES, type RingProfile } from "../../spec/ring/profile.js";
import { PROFILE_NAMES } from "../../spec/profiles.js";
import { PacketType } from "../../spec/wire/packet.js";
import { ruleById } from "../../spec/rules/catalogue.js";

const linux = RING_PROFILES.linux;
const strict = RING_PROFILES.strict;
const ruleOf = (r: number | { rule: string; kind: string }) => (typeof r === "number" ? r : `${r.kind} ${r.rule}`);

describe("RING-PKT-2/-3: offsets, faulted (strict) or clamped to 16 bytes (linux)", () => {
  it("strict faults an offset below 2 or beyond len8, by kind", () => {
    expect(ruleOf(checkDescriptor(strict, PacketType.DataInBand, 1, 4, 64) as never)).toBe("offset8TooSmall RING-PKT-2");
    expect(ruleOf(checkDescriptor(strict, PacketType.DataInBand, 5, 4, 64) as never)).toBe("offset8BeyondLen8 RING-PKT-3");
    expect(checkDescriptor(strict, PacketType.DataInBand, 2, 4, 64)).toBe(PEEK_OK);
    expect(checkDescriptor(strict, PacketType.DataInBand, 4, 4, 64)).toBe(PEEK_OK);
  });
  it("linux does not fault offsets: it clamps them to 2 only when below 2 or beyond len8", () => {
    expect(checkDescriptor(linux, PacketType.DataInBand, 0, 4, 64)).toBe(PEEK_OK);
    expect(checkDescriptor(linux, PacketType.DataInBand, 9, 4, 64)).toBe(PEEK_OK);
    expect([0, 1, 2, 3, 4, 5].map((o) => effectiveOffset8(linux, o, 4))).toEqual([2, 2, 2, 3, 4, 2]);
    // A faulting profile keeps the offset as it is (its checks refuse it instead).
    expect([0, 3, 5].map((o) => effectiveOffset8(strict, o, 4))).toEqual([0, 3, 5]);
  });
});

describe("RING-PKT-4 / RING-READ-6: linux clamps the length to [16 bytes, min(available, buffer)]", () => {
  it("keeps a length within bounds, clamps one below 16 bytes or beyond the bytes available or its 4 KiB buffer", () => {
    expect(linux.readerBufferSize).toBe(4096);
    expect(effectiveLen8(linux, 2, 64)).toBe(2);
    expect(effectiveLen8(linux, 8, 64)).toBe(8);
    expect(effectiveLen8(linux, 1, 64)).toBe(8);
    expect(effectiveLen8(linux, 9, 64)).toBe(8);
    expect(effectiveLen8(linux, 600, 8192)).toBe(512);
    expect(effectiveLen8(strict, 600, 64)).toBe(600);
  });
  it("a clamping profile without a buffer limit clamps to the bytes available only", () => {
    const unbounded: RingProfile = { ...linux, readerBufferSize: null };
    expect(effectiveLen8(unbounded, 600, 8192)).toBe(600);
    expect(effectiveLen8(unbounded, 2000, 8192)).toBe(1024);
  });
});

describe("RING-READ-3: accepted types, whatever their number", () => {
  it("a profile's list is honoured for types below 32, from 32 on and negative ones; null accepts any", () => {
    const custom: RingProfile = { ...strict, parsesTypedHeaders: false, acceptedTypes: [PacketType.DataInBand, 40, 70000] };
    const verdict = (p: RingProfile, t: number) => ruleOf(checkDescriptor(p, t, 2, 4, 64) as never);
    expect([6, 7, 40, 41, 70000, 33, 8].map((t) => verdict(custom, t))).toEqual([PEEK_OK, "unexpectedPacketType RING-READ-3", PEEK_OK, "unexpectedPacketType RING-READ-3", PEEK_OK, "unexpectedPacketType RING-READ-3", "unexpectedPacketType RING-READ-3"]);
    // 1 << 40 wraps to 1 << 8 in 32-bit arithmetic: type 8 must not ride on type 40.
    expect(verdict({ ...custom, acceptedTypes: [40] }, 8)).toBe("unexpectedPacketType RING-READ-3");
    expect(verdict({ ...custom, acceptedTypes: [0] }, 0)).toBe(PEEK_OK);
    expect(verdict({ ...custom, acceptedTypes: [31] }, 31)).toBe(PEEK_OK);
    expect(verdict({ ...custom, acceptedTypes: [31] }, 32)).toBe("unexpectedPacketType RING-READ-3");
    expect(verdict({ ...custom, acceptedTypes: [6] }, -1)).toBe("unexpectedPacketType RING-READ-3");
    expect(verdict({ ...custom, acceptedTypes: null }, 12345)).toBe(PEEK_OK);
  });
});

describe("RING-PKT-5..8: typed headers are checked only for GPA-direct and transfer-page packets, where the profile parses them", () => {
  for (const name of PROFILE_NAMES) {
    it(name, () => {
      const p = RING_PROFILES[name];
      const types = [0, 6, 7, 8, 9, 10, 11, 32];
      expect(types.filter((t) => checksTypedHeader(p, t))).toEqual(p.parsesTypedHeaders ? [7, 9] : []);
    });
  }
});

describe("the rule catalogue's lookup", () => {
  it("finds a rule by its ID and nothing for an unknown ID", () => {
    expect(ruleById("RING-READ-3")?.id).toBe("RING-READ-3");
    expect(ruleById("WIRE-GPADL-1")?.id).toBe("WIRE-GPADL-1");
    expect(ruleById("RING-NOPE-1")).toBeUndefined();
  });
});

const take = (c: AccessConfig, s: AccessState, side: "writer" | "reader"): AccessState => {
  const next = accessSuccessors(c, s).find((x) => x.step.side === side);
  if (!next) throw new Error(`${side} cannot move`);
  return next.state;
};
const run = (c: AccessConfig, s: AccessState, side: "writer" | "reader", n: number): AccessState[] => {
  const out: AccessState[] = [];
  for (let i = 0; i < n; i++) out.push((s = take(c, s, side)));
  return out;
};

describe("the access model's planted bugs, step by step (RING-WRITE-2, RING-WRITE-7)", () => {
  it("writerPublishesFirst: load, publish, then store the data, then the signal decision", () => {
    const c: AccessConfig = { profile: strict, dataSize: 64, packets: [24], bug: "writerPublishesFirst" };
    const pcs = run(c, initialAccessState(), "writer", 5).map((s) => [s.wPc, s.writeIndex, s.dataStored]);
    expect(pcs).toEqual([
      ["publish", 0, 0],
      ["storeData", 24, 0],
      ["loadMask", 24, 1],
      ["loadR2", 24, 1],
      ["done", 24, 1],
    ]);
  });
  it("writerPublishesFirst on a full ring: after the re-check finds space it publishes first again", () => {
    const c: AccessConfig = { profile: strict, dataSize: 64, packets: [48, 48], bug: "writerPublishesFirst" };
    let s = run(c, initialAccessState(), "writer", 7).at(-1)!;
    expect(s.wPc).toBe("recheckR");
    s = { ...s, readIndex: 48 }; // the reader consumed the first packet meanwhile
    s = take(c, s, "writer");
    expect(s.wPc).toBe("publish");
    const fixed: AccessConfig = { ...c, bug: undefined as never };
    const { bug: _b, ...noBug } = fixed;
    let t = run(noBug, initialAccessState(), "writer", 7).at(-1)!;
    t = take(noBug, { ...t, readIndex: 48 }, "writer");
    expect(t.wPc).toBe("storeData");
  });
  it("writerSkipsRecheck: after storing pending_send_sz the writer sleeps at once", () => {
    const c: AccessConfig = { profile: strict, dataSize: 64, packets: [48, 48], bug: "writerSkipsRecheck" };
    const s = run(c, initialAccessState(), "writer", 7).at(-1)!;
    expect([s.wPc, s.pendingSendSize, s.wWaited]).toEqual(["asleep", 49, true]);
  });
});

describe("RING-LIVE-1: what counts as finished and as a lost wake-up", () => {
  const c: AccessConfig = { profile: strict, dataSize: 64, packets: [24] };
  const base = initialAccessState();
  it("finished means the writer is done and every packet was read", () => {
    expect(accessFinished(c, { ...base, wPc: "done", rPacket: 1 })).toBe(true);
    expect(accessFinished(c, { ...base, wPc: "done", rPacket: 0 })).toBe(false);
    expect(accessFinished(c, { ...base, wPc: "asleep", rPacket: 1 })).toBe(false);
  });
  it("a reader asleep with bytes to read and nobody to wake it is stuck; a finished run or one that can move is not", () => {
    const readerStuck: AccessState = { ...base, wPc: "done", wPacket: 1, dataStored: 1, writeIndex: 24, rPc: "asleep" };
    expect(accessSuccessors(c, readerStuck)).toEqual([]);
    expect(lostWakeUp(c, readerStuck)).toMatch(/reader sleeps with 24 bytes/);
    expect(lostWakeUp(c, { ...readerStuck, readerInterrupt: true })).toBeNull();
    expect(lostWakeUp(c, { ...readerStuck, readIndex: 24, rPacket: 1 })).toBeNull();
  });
  it("a writer asleep is named; both asleep on an empty ring with work left is reported too", () => {
    const two: AccessConfig = { profile: strict, dataSize: 64, packets: [48, 48] };
    const writerStuck: AccessState = { ...base, wPc: "asleep", wPacket: 1, dataStored: 1, writeIndex: 48, readIndex: 48, rPacket: 1, rPc: "asleep", pendingSendSize: 49 };
    const msg = lostWakeUp(two, writerStuck);
    expect(msg).toMatch(/writer sleeps waiting for 48 bytes with 64 free/);
    expect(msg).not.toMatch(/reader/);
    const both = lostWakeUp(two, { ...writerStuck, writeIndex: 8, readIndex: 0 });
    expect(both).toMatch(/reader sleeps/);
    expect(both).toMatch(/writer sleeps/);
    expect(lostWakeUp(c, { ...base, wPc: "done", rPc: "asleep", rPacket: 0 })).toBe("both sides sleep with work left");
  });
  it("states that differ are told apart by their key, even where digits could run together", () => {
    const a = { ...base, writeIndex: 1, readIndex: 23 };
    const b = { ...base, writeIndex: 12, readIndex: 3 };
    expect(accessKey(a)).not.toBe(accessKey(b));
    expect(accessKey({ ...base, readerInterrupt: true })).not.toBe(accessKey(base));
    expect(accessKey({ ...base, writerInterrupt: true })).not.toBe(accessKey({ ...base, readerInterrupt: true }));
  });
});
