/**
 * Model-based test: the shared-memory endpoints (src/shm, single-threaded here) against the pure
 * model (spec/ring) — identical outcomes, indices, bytes and signal decisions for random
 * operation sequences, ring sizes, start positions and profiles.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ProfileName } from "../../spec/profiles.js";
import { RING_PROFILES } from "../../spec/ring/profile.js";
import { beginRead, endRead, readBatch } from "../../spec/ring/reader.js";
import { makeRing, type Ring, type RingControl } from "../../spec/ring/state.js";
import { setPendingSendSize, writeBatch } from "../../spec/ring/writer.js";
import type { Packet } from "../../spec/wire/packet.js";
import { ShmConsumer } from "../../src/shm/consumer.js";
import { ringOfShm, shmFromRing, storeControl, type ShmRingHandle } from "../../src/shm/handle.js";
import { ShmProducer } from "../../src/shm/producer.js";
import { dataSizeArb, packetArb, profileArb } from "./arbitraries.js";

interface Model {
  ring: Ring;
  readonly profile: ProfileName;
}
interface Real {
  readonly h: ShmRingHandle;
  readonly prod: ShmProducer;
  readonly cons: ShmConsumer;
}

const sameState = (m: Model, r: Real): void => {
  const s = ringOfShm(r.h);
  expect(s.control).toEqual(m.ring.control);
  expect(s.data).toEqual(m.ring.data);
};

/**
 * The same packets with their payloads moved into the producer's staging area (the ring's shared
 * WebAssembly.Memory), keeping each payload's alignment skew: the shm writer then copies them
 * with memory.copy instead of TypedArray.set / word loops.
 */
const staged = (packets: readonly Packet[], staging: Uint8Array): Packet[] => {
  let at = 0;
  return packets.map((p) => {
    at = ((at + 7) & ~7) + (p.payload.byteOffset & 3);
    const view = staging.subarray(at, at + p.payload.length);
    view.set(p.payload);
    at += p.payload.length;
    return { ...p, payload: view };
  });
};

class WriteCmd implements fc.Command<Model, Real> {
  constructor(
    readonly packets: readonly Packet[],
    readonly waitIfFull: boolean,
  ) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const packets = r.prod.staging ? staged(this.packets, r.prod.staging) : this.packets;
    const { ring, ...expected } = writeBatch(m.ring, packets, RING_PROFILES[m.profile], { waitIfFull: this.waitIfFull });
    m.ring = ring;
    expect(r.prod.writeBatch(packets, { waitIfFull: this.waitIfFull })).toEqual(expected);
    sameState(m, r);
  }
  toString = (): string => `write(${this.packets.map((p) => `${p.type}:${p.payload.length}:${p.body.kind === "plain" ? "" : JSON.stringify(p.body.ranges)}`).join(",")}${this.waitIfFull ? "" : ", nowait"})`;
}

class ReadCmd implements fc.Command<Model, Real> {
  constructor(readonly max: number) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const { ring, ...expected } = readBatch(m.ring, RING_PROFILES[m.profile], this.max);
    m.ring = ring;
    expect(r.cons.readBatch(this.max)).toEqual(expected);
    sameState(m, r);
  }
  toString = (): string => `read(${this.max})`;
}

class MaskCmd implements fc.Command<Model, Real> {
  constructor(readonly begin: boolean) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    if (this.begin) {
      m.ring = beginRead(m.ring);
      r.cons.beginRead();
    } else {
      const e = endRead(m.ring);
      m.ring = e.ring;
      expect(r.cons.endRead()).toEqual(e.recheck);
    }
    sameState(m, r);
  }
  toString = (): string => (this.begin ? "beginRead" : "endRead");
}

/** Fields a peer may set at any time (pending size by the writer, feature bits at open). */
class PokeCmd implements fc.Command<Model, Real> {
  constructor(
    readonly field: keyof RingControl,
    readonly value: number,
  ) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    m.ring = this.field === "pendingSendSize" ? setPendingSendSize(m.ring, this.value) : { control: { ...m.ring.control, [this.field]: this.value }, data: m.ring.data };
    storeControl(r.h, this.field, this.value);
    sameState(m, r);
  }
  toString = (): string => `poke(${this.field}=${this.value})`;
}

const commands = [
  fc.tuple(fc.array(packetArb(40), { minLength: 1, maxLength: 4 }), fc.boolean()).map(([p, w]) => new WriteCmd(p, w)),
  fc.tuple(fc.array(packetArb(40), { minLength: 1, maxLength: 4 }), fc.boolean()).map(([p, w]) => new WriteCmd(p, w)),
  fc.integer({ min: 1, max: 4 }).map((n) => new ReadCmd(n)),
  fc.integer({ min: 1, max: 4 }).map((n) => new ReadCmd(n)),
  fc.boolean().map((b) => new MaskCmd(b)),
  fc.oneof(
    fc.tuple(fc.constant("pendingSendSize" as const), fc.integer({ min: 0, max: 400 })),
    fc.tuple(fc.constant("featureBits" as const), fc.integer({ min: 0, max: 1 })),
  ).map(([f, v]) => new PokeCmd(f, v)),
];

describe("shm ring == pure model", () => {
  it("same outcomes, indices, bytes and signals for random operations, sizes, start positions and profiles", () => {
    fc.assert(
      fc.property(profileArb, dataSizeArb, fc.nat(), fc.commands(commands, { maxCommands: 40 }), (profile, size, startSeed, cmds) => {
        const start = (startSeed % (size / 8)) * 8;
        const ring = makeRing(size, { writeIndex: start, readIndex: start });
        if (!ring.ok) throw new Error("bad size");
        const h = shmFromRing(ring.value);
        const real: Real = { h, prod: new ShmProducer(h, RING_PROFILES[profile]), cons: new ShmConsumer(h, RING_PROFILES[profile]) };
        fc.modelRun(() => ({ model: { ring: ring.value, profile }, real }), cmds);
      }),
      { numRuns: Number(process.env.RING_RUNS ?? 400) },
    );
  });

  it("same, with payloads up to 700 bytes on rings up to 4 KiB (bulk copies, memory.copy from/to staging areas, and the allocation-free word copies)", () => {
    const big = [
      fc.tuple(fc.array(packetArb(700), { minLength: 1, maxLength: 3 }), fc.boolean()).map(([p, w]) => new WriteCmd(p, w)),
      fc.integer({ min: 1, max: 3 }).map((n) => new ReadCmd(n)),
    ];
    fc.assert(
      fc.property(profileArb, fc.integer({ min: 64, max: 512 }).map((n) => n * 8), fc.nat(), fc.constantFrom("set", "words", "staging"), fc.commands(big, { maxCommands: 20 }), (profile, size, startSeed, copy, cmds) => {
        const start = (startSeed % (size / 8)) * 8;
        const ring = makeRing(size, { writeIndex: start, readIndex: start });
        if (!ring.ok) throw new Error("bad size");
        const allocationFree = copy === "words";
        // staging: a ring in a shared WebAssembly.Memory; payloads written from the producer's
        // staging area, packets read into the consumer's (readBatch's scratch), both by memory.copy.
        const h = shmFromRing(ring.value, copy === "staging" ? { staging: size + 4 * 720 } : {});
        const real: Real = { h, prod: new ShmProducer(h, RING_PROFILES[profile], { allocationFree }), cons: new ShmConsumer(h, RING_PROFILES[profile], { allocationFree }) };
        fc.modelRun(() => ({ model: { ring: ring.value, profile }, real }), cmds);
      }),
      { numRuns: Number(process.env.RING_RUNS ?? 100) },
    );
  });

  it("regression (found by the property above): write-then-full-without-waiting clears pending_send_sz in both", () => {
    const ring = makeRing(64, { pendingSendSize: 1 });
    if (!ring.ok) throw new Error("bad size");
    const h = shmFromRing(ring.value);
    const prod = new ShmProducer(h, RING_PROFILES.strict);
    const packets: Packet[] = [
      { type: 6, flags: 0, transId: "0", body: { kind: "plain" }, payload: new Uint8Array(0) },
      { type: 9, flags: 0, transId: "0", body: { kind: "gpaDirect", reserved: 0, ranges: [{ byteOffset: 0, byteCount: 1, pfns: ["0"] }] }, payload: new Uint8Array(0) },
    ];
    const { ring: after, ...expected } = writeBatch(ring.value, packets, RING_PROFILES.strict, { waitIfFull: false });
    expect(expected.outcomes.map((o) => o.kind)).toEqual(["written", "full"]);
    expect(after.control.pendingSendSize).toBe(0);
    expect(prod.writeBatch(packets, { waitIfFull: false })).toEqual(expected);
    expect(ringOfShm(h)).toEqual(after);
  });

  it("wrap-around at every position of descriptor, payload and trailer (exhaustive on a 64- and 72-byte ring)", () => {
    for (const size of [64, 72]) {
      for (const profile of ["strict", "qemu", "openvmm"] as const) {
        for (let start = 0; start < size; start += 8) {
          for (let len = 0; len <= 24; len++) {
            const ring = makeRing(size, { writeIndex: start, readIndex: start });
            if (!ring.ok) throw new Error("bad size");
            // stale bytes so that QEMU's unwritten padding/trailer is visible
            const stale: Ring = { control: ring.value.control, data: ring.value.data.map((_, i) => (i * 13 + 5) & 0xff) };
            const h = shmFromRing(stale);
            const prod = new ShmProducer(h, RING_PROFILES[profile]);
            const cons = new ShmConsumer(h, RING_PROFILES[profile]);
            const packet: Packet = { type: 6, flags: 1, transId: "1311768467463790320", body: { kind: "plain" }, payload: Uint8Array.from({ length: len }, (_, i) => i + 1) };
            const { ring: afterWrite, ...w } = writeBatch(stale, [packet], RING_PROFILES[profile]);
            expect(prod.writeBatch([packet])).toEqual(w);
            expect(w.outcomes[0]!.kind).toBe("written");
            expect(ringOfShm(h).data).toEqual(afterWrite.data);
            const { ring: afterRead, ...rd } = readBatch(afterWrite, RING_PROFILES[profile], 4);
            expect(cons.readBatch(4)).toEqual(rd);
            expect(ringOfShm(h)).toEqual(afterRead);
            const got = rd.packets[0]!.packet;
            expect(got.transId).toBe(packet.transId);
            expect(got.payload.subarray(0, len)).toEqual(packet.payload);
            if (profile !== "qemu") expect(got.payload.subarray(len).every((b) => b === 0)).toBe(true);
          }
        }
      }
    }
  });
});
