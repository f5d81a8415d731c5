/**
 * Ring conformance cases as data: an initial ring (control fields + data area) and a list of
 * operations. The expectations are computed by the ring model (spec/ring) in ring.ts. Initial
 * rings are built by hand (hostile descriptors are raw bytes) or by the strict writer (pre-filled
 * packets), with a non-zero fill pattern so stale bytes are visible in the data area.
 */
import type { ProfileName } from "../../spec/profiles.js";
import type { RingControl } from "../../spec/ring/state.js";
import { PacketType, type Packet, type PacketBody } from "../../spec/wire/packet.js";

/** An operation on the ring, as written in the vector file (docs/vectors.md `ring/`). */
export type RingOp =
  | { readonly op: "write"; readonly packets: readonly Packet[]; readonly waitIfFull?: boolean }
  | { readonly op: "read"; readonly max: number }
  | { readonly op: "peek"; readonly cursor?: number }
  | { readonly op: "commit"; readonly readIndex: number }
  | { readonly op: "beginRead" }
  | { readonly op: "endRead" }
  | { readonly op: "setPendingSendSize"; readonly value: number }
  /** The peer (or the test harness) stores control fields directly. */
  | { readonly op: "peer"; readonly control: Partial<RingControl> };

export interface RingInitial {
  readonly dataSize: number;
  readonly control?: Partial<RingControl>;
  /** Packets written first by the strict writer, starting at `control.writeIndex` (then control is re-applied except the write index). */
  readonly prefill?: readonly Packet[];
  /** Raw bytes stored at data offsets after the fill (hostile descriptors). */
  readonly patches?: readonly { readonly at: number; readonly bytes: readonly number[] }[];
}

export interface RingCase {
  readonly id: string;
  readonly title: string;
  /** Profiles the case is written for (default: all five). */
  readonly profiles?: readonly ProfileName[];
  readonly initial: RingInitial;
  readonly ops: readonly RingOp[];
}

export const RING_CASE_PROFILES: readonly ProfileName[] = ["strict", "qemu", "linux", "openvmm", "dpdk"];

/** Data-area fill byte at offset i (never zero, so zero padding and trailers stand out). */
export const fillByte = (i: number): number => ((i * 7 + 0x11) & 0xff) | 0x01;

// ---- builders --------------------------------------------------------------------------------

const payload = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (0xa0 + seed + i) & 0xff);
/** An in-band packet with an n-byte payload: total = (2 + ceil(n/8)) × 8 + 8 bytes. */
const plain = (n: number, seed = 0, flags = 0): Packet => ({ type: PacketType.DataInBand, flags, transId: String(0x100 + seed), body: { kind: "plain" }, payload: payload(n, seed) });
const typed = (type: number, body: PacketBody, n: number, seed = 0): Packet => ({ type, flags: 1, transId: String(0x200 + seed), body, payload: payload(n, seed) });

const le = (v: number, n: number): number[] => Array.from({ length: n }, (_, i) => Math.floor(v / 2 ** (8 * i)) & 0xff);
/** A raw 16-byte descriptor. */
const desc = (type: number, offset8: number, len8: number, flags = 0, transId = 0x77): number[] => [...le(type, 2), ...le(offset8, 2), ...le(len8, 2), ...le(flags, 2), ...le(transId, 4), 0, 0, 0, 0];
const zeros = (n: number): number[] => new Array<number>(n).fill(0);

const SIZE = 128;
const write = (...packets: Packet[]): RingOp => ({ op: "write", packets });
const read = (max = 1): RingOp => ({ op: "read", max });

// ---- the cases -------------------------------------------------------------------------------

const fullBoundary: RingCase[] = [
  {
    id: "full-largest-on-empty",
    title: "empty 128-byte ring: a packet of total 120 (= size − 8) fits (OpenVMM: total ≥ size − 8 is a packetTooLarge fault), then is read back",
    initial: { dataSize: SIZE },
    ops: [write(plain(96)), read()],
  },
  {
    id: "full-too-large",
    title: "a packet of total 128 (= size) never fits: packetTooLarge (RING-WRITE-3), not full",
    initial: { dataSize: SIZE },
    ops: [write(plain(104))],
  },
  {
    id: "full-exact",
    title: "used 32 of 128: a packet of total 88 leaves exactly 8 bytes free and fits; then a 24-byte packet is full (pending_send_sz stored), a read frees space, the retry clears pending_send_sz",
    initial: { dataSize: SIZE, control: { writeIndex: 40, readIndex: 40 } },
    ops: [write(plain(8, 1)), write(plain(64, 2)), write(plain(0, 3)), read(), write(plain(0, 3)), read(3)],
  },
  {
    id: "full-one-unit-over",
    title: "used 32 of 128: a packet of total 96 would leave 0 bytes free: full (RING-WRITE-1), pending_send_sz stored",
    initial: { dataSize: SIZE, control: { writeIndex: 40, readIndex: 40 } },
    ops: [write(plain(8, 1)), write(plain(72, 2))],
  },
  {
    id: "full-no-wait",
    title: "a full write by a writer that will not wait leaves pending_send_sz alone",
    initial: { dataSize: SIZE, control: { writeIndex: 40, readIndex: 40 } },
    ops: [write(plain(8, 1)), { op: "write", packets: [plain(72, 2)], waitIfFull: false }],
  },
  {
    id: "full-batch",
    title: "a batch of four 32-byte packets into an empty 128-byte ring: three fit, the fourth is full; one publication, one signal",
    initial: { dataSize: SIZE },
    ops: [write(plain(8, 1), plain(8, 2), plain(8, 3), plain(8, 4)), read(4)],
  },
];

/** Every 8-aligned start of a 40-byte packet (16 descriptor + 13 payload + 3 padding + 8 trailer) in a 128-byte ring: the wrap falls in each part. */
const wrap: RingCase[] = Array.from({ length: SIZE / 8 }, (_, k) => k * 8).map((s) => ({
  id: `wrap-at-${String(s).padStart(3, "0")}`,
  title: `packet written at index ${s} of a 128-byte ring (descriptor ${s}..${s + 16}, payload+padding ${s + 16}..${s + 32}, trailer ${s + 32}..${s + 40}, modulo 128), then read`,
  initial: { dataSize: SIZE, control: { writeIndex: s, readIndex: s } },
  ops: [write(plain(13, s / 8)), read()],
}));

const writerSignal: RingCase[] = [
  { id: "wsig-empty", title: "write into an empty ring with interrupt_mask 0: signal (RING-WRITE-6)", initial: { dataSize: SIZE }, ops: [write(plain(8))] },
  { id: "wsig-not-empty", title: "write into a ring holding an unread packet: no signal", initial: { dataSize: SIZE, prefill: [plain(8, 1)] }, ops: [write(plain(8, 2))] },
  { id: "wsig-masked", title: "write into an empty ring whose reader set interrupt_mask: no signal", initial: { dataSize: SIZE, control: { interruptMask: 1 } }, ops: [write(plain(8))] },
  { id: "wsig-masked-any-nonzero", title: "interrupt_mask 0x80000000: any non-zero value masks", initial: { dataSize: SIZE, control: { interruptMask: 0x80000000 } }, ops: [write(plain(8))] },
  { id: "wsig-full", title: "a write that is full publishes nothing: no signal", initial: { dataSize: SIZE, prefill: [plain(40, 1), plain(24, 2)] }, ops: [write(plain(24, 3))] },
  {
    id: "wsig-drained-between",
    title: "the reader drains the ring between two writes: the second write signals again",
    initial: { dataSize: SIZE, control: { writeIndex: 96, readIndex: 96 } },
    ops: [write(plain(8, 1)), write(plain(8, 2)), read(2), write(plain(8, 3))],
  },
  {
    id: "wsig-begin-end-read",
    title: "hv_begin_read masks; a write while masked does not signal; hv_end_read unmasks and reports pending data (RING-READ-5); the reader reads it",
    initial: { dataSize: SIZE },
    ops: [{ op: "beginRead" }, write(plain(8, 1)), { op: "endRead" }, read(), { op: "endRead" }],
  },
];

/** 3 packets of 32 bytes in a 128-byte ring (free B = 32); reading one makes free A = 64. */
const readerPrefill = (control: Partial<RingControl>): RingInitial => ({ dataSize: SIZE, prefill: [plain(8, 1), plain(8, 2), plain(8, 3)], control });
const readerSignal: RingCase[] = [
  ...[0, 24, 31, 32, 33, 40, 56, 57, 63, 64, 65, 72].map((P) => ({
    id: `rsig-pending-${String(P).padStart(3, "0")}`,
    title: `pending_send_sz ${P}; free before the read B = 32, after A = 64 (RING-READ-4: strict B ≤ P < A; QEMU/OpenVMM B < P ≤ A with their free measures)`,
    initial: readerPrefill({ pendingSendSize: P }),
    ops: [read()],
  })),
  { id: "rsig-feature-bit-clear", title: "feature bit 0 clear, pending_send_sz 40: strict/Linux/DPDK suppress, QEMU forces a signal, OpenVMM ignores the bit", initial: readerPrefill({ pendingSendSize: 40, featureBits: 0 }), ops: [read()] },
  { id: "rsig-feature-bit-clear-no-pending", title: "feature bit 0 clear, pending_send_sz 0: QEMU still signals (force)", initial: readerPrefill({ pendingSendSize: 0, featureBits: 0 }), ops: [read()] },
  { id: "rsig-feature-bits-other", title: "feature_bits 0xFFFFFFFE: only bit 0 counts (it is clear), pending_send_sz 40", initial: readerPrefill({ pendingSendSize: 40, featureBits: 0xfffffffe }), ops: [read()] },
  { id: "rsig-interrupt-mask", title: "interrupt_mask 1 on the ring read, pending_send_sz 40: QEMU suppresses, the others ignore the mask", initial: readerPrefill({ pendingSendSize: 40, interruptMask: 1 }), ops: [read()] },
  {
    id: "rsig-drain-empty",
    title: "the read drains the ring (one 32-byte packet, free 96 → 128) with pending_send_sz 100: QEMU's free space is 0 on an empty ring, so it does not signal (QEMU quirk Q13)",
    initial: { dataSize: SIZE, prefill: [plain(8, 1)], control: { pendingSendSize: 100 } },
    ops: [read()],
  },
  { id: "rsig-batch", title: "one commit after a batch of two packets (free 32 → 96), pending_send_sz 70", initial: readerPrefill({ pendingSendSize: 70 }), ops: [read(2)] },
  {
    id: "rsig-peek-commit",
    title: "peek without moving the read index, then commit past the packet: the same signal decision as a read",
    initial: readerPrefill({ pendingSendSize: 40 }),
    ops: [{ op: "peek" }, { op: "peek", cursor: 32 }, { op: "commit", readIndex: 64 }, { op: "commit", readIndex: 64 }],
  },
];

const pending: RingCase[] = [
  {
    id: "pending-set-clear",
    title: "setPendingSendSize stores the value; a successful write clears it (RING-WRITE-7)",
    initial: { dataSize: SIZE },
    ops: [{ op: "setPendingSendSize", value: 200 }, write(plain(8)), { op: "setPendingSendSize", value: 0 }],
  },
  {
    id: "pending-wait-and-wake",
    title: "a writer waits for a 56-byte packet (pending_send_sz is the profile's value for total 56); the reader's reads cross it and signal",
    initial: { dataSize: SIZE, prefill: [plain(8, 1), plain(8, 2), plain(8, 3)] },
    ops: [write(plain(32, 4)), read(), read(), write(plain(32, 4))],
  },
];

const gpaRange = (byteCount: number, byteOffset: number, pfns: number[]): number[] => [...le(byteCount, 4), ...le(byteOffset, 4), ...pfns.flatMap((p) => [...le(p, 4), 0, 0, 0, 0])];
const hostileRead = (id: string, title: string, bytes: number[], writeIndex: number, control: Partial<RingControl> = {}): RingCase => ({
  id,
  title,
  initial: { dataSize: SIZE, control: { writeIndex, readIndex: 0, ...control }, patches: [{ at: 0, bytes }] },
  ops: [read(), { op: "peek" }],
});

const hostile: RingCase[] = [
  { id: "hostile-write-index-out-of-range", title: "write_index 128 (= data size): the reader's and the writer's fault (RING-IDX-1)", initial: { dataSize: SIZE, control: { writeIndex: 128 } }, ops: [read(), write(plain(8))] },
  { id: "hostile-write-index-huge", title: "write_index 0xFFFFFFF8", initial: { dataSize: SIZE, control: { writeIndex: 0xfffffff8 } }, ops: [read(), { op: "endRead" }] },
  { id: "hostile-read-index-out-of-range", title: "read_index 136 (beyond the data size): the writer's fault (RING-IDX-1)", initial: { dataSize: SIZE, control: { readIndex: 136 } }, ops: [write(plain(8)), read()] },
  { id: "hostile-write-index-unaligned", title: "write_index 44 (not a multiple of 8): the reader's fault (RING-IDX-2)", initial: { dataSize: SIZE, control: { writeIndex: 44 } }, ops: [read()] },
  { id: "hostile-read-index-unaligned", title: "read_index 4: the writer's fault (RING-IDX-2)", initial: { dataSize: SIZE, control: { readIndex: 4 } }, ops: [write(plain(8))] },
  hostileRead("hostile-short", "8 bytes published: fewer than a descriptor (RING-PKT-1)", desc(6, 2, 3), 8),
  hostileRead("hostile-offset8-below-2", "offset8 1 < 2 (RING-PKT-2; Linux clamps to 2)", [...desc(6, 1, 4), ...zeros(24)], 40),
  hostileRead("hostile-offset8-zero", "offset8 0 (RING-PKT-2)", [...desc(6, 0, 4), ...zeros(24)], 40),
  hostileRead("hostile-offset8-beyond-len8", "offset8 5 > len8 4 (RING-PKT-3)", [...desc(6, 5, 4), ...zeros(24)], 40),
  hostileRead("hostile-len8-beyond-data", "len8 10 (80 bytes) with 40 bytes published (RING-PKT-4 / RING-READ-6: fault, wait or clamp)", [...desc(6, 2, 10), ...zeros(24)], 40),
  hostileRead("hostile-len8-huge", "len8 0xFFFF with 40 bytes published", [...desc(6, 2, 0xffff), ...zeros(24)], 40),
  hostileRead("hostile-len8-below-2", "len8 1 (shorter than its descriptor)", [...desc(6, 2, 1), ...zeros(24)], 40),
  hostileRead("hostile-no-trailer", "a 32-byte packet whose trailer is not published (write_index 32): strict and DPDK need the trailer", [...desc(6, 2, 4), ...zeros(16)], 32),
  hostileRead("hostile-unknown-type", "packet type 1 (RING-READ-3: strict, QEMU and OpenVMM refuse it)", [...desc(1, 2, 4), ...zeros(24)], 40),
  hostileRead("hostile-transfer-pages", "a well-formed transfer-page packet (type 7): QEMU refuses the type", [...desc(7, 4, 5), 1, 0, 0, 0, ...le(1, 4), ...le(64, 4), ...le(0, 4), ...zeros(16)], 48),
  hostileRead("hostile-gpa-offset8-2", "GPA-direct packet with offset8 2: no room for its 24-byte header (RING-PKT-5)", [...desc(9, 2, 4), ...zeros(24)], 40),
  hostileRead("hostile-gpa-no-ranges", "GPA-direct packet with range count 0 (RING-PKT-6)", [...desc(9, 3, 4), ...le(0, 4), ...le(0, 4), ...zeros(16)], 40),
  hostileRead("hostile-gpa-range-count-too-big", "GPA-direct packet with range count 5 in a 40-byte header (RING-PKT-6)", [...desc(9, 5, 5), ...le(0, 4), ...le(5, 4), ...gpaRange(4096, 0, [0x1234]), ...zeros(8)], 48),
  hostileRead("hostile-gpa-range-empty", "GPA range with byte_count 0 (RING-PKT-7)", [...desc(9, 5, 5), ...le(0, 4), ...le(1, 4), ...gpaRange(0, 0, [0x1234]), ...zeros(8)], 48),
  hostileRead("hostile-gpa-range-offset", "GPA range with byte_offset 4096 (RING-PKT-7)", [...desc(9, 5, 5), ...le(0, 4), ...le(1, 4), ...gpaRange(16, 4096, [0x1234]), ...zeros(8)], 48),
  hostileRead("hostile-gpa-pfns-beyond-header", "GPA range of 8192 bytes (2 PFNs) with room for 1 (RING-PKT-8)", [...desc(9, 5, 5), ...le(0, 4), ...le(1, 4), ...gpaRange(8192, 0, [0x1234]), ...zeros(8)], 48),
  hostileRead("hostile-xfer-range-count-too-big", "transfer-page packet with range count 3 and room for 1 (RING-PKT-6)", [...desc(7, 4, 5), 1, 0, 0, 0, ...le(3, 4), ...le(64, 4), ...le(0, 4), ...zeros(16)], 48),
  { id: "hostile-commit-out-of-range", title: "committing read index 200 (beyond the data size) is a fault; so is 12 (misaligned)", initial: { dataSize: SIZE, prefill: [plain(8, 1)] }, ops: [{ op: "commit", readIndex: 200 }, { op: "commit", readIndex: 12 }, read()] },
  {
    id: "hostile-peer-moves-index",
    title: "the peer stores a write index beyond the data size between two reads",
    initial: { dataSize: SIZE, prefill: [plain(8, 1), plain(8, 2)] },
    ops: [read(), { op: "peer", control: { writeIndex: 4096 } }, read(), { op: "peer", control: { writeIndex: 64 } }, read()],
  },
];

export const RING_CASES: readonly RingCase[] = [...fullBoundary, ...wrap, ...writerSignal, ...readerSignal, ...pending, ...hostile];
