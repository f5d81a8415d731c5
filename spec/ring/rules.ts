/**
 * The normative rules of the ring layer (fact sheet §8). Faults and decisions in this
 * directory (and the packet decoder, spec/wire/packet.ts) carry these IDs.
 */
import type { Rule } from "../rules/rule.js";

const ring = (id: string, sentence: string, source: string, profiles: Rule["profiles"] = "all"): Rule => ({ id, area: "ring", sentence, profiles, source });

export const RULES: readonly Rule[] = [
  ring("RING-GEOM-1", "A ring's data area MUST be a whole number of 8-byte units; a real ring's data area is (ring pages − 1) × 4096 bytes and at least the profile's minDataSize (the model accepts any multiple of 8 of at least 64).", "§8.1; Q-vmbus ringbufs_init, O-gring make_rings, D-ring, L-chan"),
  ring("RING-IDX-1", "A reader or writer MUST check that the peer's index (write_index for a reader, read_index for a writer) is below the data size before using it.", "§8.1, §8.8; Q-vmbus vmbus_channel_recv_start (-EOVERFLOW), ringbuf_send_avail (available = 0)"),
  ring("RING-IDX-2", "An index MUST be a multiple of 8, because every packet and its trailer are; a misaligned peer index is a fault.", "§8.3, §8.4 (derived: totals are multiples of 8)"),
  ring("RING-PKT-1", "A reader MUST NOT read a descriptor unless 16 bytes (24 with the trailer, DPDK) are published at its cursor.", "§8.3 reader validation; Q-vmbus, O-ring InvalidDataAvailable, L-ring hv_pkt_iter_first, D-ring"),
  ring("RING-PKT-2", "A packet's offset8 MUST be at least 2 (the payload never overlaps the 16-byte descriptor).", "§8.3; Q-vmbus \"malformed packet\", O-ring InvalidDescriptorLengths, D-ring -EIO, L-ring (clamps)"),
  ring("RING-PKT-3", "A packet's offset8 MUST NOT exceed its len8.", "§8.3; Q-vmbus, O-ring, D-ring, L-ring (clamps)"),
  ring("RING-PKT-4", "A packet's len8 × 8 bytes MUST lie within the bytes the writer has published.", "§8.3; O-ring InvalidDescriptorLengths, Q-vmbus/D-ring (wait), L-ring (clamps)"),
  ring("RING-PKT-5", "A GPA-direct or transfer-page packet MUST have offset8 ≥ 3 so that its 24-byte header lies before the payload.", "§8.3; O-ring parse_packet (offset8 ≥ 3), Q-vmbus range header present"),
  ring("RING-PKT-6", "A packet's range count MUST fit the header bytes before offset8 × 8, and a GPA-direct packet MUST have at least one range.", "§8.3; O-ring range_count ≠ 0, Q-vmbus ranges inside descriptor area"),
  ring("RING-PKT-7", "Each GPA range MUST have a non-zero byte count and a byte offset below 4096.", "§8.3; O-ring gparange.rs EmptyByteCount/OffsetTooLarge, Q-vmbus byte_offset < 4096"),
  ring("RING-PKT-8", "Each GPA range MUST carry ceil((byte_offset + byte_count) / 4096) PFNs inside the packet header.", "§8.3; O-ring gparange.rs RangeTooSmall, Q-vmbus enough PFNs"),
  ring("RING-WRITE-1", "A writer MUST leave at least 8 bytes of the data area free: a packet of total = len8 × 8 + 8 bytes fits only if total ≤ avail − 8, because a full ring would look empty.", "§8.4; L-ring hv_ringbuffer_write, D-ring, Q-vmbus ringbuf_send_avail, O-ring ring_free"),
  ring("RING-WRITE-2", "A writer MUST make the packet bytes and trailer visible before it publishes the new write_index, and MUST read read_index and interrupt_mask only after publishing it.", "§8.5; Q-vmbus barriers [C]/[D], L-ring, O-ring commit_write (SeqCst)"),
  ring("RING-WRITE-3", "A packet larger than the profile's absolute limit (dataSize − 8; OpenVMM: below dataSize − 8) or than len8's 16 bits MUST be refused as a fault, not reported as full.", "§8.4; O-ring write (InvalidMessageLength), maximum_packet_size"),
  ring("RING-WRITE-4", "A writer MUST set offset8 = (16 + typed header) / 8 and len8 = offset8 + ceil(payload / 8).", "§8.3, §8.8; Q-vmbus vmbus_channel_send, L-chan vmbus_sendpacket"),
  ring("RING-WRITE-5", "A writer SHOULD zero the padding and MUST follow each packet with the trailer u64 start_index << 32 (QEMU writes neither).", "§8.3, §12.2 row 14; L-ring, D-ring, O-ring Footer; Q-vmbus vmbus_channel_send", ["strict", "linux", "dpdk", "openvmm"]),
  ring("RING-WRITE-6", "After publishing, a writer MUST signal the reader iff interrupt_mask is 0 and the ring was empty before the batch (read_index == old write_index; QEMU: unread ≤ written).", "§8.6; L-ring hv_signal_on_write, D-ring, O-ring commit_write, Q-vmbus ringbuf_send_update_idx"),
  ring("RING-WRITE-7", "A writer that waits for space MUST store pending_send_sz (strict: total + 1, so that every reader's inequality fires exactly when the packet fits), then re-read read_index before sleeping, and clear pending_send_sz once it has written.", "§8.5 row [A], §8.7; Q-vmbus vmbus_channel_reserve, O-ring set_pending_send_size"),
  ring("RING-READ-1", "A reader MUST load write_index (acquire) before reading the packet bytes it covers, and publish read_index only after it has finished with those bytes.", "§8.5; L-ring (store_release/acquire), O-ring read (Acquire), Q-vmbus [B]/[D]"),
  ring("RING-READ-2", "A reader MUST advance past a packet by len8 × 8 + 8 bytes (skipping the trailer) and MUST NOT interpret the trailer.", "§8.3; L-ring, D-ring (\"useless to us\"), Q-vmbus, O-ring"),
  ring("RING-READ-3", "A reader MUST refuse packet types outside its profile's accepted set (strict: 0x6, 0x7, 0x9, 0xb).", "§8.3; Q-vmbus \"unexpected msg type\", O-ring InvalidDescriptorType"),
  ring("RING-READ-4", "After publishing read_index, a reader MUST signal the writer iff pending_send_sz P ≠ 0 and the free space crossed P (strict: before ≤ P < after, and only when the ring's feature bit 0 is set; the other profiles differ in the parameters readerBound, readerFree, pendingRoundedDown, featureBitClear and interruptMask).", "§8.7; L-ring hv_pkt_iter_close, D-chan, Q-vmbus vmbus_channel_recv_done, O-ring commit_read"),
  ring("RING-READ-5", "A reader that masked interrupts for a batch MUST, after unmasking, re-check for data and keep reading if any arrived, because the writer did not signal while masked.", "§8.6, §8.9; L-hyperv.h hv_end_read, L-drv"),
  ring("RING-READ-6", "A packet that extends beyond the published write index is a fault in strict (writers publish whole packets); QEMU and DPDK wait, Linux clamps.", "§8.3 reader validation; O-ring, Q-vmbus, D-ring, L-ring"),
  ring("RING-LIVE-1", "No interleaving of the writer's and the reader's accesses may leave a side asleep for ever while it has work: a reader with published packets to read, or a writer whose packet fits (a lost wake-up).", "Linux drivers/hv/ring_buffer.c hv_signal_on_write, hv_pkt_iter_close; Linux include/linux/hyperv.h hv_end_read; QEMU hw/hyperv/vmbus.c vmbus_channel_recv_done (QEMU quirk Q13)"),
  ring("RING-SAFE-1", "No interleaving may let the reader read a packet's bytes before the writer has stored them (the writer stores data and trailer before it publishes write_index).", "Linux drivers/hv/ring_buffer.c hv_ringbuffer_write (virt_mb before publishing); OpenVMM vmbus_ring/src/lib.rs commit_write"),
];

export const ruleById = (id: string): Rule | undefined => RULES.find((r) => r.id === id);
