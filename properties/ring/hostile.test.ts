/**
 * Hostile peer: arbitrary control fields and data-area contents. Every read and write of the
 * model and of the shm endpoints returns a result or a named fault (with a ring rule ID), never
 * an exception; both agree; everything they report stays inside the ring.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RING_PROFILES } from "../../spec/ring/profile.js";
import { endRead, readBatch, type ReadOutcome } from "../../spec/ring/reader.js";
import { RULES } from "../../spec/ring/rules.js";
import type { Ring } from "../../spec/ring/state.js";
import { writeBatch } from "../../spec/ring/writer.js";
import { ShmConsumer } from "../../src/shm/consumer.js";
import { ringOfShm, shmFromRing } from "../../src/shm/handle.js";
import { ShmProducer } from "../../src/shm/producer.js";
import { dataSizeArb, packetArb, profileArb } from "./arbitraries.js";

const RULE_IDS = new Set(RULES.map((r) => r.id));

const indexArb = (size: number): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: size / 8 - 1 }).map((n) => n * 8) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: size + 16 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) },
  );

/** Data areas full of plausible descriptors (so the checks beyond the first are reached). */
const dataArb = (size: number): fc.Arbitrary<Uint8Array> =>
  fc.tuple(fc.uint8Array({ minLength: size, maxLength: size }), fc.array(fc.tuple(fc.integer({ min: 0, max: size / 8 - 1 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 12 })), { maxLength: 6 })).map(([d, descs]) => {
    for (const [at, type, off8, len8] of descs) {
      const o = at * 8;
      d[o] = type;
      d[o + 1] = 0;
      if (o + 6 <= size) {
        d[o + 2] = off8;
        d[o + 3] = 0;
        d[o + 4] = len8;
        d[o + 5] = 0;
      }
    }
    return d;
  });

const ringArb: fc.Arbitrary<Ring> = dataSizeArb.chain((size) =>
  fc.record({
    control: fc.record({
      writeIndex: indexArb(size),
      readIndex: indexArb(size),
      interruptMask: fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 0xffffffff })),
      pendingSendSize: fc.oneof(fc.integer({ min: 0, max: size + 8 }), fc.integer({ min: 0, max: 0xffffffff })),
      featureBits: fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 0xffffffff })),
    }),
    data: dataArb(size),
  }),
);

const checkOutcome = (o: ReadOutcome, size: number): void => {
  if (o.kind === "fault") expect(RULE_IDS.has(o.fault.rule)).toBe(true);
  if (o.kind === "packet") {
    expect(o.start).toBeGreaterThanOrEqual(0);
    expect(o.start).toBeLessThan(size);
    expect(o.next).toBeGreaterThanOrEqual(0);
    expect(o.next).toBeLessThan(size);
    expect(o.packet.len8 * 8).toBeLessThan(size);
    expect(o.packet.payload.length).toBe((o.packet.len8 - o.packet.offset8) * 8);
  }
};

describe("hostile peer", () => {
  it("reads and writes on arbitrary rings give results or named faults, and shm agrees with the model", () => {
    fc.assert(
      fc.property(profileArb, ringArb, fc.array(packetArb(24), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 6 }), (profile, ring, packets, max) => {
        const p = RING_PROFILES[profile];
        const size = ring.data.length;
        const h = shmFromRing(ring);
        const prod = new ShmProducer(h, p);
        const cons = new ShmConsumer(h, p);

        const snapshot = { control: { ...ring.control }, data: ring.data.slice() };
        const { ring: afterRead, ...rd } = readBatch(ring, p, max);
        expect(cons.readBatch(max)).toEqual(rd);
        expect(ringOfShm(h)).toEqual(afterRead);
        rd.packets.forEach((o) => checkOutcome(o, size));
        if (rd.stop) checkOutcome(rd.stop, size);

        const { ring: afterWrite, ...wr } = writeBatch(afterRead, packets, p);
        expect(prod.writeBatch(packets)).toEqual(wr);
        expect(ringOfShm(h)).toEqual(afterWrite);
        for (const o of wr.outcomes) {
          if (o.kind === "fault") expect(RULE_IDS.has(o.fault.rule)).toBe(true);
          if (o.kind === "written") expect(o.writeIndexAfter).toBeLessThan(size);
        }
        expect(afterWrite.data.length).toBe(size);

        // Reducers never mutate their input (copy-on-write).
        expect(ring).toEqual(snapshot);
        const readSnapshot = { control: { ...afterRead.control }, data: afterRead.data.slice() };
        const e = endRead(afterWrite);
        expect(afterRead).toEqual(readSnapshot);
        expect(cons.endRead()).toEqual(e.recheck);
        if (e.recheck.kind === "fault") expect(RULE_IDS.has(e.recheck.fault.rule)).toBe(true);
      }),
      { numRuns: Number(process.env.RING_RUNS ?? 1500) },
    );
  });

  it("a clamping (Linux) reader misled past the write index stops instead of cycling", () => {
    // len8 claims 5 qwords but only 3 (+ no trailer) are published: Linux clamps and advances by len + 8.
    const data = new Uint8Array(64);
    data.set([6, 0, 2, 0, 5, 0, 0, 0]);
    const ring: Ring = { control: { writeIndex: 24, readIndex: 0, interruptMask: 0, pendingSendSize: 0, featureBits: 1 }, data };
    const r = readBatch(ring, RING_PROFILES.linux, 1000);
    expect(r.packets.length).toBe(1);
    expect(r.packets[0]!.packet.len8).toBe(3);
    expect(r.stop).toEqual({ kind: "empty" });
    const strict = readBatch(ring, RING_PROFILES.strict, 1000);
    expect(strict.stop).toMatchObject({ kind: "fault", fault: { kind: "len8BeyondData", rule: "RING-PKT-4" } });
  });
});
