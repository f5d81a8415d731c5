/**
 * Ring-buffer profiles: every point where the implementations of disagree is a NAMED
 * parameter here, with its value per profile, the source of each value, and (for `strict`) why
 * that value interoperates with every peer. The reducers in this directory and the shm adapter
 * read only these parameters; they never test the profile's name.
 */
import type { ProfileName } from "../profiles.js";
import { PacketType } from "../wire/packet.js";

/** when a packet of `total` bytes (len8×8 + 8) may be written given `avail` free bytes. */
export type FullRule =
  /** total ≤ avail − 8: never fill the ring completely (Linux/DPDK `avail > total`, QEMU `≤ (r−w−1) mod len`, OpenVMM `free = avail − 8 ≥ total`). */
  "keep8";

/** the largest packet a writer accepts at all (larger is a fault, not `full`). */
export type AbsoluteLimit =
  /** total ≤ dataSize − 8: the largest packet that fits an empty ring. */
  | "sizeMinus8"
  /** total < dataSize − 8 (OpenVMM rejects `total ≥ datasize − 8` as InvalidMessageLength). */
  | "belowSizeMinus8";

/** when the writer signals the reader after publishing. */
export type WriterSignal =
  /** read index == write index before this packet/batch (Linux, DPDK, OpenVMM). */
  | "wasEmpty"
  /** (newWrite − read) mod size ≤ bytes written by this batch (QEMU). */
  | "unreadAtMostWritten";

/** the inequality the reader applies to B (free before), A (free after) and P. */
export type ReaderBound =
  /** B ≤ P < A: "Exactly filling the ring buffer is treated as not enough space" (Linux, DPDK, Microsoft mu_msvm VmbusPacketFormat.h "greater than"). */
  | "beforeAtMostBelowAfter"
  /** B < P ≤ A (QEMU `F − read < P ≤ F`, OpenVMM `old_free < P' ≤ new_free`). */
  | "beforeBelowAtMostAfter";

/** what the reader counts as free space. */
export type ReaderFree =
  /** avail = size − used (size when empty) (Linux, DPDK). */
  | "avail"
  /** avail − 8 (OpenVMM `ring_free`). */
  | "availMinus8"
  /** (r − w) mod size, which is 0 on an empty ring (QEMU, QEMU quirk Q13). */
  | "zeroWhenEmpty";

/** how a clear feature bit / a set interrupt mask affect the reader's signal. */
export type FeatureBitEffect = "suppress" | "force" | "ignore";
export type MaskEffect = "suppress" | "ignore";

/** what a reader does when len8×8 (+ trailer) exceeds what was published. */
export type TruncatedPacket =
  /** a named fault (OpenVMM InvalidDescriptorLengths / InvalidDataAvailable). */
  | "fault"
  /** `incomplete`: return nothing and wait (QEMU, DPDK). */
  | "incomplete"
  /** clamp len8 to what is available (Linux `hv_pkt_iter_first`). */
  | "clamp";

/** a reader's reaction to offset8 < 2 or offset8 > len8. */
export type BadOffset = "fault" | "clamp";

/** "How writers set P": the pending_send_sz value a waiting writer stores for a packet of `total` bytes. */
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
  /** Whether the writer writes the padding bytes and the trailer (QEMU only advances past them, QEMU quirk Q14). */
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
    // QEMU hw/hyperv/vmbus.c vmbus_channel_recv_peek: `pktlen + sizeof(uint64_t) > avail` -> wait for the trailer too.
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
    source: "Linux drivers/hv/ring_buffer.c hv_ringbuffer_write, DPDK drivers/bus/vmbus/vmbus_bufring.c, QEMU hw/hyperv/vmbus.c ringbuf_send_avail, OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs ring_free",
  },
  {
    key: "absoluteLimit",
    title: "largest packet a writer accepts at all (larger → fault packetTooLarge, not full)",
    strictWhy: "A packet that cannot fit even an empty ring would wait forever; a reader never cares how large a writer's limit is, so strict uses the geometric limit.",
    source: "OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs write/maximum_packet_size (total ≥ datasize − 8 rejected)",
  },
  {
    key: "writerSignal",
    title: "writer signals the reader iff interrupt_mask == 0 and",
    strictWhy: "Only the empty → non-empty transition needs a wake-up (a reader that is reading re-checks before sleeping); Windows hosts throttle guests that signal more often, so strict never sends QEMU's extra signals.",
    source: "Linux drivers/hv/ring_buffer.c hv_signal_on_write, DPDK drivers/bus/vmbus/vmbus_bufring.c vmbus_txbr_need_signal, OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs commit_write, QEMU hw/hyperv/vmbus.c ringbuf_send_update_idx",
  },
  {
    key: "writesTrailerAndPadding",
    title: "writer writes padding bytes and the trailer",
    strictWhy: "Readers skip them, but a reader must never see stale ring contents as a packet's padding; Linux, DPDK and OpenVMM write both.",
    source: "QEMU quirk Q14; QEMU hw/hyperv/vmbus.c vmbus_channel_send",
  },
  {
    key: "pendingValue",
    title: "pending_send_sz a waiting writer stores for a packet of total bytes",
    strictWhy: "Every writer needs avail ≥ total + 8. Readers signal at A > P (Linux, DPDK), A ≥ P (QEMU) or A − 8 ≥ P & ~7 (OpenVMM); P = total + 1 makes all four fire exactly at avail ≥ total + 8, where P = total wakes a QEMU reader's writer 8 bytes early (it fails again and may never be signalled). Derived.",
    source: "QEMU hw/hyperv/vmbus.c vmbus_channel_reserve, OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs set_pending_send_size, Linux include/linux/hyperv.h set_channel_pending_send_size",
  },
  {
    key: "readerBound",
    title: "reader signals the writer iff (B = free before the batch, A = free after)",
    strictWhy: "Writers that set P need free > P (Microsoft mu_msvm VmbusPacketFormat.h \"greater than\", Linux \"exactly filling is not enough\"); signalling at A = P wakes a writer that still cannot write and then never again.",
    source: "Linux drivers/hv/ring_buffer.c hv_pkt_iter_close, DPDK drivers/bus/vmbus/vmbus_channel.c rte_vmbus_chan_signal_read, QEMU hw/hyperv/vmbus.c vmbus_channel_recv_done, OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs commit_read",
  },
  {
    key: "readerFree",
    title: "free space the reader compares with P",
    strictWhy: "avail (size − used) is what every writer's own check is written in; QEMU's 0-when-empty misses the wake-up when a reader drains the ring completely (QEMU quirk Q13).",
    source: "Linux drivers/hv/ring_buffer.c, DPDK drivers/bus/vmbus/vmbus_channel.c, OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs ring_free, QEMU hw/hyperv/vmbus.c (F = (r − w) mod len)",
  },
  {
    key: "pendingRoundedDown",
    title: "reader rounds P down to a multiple of 8",
    strictWhy: "With the strict bound (A > P) rounding changes nothing for 8-aligned A, and raw P keeps the comparison the one Microsoft mu_msvm VmbusPacketFormat.h states.",
    source: "OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs commit_read (\"Some implementations set the pending send size to the size of the ring minus 1\")",
  },
  {
    key: "featureBitClear",
    title: "reader's signal when the ring's feature bit 0 (pending_send_sz support) is clear",
    strictWhy: "A writer that did not set the bit promised to poll and \"not signal the other end\" (Linux include/linux/hyperv.h); signalling it anyway is an unexpected interrupt.",
    source: "OHCL Linux drivers/hv/ring_buffer.c (suppress), QEMU hw/hyperv/vmbus.c and historic Linux (force: always signal), OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs (not consulted)",
  },
  {
    key: "interruptMask",
    title: "reader's signal when interrupt_mask on the ring it reads is non-zero",
    strictWhy: "That mask is the reader's own request not to be interrupted; it says nothing about the writer (\"The interrupt_mask is not used to determine when to signal\", Linux drivers/hv/ring_buffer.c).",
    source: "OHCL Linux drivers/hv/ring_buffer.c, OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs (ignore), QEMU hw/hyperv/vmbus.c vmbus_channel_recv_done (suppress)",
  },
  {
    key: "minDataSize",
    title: "minimum data-area bytes of a real ring",
    strictWhy: "QEMU needs 2 pages per ring (one data page); a smaller ring is refused by QEMU.",
    source: "QEMU hw/hyperv/vmbus.c ringbufs_init, OpenVMM vm/devices/vmbus/vmbus_channel/src/gpadl_ring.rs make_rings, DPDK drivers/bus/vmbus/vmbus_bufring.c, Linux drivers/hv/channel.c",
  },
  {
    key: "acceptedTypes",
    title: "packet types a reader accepts (others → fault unexpectedPacketType)",
    strictWhy: "The four data-carrying types every writer produces; a strict writer should send only these (QEMU refuses 0x7).",
    source: "QEMU hw/hyperv/vmbus.c vmbus_channel_recv_peek, OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs parse_packet, DPDK drivers/bus/vmbus/rte_vmbus_reg.h",
  },
  {
    key: "truncatedPacket",
    title: "packet that extends beyond the published write index",
    strictWhy: "Writers publish whole packets, so a descriptor reaching past the write index is malformed, not early; a fault is the only answer that cannot hang or desynchronise.",
    source: "OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs parse_packet (fault), QEMU hw/hyperv/vmbus.c / DPDK drivers/bus/vmbus/vmbus_bufring.c (wait), Linux drivers/hv/ring_buffer.c hv_pkt_iter_first (clamp)",
  },
  {
    key: "needsTrailer",
    title: "reader requires the 8 trailer bytes to be published as well",
    strictWhy: "Every writer publishes the write index past the trailer; demanding it catches a writer that does not.",
    source: "DPDK drivers/bus/vmbus/vmbus_bufring.c (16 + 8 bytes before peeking), QEMU hw/hyperv/vmbus.c vmbus_channel_recv_peek (pktlen + 8 > avail waits), OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs (no trailer term)",
  },
  {
    key: "badOffset",
    title: "offset8 < 2 or offset8 > len8",
    strictWhy: "A fault is explicit; Linux's clamp hides a broken peer.",
    source: "QEMU hw/hyperv/vmbus.c \"malformed packet\", OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs InvalidDescriptorLengths, DPDK drivers/bus/vmbus/vmbus_bufring.c -EIO, Linux drivers/hv/ring_buffer.c clamp to 16 bytes",
  },
  {
    key: "parsesTypedHeaders",
    title: "reader validates GPA-direct / transfer-page headers (range counts, PFN counts)",
    strictWhy: "A range list that does not fit its header would make any consumer read outside the packet; checking it in the ring layer catches it once for every device.",
    source: "GPA-direct details; QEMU hw/hyperv/vmbus.c vmbus_channel_recv_peek, OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs parse_packet, Linux drivers/hv/ring_buffer.c (not parsed)",
  },
  {
    key: "readerBufferSize",
    title: "reader's private packet buffer (len8 clamped to it)",
    strictWhy: "No limit: the spec reads any packet the ring can hold.",
    source: "Linux drivers/hv/ring_buffer.c hv_pkt_iter_first, Linux include/linux/hyperv.h VMBUS_DEFAULT_MAX_PKT_SIZE 4096",
  },
];
