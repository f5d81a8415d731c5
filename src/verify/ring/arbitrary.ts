/**
 * fast-check arbitraries for random ring sessions: a small ring whose empty start sits at any
 * 8-aligned position (so packets wrap at every offset), then sequences of writes of random
 * sizes and types (single or batched), writes that make the ring exactly full or one unit
 * over, reads and shows, the peer storing interrupt_mask / pending_send_sz / feature bits, and
 * hostile writers storing bad descriptors. Packets given to `write` are always valid ones
 * (a strict reader accepts them); hostile bytes go through `patch` only.
 */
import fc from "fast-check";
import { bytesToHex } from "../../../spec/wire/hex.js";
import { gpaRangePfnCount, PacketType } from "../../../spec/wire/packet.js";
import type { PacketLine, Step } from "./session.js";
import { payloadHex, type AnyStep } from "./symbolic.js";

const DATA_SIZES = [64, 72, 128, 136, 256, 512];

const u64Arb = fc.oneof(fc.constantFrom("0", "1", "18446744073709551615"), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String));

const payloadArb = (max: number): fc.Arbitrary<string> => fc.tuple(fc.integer({ min: 0, max }), fc.nat(255)).map(([n, seed]) => payloadHex(n, seed));

const gpaRangeArb = fc
  .record({ byteOffset: fc.integer({ min: 0, max: 4095 }), byteCount: fc.integer({ min: 1, max: 9000 }) })
  .chain(({ byteOffset, byteCount }) => {
    const n = gpaRangePfnCount(byteOffset, byteCount);
    return fc.array(u64Arb, { minLength: n, maxLength: n }).map((pfns) => ({ byteCount, byteOffset, pfns }));
  });

export const packetLineArb: fc.Arbitrary<PacketLine> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constantFrom(PacketType.DataInBand, PacketType.Completion), flags: fc.integer({ min: 0, max: 1 }), transId: u64Arb, payload: payloadArb(120) }) },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant(PacketType.DataUsingGpaDirect), flags: fc.integer({ min: 0, max: 1 }), transId: u64Arb, payload: payloadArb(40), reserved: fc.constantFrom(0, 7), ranges: fc.array(gpaRangeArb, { minLength: 1, maxLength: 2 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant(PacketType.DataUsingTransferPages),
      flags: fc.integer({ min: 0, max: 1 }),
      transId: u64Arb,
      payload: payloadArb(40),
      transferPageSetId: fc.integer({ min: 0, max: 0xffff }),
      senderOwnsSet: fc.integer({ min: 0, max: 1 }),
      reserved: fc.constant(0),
      ranges: fc.array(fc.record({ byteCount: fc.nat(0xffff), byteOffset: fc.nat(0xffff) }), { maxLength: 2 }),
    }),
  },
);

const controlPatchArb: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom(0, 1, 0x80000000).map((interruptMask): Step => ({ op: "patch", control: { interruptMask } })),
  fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 2, max: 70 }).map((k) => k * 8 + 1)).map((pendingSendSize): Step => ({ op: "patch", control: { pendingSendSize } })),
  fc.constantFrom(0, 1, 0xfffffffe).map((featureBits): Step => ({ op: "patch", control: { featureBits } })),
  fc.constantFrom(4, 0xfffffff8).map((writeIndex): Step => ({ op: "patch", control: { writeIndex } })),
);

const hostileArb: fc.Arbitrary<AnyStep> = fc.record({
  op: fc.constant("hostile" as const),
  type: fc.constantFrom(6, 6, 11, 9, 7, 1, 0xffff),
  offset8: fc.integer({ min: 0, max: 8 }),
  len8: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constant(0xffff)),
  tail: fc.uint8Array({ maxLength: 48 }).map(bytesToHex),
  publish8: fc.integer({ min: 0, max: 10 }),
  skew: fc.constantFrom(0, 0, 0, 4),
});

export const stepArb: fc.Arbitrary<AnyStep> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant("write" as const), packets: fc.array(packetLineArb, { minLength: 1, maxLength: 3 }), batch: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("writeFit" as const), delta: fc.constantFrom(0, 1, -1), batch: fc.boolean(), seed: fc.nat(255) }) },
  { weight: 4, arbitrary: fc.oneof(fc.constant({ op: "read" as const }), fc.integer({ min: 1, max: 3 }).map((max) => ({ op: "read" as const, max }))) },
  { weight: 1, arbitrary: fc.constant({ op: "show" as const }) },
  { weight: 2, arbitrary: controlPatchArb },
  { weight: 1, arbitrary: hostileArb },
);

/** A whole random session: init (start anywhere), a non-zero fill of the data area, steps. */
export const sessionArb: fc.Arbitrary<readonly AnyStep[]> = fc
  .record({
    dataSize: fc.constantFrom(...DATA_SIZES),
    start: fc.nat(63),
    featureBits: fc.constantFrom(1, 1, 1, 0),
    fillSeed: fc.nat(255),
    steps: fc.array(stepArb, { minLength: 1, maxLength: 10 }),
  })
  .map(({ dataSize, start, featureBits, fillSeed, steps }): readonly AnyStep[] => {
    const at = (start * 8) % dataSize;
    return [
      { op: "init", dataSize, control: { writeIndex: at, readIndex: at, featureBits } },
      { op: "patch", at: 0, hex: bytesToHex(Uint8Array.from({ length: dataSize }, (_, i) => ((i * 29 + fillSeed) & 0xff) | 1)) },
      ...steps,
    ];
  });
