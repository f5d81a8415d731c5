/** fast-check arbitraries for ring tests: packets of every kind, profiles, ring geometries. */
import fc from "fast-check";
import { PROFILE_NAMES, type ProfileName } from "../../spec/profiles.js";
import { gpaRangePfnCount, PacketType, type GpaRange, type Packet } from "../../spec/wire/packet.js";

export const profileArb: fc.Arbitrary<ProfileName> = fc.constantFrom(...PROFILE_NAMES);
export const u64Arb = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String);

/** Small data sizes (multiples of 8 ≥ 64) so that wrap-around happens all the time. */
export const dataSizeArb = fc.integer({ min: 8, max: 48 }).map((n) => n * 8);

const gpaRangeArb: fc.Arbitrary<GpaRange> = fc
  .record({ byteOffset: fc.integer({ min: 0, max: 4095 }), byteCount: fc.integer({ min: 1, max: 9000 }) })
  .chain(({ byteOffset, byteCount }) =>
    fc.array(u64Arb, { minLength: gpaRangePfnCount(byteOffset, byteCount), maxLength: gpaRangePfnCount(byteOffset, byteCount) }).map((pfns) => ({ byteOffset, byteCount, pfns })),
  );

/**
 * Byte arrays up to `max` long. fast-check's default size keeps lengths small, so above 128 bytes
 * half the arrays are drawn from [64, max]: the shm adapter copies those with TypedArray.set or
 * memory.copy instead of word loops, and those paths must be exercised too.
 */
const bytesArb = (max: number): fc.Arbitrary<Uint8Array> =>
  max <= 128
    ? fc.uint8Array({ maxLength: max })
    : fc.oneof(fc.uint8Array({ maxLength: max }), fc.integer({ min: 64, max }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })));

/** Payloads whose start is 4-aligned or not within their buffer (the shm copy has a word path for aligned ones). */
export const payloadArb = (max: number): fc.Arbitrary<Uint8Array> =>
  fc.tuple(bytesArb(max), fc.integer({ min: 0, max: 3 })).map(([b, skew]) => {
    if (skew === 0) return b;
    const holder = new Uint8Array(b.length + skew);
    holder.set(b, skew);
    return holder.subarray(skew);
  });

/** Well-formed packets of the four data types plus the odd unaccepted type. */
export const packetArb = (maxPayload = 40): fc.Arbitrary<Packet> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ type: fc.constantFrom(PacketType.DataInBand, PacketType.Completion, PacketType.Synch, PacketType.CancelRequest), flags: fc.integer({ min: 0, max: 3 }), transId: u64Arb, body: fc.constant({ kind: "plain" as const }), payload: payloadArb(maxPayload) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant(PacketType.DataUsingGpaDirect),
        flags: fc.integer({ min: 0, max: 1 }),
        transId: u64Arb,
        body: fc.record({ kind: fc.constant("gpaDirect" as const), reserved: fc.integer({ min: 0, max: 0xffffffff }), ranges: fc.array(gpaRangeArb, { minLength: 1, maxLength: 2 }) }),
        payload: payloadArb(maxPayload),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant(PacketType.DataUsingTransferPages),
        flags: fc.integer({ min: 0, max: 1 }),
        transId: u64Arb,
        body: fc.record({
          kind: fc.constant("transferPage" as const),
          transferPageSetId: fc.integer({ min: 0, max: 0xffff }),
          senderOwnsSet: fc.integer({ min: 0, max: 1 }),
          reserved: fc.integer({ min: 0, max: 255 }),
          ranges: fc.array(fc.record({ byteCount: fc.integer({ min: 0, max: 0xffffffff }), byteOffset: fc.integer({ min: 0, max: 0xffffffff }) }), { maxLength: 3 }),
        }),
        payload: payloadArb(maxPayload),
      }),
    },
  );
