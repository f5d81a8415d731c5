/**
 * The access-level ring model (spec/ring/access.ts) step by step (issue 13): each step's
 * registers and shared fields, not only the checker's verdicts, so a mutant that stores the
 * wrong value or jumps to the wrong next step fails here.
 */
import { describe, expect, it } from "vitest";
import { accessConfigProblem, accessFinished, accessKey, accessSuccessors, initialAccessState, lostWakeUp, type AccessConfig, type AccessState } from "../../spec/ring/access.js";
import { RING_PROFILES } from "../../spec/ring/profile.js";

const take = (c: AccessConfig, s: AccessState, side: "writer" | "reader"): AccessState => {
  const next = accessSuccessors(c, s).find((x) => x.step.side === side);
  if (!next) throw new Error(`${side} cannot move`);
  expect(next.violation).toBeUndefined();
  return next.state;
};

describe("accessConfigProblem (RING-GEOM-1, RING-WRITE-3)", () => {
  const p = RING_PROFILES.strict;
  it("accepts the smallest ring and packet, refuses one size below either and packets that can never fit", () => {
    expect(accessConfigProblem({ profile: p, dataSize: 64, packets: [24, 56] })).toBeNull();
    expect(accessConfigProblem({ profile: p, dataSize: 56, packets: [24] })).not.toBeNull();
    expect(accessConfigProblem({ profile: p, dataSize: 68, packets: [24] })).not.toBeNull();
    expect(accessConfigProblem({ profile: p, dataSize: 64, packets: [16] })).not.toBeNull();
    expect(accessConfigProblem({ profile: p, dataSize: 64, packets: [28] })).not.toBeNull();
    expect(accessConfigProblem({ profile: p, dataSize: 64, packets: [64] })).not.toBeNull();
  });
});

describe("one packet through the access model (RING-WRITE-2, RING-WRITE-6, RING-READ-4, RING-READ-5)", () => {
  const c: AccessConfig = { profile: RING_PROFILES.strict, dataSize: 64, packets: [24] };
  it("the writer loads, stores, publishes, loads the mask and signals the sleeping reader; the reader wakes, masks, reads and commits", () => {
    let s = initialAccessState();
    expect(accessSuccessors(c, s).map((x) => x.step.side)).toEqual(["writer"]);
    s = take(c, s, "writer");
    expect(s).toMatchObject({ wPc: "storeData", wReadIndex: 0 });
    s = take(c, s, "writer");
    expect(s).toMatchObject({ wPc: "publish", dataStored: 1, writeIndex: 0 });
    s = take(c, s, "writer");
    expect(s).toMatchObject({ wPc: "loadMask", writeIndex: 24, wOldWrite: 0 });
    s = take(c, s, "writer");
    expect(s).toMatchObject({ wPc: "loadR2", wMask: 0 });
    s = take(c, s, "writer");
    expect(s).toMatchObject({ wPc: "done", wPacket: 1, readerInterrupt: true, wWaited: false });
    expect(accessSuccessors(c, s).map((x) => x.step.side)).toEqual(["reader"]);
    s = take(c, s, "reader");
    expect(s).toMatchObject({ rPc: "mask", readerInterrupt: false });
    s = take(c, s, "reader");
    expect(s).toMatchObject({ rPc: "loadW", interruptMask: 1 });
    s = take(c, s, "reader");
    expect(s).toMatchObject({ rPc: "readData", rWriteIndex: 24 });
    s = take(c, s, "reader");
    expect(s.rPc).toBe("commit");
    s = take(c, s, "reader");
    expect(s).toMatchObject({ rPc: "loadPending", readIndex: 24, rPacket: 1, rBytesRead: 24 });
    expect(accessFinished(c, s)).toBe(true);
    s = take(c, s, "reader");
    expect(s).toMatchObject({ rPc: "loadW2", rPending: 0 });
    s = take(c, s, "reader");
    expect(s).toMatchObject({ rPc: "loadW", writerInterrupt: false });
    s = take(c, s, "reader");
    expect(s).toMatchObject({ rPc: "unmask", rWriteIndex: 24 });
    s = take(c, s, "reader");
    expect(s).toMatchObject({ rPc: "recheckW", interruptMask: 0 });
    s = take(c, s, "reader");
    expect(s.rPc).toBe("asleep");
    expect(accessSuccessors(c, s)).toEqual([]);
    expect(lostWakeUp(c, s)).toBeNull();
  });
  it("a full ring: the writer stores pending_send_sz (RING-WRITE-7), re-checks, sleeps; that is a lost wake-up when nobody reads", () => {
    const full: AccessConfig = { profile: RING_PROFILES.strict, dataSize: 64, packets: [48, 48] };
    let s = initialAccessState();
    for (let i = 0; i < 5; i++) s = take(full, s, "writer");
    expect(s).toMatchObject({ wPc: "loadR", wPacket: 1, writeIndex: 48 });
    s = take(full, s, "writer");
    expect(s.wPc).toBe("storePending");
    s = take(full, s, "writer");
    expect(s).toMatchObject({ wPc: "recheckR", pendingSendSize: 49, wWaited: true });
    s = take(full, s, "writer");
    expect(s.wPc).toBe("asleep");
    const stuck = { ...s, rPc: "asleep" as const, readerInterrupt: false, readIndex: 48 };
    expect(accessSuccessors(full, stuck)).toEqual([]);
    expect(lostWakeUp(full, stuck)).toMatch(/writer sleeps/);
    expect(lostWakeUp(full, { ...stuck, readIndex: 0 })).toMatch(/reader sleeps with 48 bytes/);
  });
  it("the state key lists every field, so states differing in one register are different states", () => {
    const s = initialAccessState();
    const keys = new Set([
      accessKey(s),
      accessKey({ ...s, wReadIndex: 8 }),
      accessKey({ ...s, rWriteIndex: 8 }),
      accessKey({ ...s, rBytesRead: 8 }),
      accessKey({ ...s, wWaited: true }),
      accessKey({ ...s, writerInterrupt: true }),
      accessKey({ ...s, readerInterrupt: true }),
    ]);
    expect(keys.size).toBe(7);
  });
});
