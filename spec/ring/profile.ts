/**
 * Ring-buffer profiles: every point where the implementations of §8 disagree is a NAMED
 * parameter here, with its value per profile, the source of each value, and (for `strict`) why
 * that value interoperates with every peer. The reducers in this directory and the shm adapter
 * read only these parameters; they never test the profile's name.
 */
import type { ProfileName } from "../profiles.js";
import { PacketType } from "../wire/packet.js";

/** §8.4: when a packet of `total` bytes (len8×8 + 8) may be written given `avail` free bytes. */
export type FullRule =
  /** total ≤ avail − 8: never fill the ring completely (Linux/DPDK `avail > total`, QEMU `≤ (r−w−1) mod len`, OpenVMM `free = avail − 8 ≥ total`). */
  "keep8";

/** §8.4: the largest packet a writer accepts at all (larger is a fault, not `full`). */
export type AbsoluteLimit =
  /** total ≤ dataSize − 8: the largest packet that fits an empty ring. */
  | "sizeMinus8"
  /** total < dataSize − 8 (OpenVMM rejects `total ≥ datasize − 8` as InvalidMessageLength). */
  | "belowSizeMinus8";

/** §8.6: when the writer signals the reader after publishing. */
export type WriterSignal =
  /** read index == write index before this packet/batch (Linux, DPDK, OpenVMM). */
  | "wasEmpty"
  /** (newWrite − read) mod size ≤ bytes written by this batch (QEMU). */
  | "unreadAtMostWritten";

/** §8.7: the inequality the reader applies to B (free before), A (free after) and P. */
export type ReaderBound =
  /** B ≤ P < A: "Exactly filling the ring buffer is treated as not enough space" (Linux, DPDK, MS-pf "greater than"). */
  | "beforeAtMostBelowAfter"
  /** B < P ≤ A (QEMU `F − read < P ≤ F`, OpenVMM `old_free < P' ≤ new_free`). */
  | "beforeBelowAtMostAfter";

/** §8.7: what the reader counts as free space. */
export type ReaderFree =
  /** avail = size − used (size when empty) (Linux, DPDK). */
  | "avail"
  /** avail − 8 (OpenVMM `ring_free`). */
  | "availMinus8"
  /** (r − w) mod size, which is 0 on an empty ring (QEMU, §12.2 row 13). */
  | "zeroWhenEmpty";

/** §8.7: how a clear feature bit / a set interrupt mask affect the reader's signal. */
export type FeatureBitEffect = "suppress" | "force" | "ignore";
export type MaskEffect = "suppress" | "ignore";

/** §8.3 reader validation: what a reader does when len8×8 (+ trailer) exceeds what was published. */
export type TruncatedPacket =
  /** a named fault (OpenVMM InvalidDescriptorLengths / InvalidDataAvailable). */
  | "fault"
  /** `incomplete`: return nothing and wait (QEMU, DPDK). */
  | "incomplete"
  /** clamp len8 to what is available (Linux `hv_pkt_iter_first`). */
  | "clamp";

/** §8.3: a reader's reaction to offset8 < 2 or offset8 > len8. */
export type BadOffset = "fault" | "clamp";

/** §8.7 "How writers set P": the pending_send_sz value a waiting writer stores for a packet of `total` bytes. */
export type PendingValue =
  /** total (QEMU "bytes needed", Linux raw size). */
  | "total"
  /** (total + 7) & ~7 (OpenVMM `set_pending_send_size`); equals total for 8-aligned totals. */
  | "roundUp8"
  /** total + 1: the one value every reader's inequality turns into "signal exactly when total fits" (derived, see strict). */
  | "totalPlus1";

export interface RingProfile {
  readonly name: ProfileName;
  readonly fullRule: FullRule;
  readonly absoluteLimit: AbsoluteLimit;
  readonly writerSignal: WriterSignal;
  /** Whether the writer writes the padding bytes and the trailer (QEMU only advances past them, §12.2 row 14). */
  readonly writesTrailerAndPadding: boolean;
  readonly pendingValue: PendingValue;
  readonly readerBound: ReaderBound;
  readonly readerFree: ReaderFree;
  /** Whether the reader rounds P down to a multiple of 8 before comparing (OpenVMM). */
  readonly pendingRoundedDown: boolean;
  /** Effect of a CLEAR feature bit (bit 0) on the ring just read. */
  readonly featureBitClear: FeatureBitEffect;
  /** Effect of a non-zero interrupt_mask on the ring just read. */
  readonly interruptMask: MaskEffect;
  /** Minimum data-area size of a real ring in bytes (the pure model accepts any multiple of 8 ≥ 64). */
  readonly minDataSize: number;
  /** Packet types the reader accepts; null = any (not checked). */
  readonly acceptedTypes: readonly number[] | null;
  readonly truncatedPacket: TruncatedPacket;
  /** Whether the reader needs the 8 trailer bytes published too before it takes a packet. */
  readonly needsTrailer: boolean;
  readonly badOffset: BadOffset;
  /** Whether the reader validates and parses GPA-direct / transfer-page headers (Linux and DPDK hand packets to drivers raw). */
  readonly parsesTypedHeaders: boolean;
  /** Linux copies each packet into a private buffer of this size and clamps to it (VMBUS_DEFAULT_MAX_PKT_SIZE); null = no limit. */
  readonly readerBufferSize: number | null;
}

export interface ParameterDoc {
  readonly key: keyof Omit<RingProfile, "name">;
  readonly title: string;
  /** Why `strict` has its value. */
  readonly strictWhy: string;
  /** Source per profile value. */
  readonly source: string;
}

const T = PacketType;

const STRICT: RingProfile = {
  name: "strict",
  fullRule: "keep8",
  absoluteLimit: "sizeMinus8",
  writerSignal: "wasEmpty",
  writesTrailerAndPadding: true,
  pendingValue: "totalPlus1",
  readerBound: "beforeAtMostBelowAfter",
  readerFree: "avail",
  pendingRoundedDown: false,
  featureBitClear: "suppress",
  interruptMask: "ignore",
  minDataSize: 4096,
  acceptedTypes: [T.DataInBand, T.DataUsingTransferPages, T.DataUsingGpaDirect, T.Completion],
  truncatedPacket: "fault",
  needsTrailer: true,
  badOffset: "fault",
  parsesTypedHeaders: true,
  readerBufferSize: null,
};

export const RING_PROFILES: Readonly<Record<ProfileName, RingProfile>> = {
  strict: STRICT,
  linux: {
    name: "linux",
    fullRule: "keep8",
    absoluteLimit: "sizeMinus8",
    writerSignal: "wasEmpty",
    writesTrailerAndPadding: true,
    pendingValue: "total",
    readerBound: "beforeAtMostBelowAfter",
    readerFree: "avail",
    pendingRoundedDown: false,
    featureBitClear: "suppress",
    interruptMask: "ignore",
    minDataSize: 4096,
    acceptedTypes: null,
    truncatedPacket: "clamp",
    needsTrailer: false,
    badOffset: "clamp",
    parsesTypedHeaders: false,
    readerBufferSize: 4096,
  },
  dpdk: {
    name: "dpdk",
    fullRule: "keep8",
    absoluteLimit: "sizeMinus8",
    writerSignal: "wasEmpty",
    writesTrailerAndPadding: true,
    pendingValue: "total",
    readerBound: "beforeAtMostBelowAfter",
    readerFree: "avail",
    pendingRoundedDown: false,
    featureBitClear: "suppress",
    interruptMask: "ignore",
    minDataSize: 4096,
    acceptedTypes: null,
    truncatedPacket: "incomplete",
    needsTrailer: true,
    badOffset: "fault",
    parsesTypedHeaders: false,
    readerBufferSize: null,
  },
  qemu: {
    name: "qemu",
    fullRule: "keep8",
    absoluteLimit: "sizeMinus8",
    writerSignal: "unreadAtMostWritten",
    writesTrailerAndPadding: false,
    pendingValue: "total",
    readerBound: "beforeBelowAtMostAfter",
    readerFree: "zeroWhenEmpty",
    pendingRoundedDown: false,
    featureBitClear: "force",
    interruptMask: "suppress",
    minDataSize: 4096,
    acceptedTypes: [T.DataInBand, T.DataUsingGpaDirect, T.Completion],
    truncatedPacket: "incomplete",
    // Q-vmbus vmbus_channel_recv_peek: `pktlen + sizeof(uint64_t) > avail` -> wait for the trailer too.
    needsTrailer: true,
    badOffset: "fault",
    parsesTypedHeaders: true,
    readerBufferSize: null,
  },
  openvmm: {
    name: "openvmm",
    fullRule: "keep8",
    absoluteLimit: "belowSizeMinus8",
    writerSignal: "wasEmpty",
    writesTrailerAndPadding: true,
    pendingValue: "roundUp8",
    readerBound: "beforeBelowAtMostAfter",
    readerFree: "availMinus8",
    pendingRoundedDown: true,
    featureBitClear: "ignore",
    interruptMask: "ignore",
    minDataSize: 0,
    acceptedTypes: [T.DataInBand, T.DataUsingTransferPages, T.DataUsingGpaDirect, T.Completion],
    truncatedPacket: "fault",
    needsTrailer: false,
    badOffset: "fault",
    parsesTypedHeaders: true,
    readerBufferSize: null,
  },
};

export const ringProfile = (name: ProfileName): RingProfile => RING_PROFILES[name];

/** The parameter table as documentation data (docs/ring.md is generated from it). */
export const RING_PARAMETER_DOCS: readonly ParameterDoc[] = [
  {
    key: "fullRule",
    title: "exactly-full rule: a packet of total = len8×8 + 8 bytes fits iff",
    strictWhy: "Every implementation keeps ≥ 8 bytes free because read == write means empty; for 8-aligned totals their conditions coincide.",
    source: "§8.4; L-ring hv_ringbuffer_write, D-ring, Q-vmbus ringbuf_send_avail, O-ring ring_free",
  },
  {
    key: "absoluteLimit",
    title: "largest packet a writer accepts at all (larger → fault packetTooLarge, not full)",
    strictWhy: "A packet that cannot fit even an empty ring would wait forever; a reader never cares how large a writer's limit is, so strict uses the geometric limit.",
    source: "§8.4; O-ring write/maximum_packet_size (total ≥ datasize − 8 rejected)",
  },
  {
    key: "writerSignal",
    title: "writer signals the reader iff interrupt_mask == 0 and",
    strictWhy: "Only the empty → non-empty transition needs a wake-up (a reader that is reading re-checks before sleeping); Windows hosts throttle guests that signal more often, so strict never sends QEMU's extra signals.",
    source: "§8.6; L-ring hv_signal_on_write, D-ring vmbus_txbr_need_signal, O-ring commit_write, Q-vmbus ringbuf_send_update_idx",
  },
  {
    key: "writesTrailerAndPadding",
    title: "writer writes padding bytes and the trailer",
    strictWhy: "Readers skip them, but a reader must never see stale ring contents as a packet's padding; Linux, DPDK and OpenVMM write both.",
    source: "§8.3, §12.2 row 14; Q-vmbus vmbus_channel_send",
  },
  {
    key: "pendingValue",
    title: "pending_send_sz a waiting writer stores for a packet of total bytes",
    strictWhy: "Every writer needs avail ≥ total + 8. Readers signal at A > P (Linux, DPDK), A ≥ P (QEMU) or A − 8 ≥ P & ~7 (OpenVMM); P = total + 1 makes all four fire exactly at avail ≥ total + 8, where P = total wakes a QEMU reader's writer 8 bytes early (it fails again and may never be signalled). Derived.",
    source: "§8.7 How writers set P; Q-vmbus vmbus_channel_reserve, O-ring set_pending_send_size, L-hyperv.h set_channel_pending_send_size",
  },
  {
    key: "readerBound",
    title: "reader signals the writer iff (B = free before the batch, A = free after)",
    strictWhy: "Writers that set P need free > P (MS-pf \"greater than\", Linux \"exactly filling is not enough\"); signalling at A = P wakes a writer that still cannot write and then never again.",
    source: "§8.7; L-ring hv_pkt_iter_close, D-chan rte_vmbus_chan_signal_read, Q-vmbus vmbus_channel_recv_done, O-ring commit_read",
  },
  {
    key: "readerFree",
    title: "free space the reader compares with P",
    strictWhy: "avail (size − used) is what every writer's own check is written in; QEMU's 0-when-empty misses the wake-up when a reader drains the ring completely (§12.2 row 13).",
    source: "§8.7; L-ring, D-chan, O-ring ring_free, Q-vmbus (F = (r − w) mod len)",
  },
  {
    key: "pendingRoundedDown",
    title: "reader rounds P down to a multiple of 8",
    strictWhy: "With the strict bound (A > P) rounding changes nothing for 8-aligned A, and raw P keeps the comparison the one MS-pf states.",
    source: "§8.7, §12.1; O-ring commit_read (\"Some implementations set the pending send size to the size of the ring minus 1\")",
  },
  {
    key: "featureBitClear",
    title: "reader's signal when the ring's feature bit 0 (pending_send_sz support) is clear",
    strictWhy: "A writer that did not set the bit promised to poll and \"not signal the other end\" (L-hyperv.h); signalling it anyway is an unexpected interrupt.",
    source: "§8.2, §8.7; L-ring OHCL (suppress), Q-vmbus and historic Linux (force: always signal), O-ring (not consulted)",
  },
  {
    key: "interruptMask",
    title: "reader's signal when interrupt_mask on the ring it reads is non-zero",
    strictWhy: "That mask is the reader's own request not to be interrupted; it says nothing about the writer (\"The interrupt_mask is not used to determine when to signal\", L-ring).",
    source: "§8.7; L-ring OHCL, O-ring (ignore), Q-vmbus vmbus_channel_recv_done (suppress)",
  },
  {
    key: "minDataSize",
    title: "minimum data-area bytes of a real ring",
    strictWhy: "QEMU needs 2 pages per ring (one data page); a smaller ring is refused by QEMU.",
    source: "§8.1; Q-vmbus ringbufs_init, O-gring make_rings, D-ring, L-chan",
  },
  {
    key: "acceptedTypes",
    title: "packet types a reader accepts (others → fault unexpectedPacketType)",
    strictWhy: "The four data-carrying types every writer produces; a strict writer should send only these (QEMU refuses 0x7).",
    source: "§8.3; Q-vmbus vmbus_channel_recv_peek, O-ring parse_packet, D-reg",
  },
  {
    key: "truncatedPacket",
    title: "packet that extends beyond the published write index",
    strictWhy: "Writers publish whole packets, so a descriptor reaching past the write index is malformed, not early; a fault is the only answer that cannot hang or desynchronise.",
    source: "§8.3 reader validation; O-ring parse_packet (fault), Q-vmbus / D-ring (wait), L-ring hv_pkt_iter_first (clamp)",
  },
  {
    key: "needsTrailer",
    title: "reader requires the 8 trailer bytes to be published as well",
    strictWhy: "Every writer publishes the write index past the trailer; demanding it catches a writer that does not.",
    source: "§8.3; D-ring (16 + 8 bytes before peeking), Q-vmbus vmbus_channel_recv_peek (pktlen + 8 > avail waits), O-ring (no trailer term)",
  },
  {
    key: "badOffset",
    title: "offset8 < 2 or offset8 > len8",
    strictWhy: "A fault is explicit; Linux's clamp hides a broken peer.",
    source: "§8.3; Q-vmbus \"malformed packet\", O-ring InvalidDescriptorLengths, D-ring -EIO, L-ring clamp to 16 bytes",
  },
  {
    key: "parsesTypedHeaders",
    title: "reader validates GPA-direct / transfer-page headers (range counts, PFN counts)",
    strictWhy: "A range list that does not fit its header would make any consumer read outside the packet; checking it in the ring layer catches it once for every device.",
    source: "§8.3 GPA-direct details; Q-vmbus vmbus_channel_recv_peek, O-ring parse_packet, L-ring (not parsed)",
  },
  {
    key: "readerBufferSize",
    title: "reader's private packet buffer (len8 clamped to it)",
    strictWhy: "No limit: the spec reads any packet the ring can hold.",
    source: "§8.9, §10; L-ring hv_pkt_iter_first, L-hyperv.h VMBUS_DEFAULT_MAX_PKT_SIZE 4096",
  },
];
