/**
 * Ring packets: the 16-byte descriptor, the type-specific headers of
 * transfer-page (0x7) and GPA-direct (0x9) packets, the payload padded to 8 bytes, and the
 * 8-byte trailer that follows every packet in a ring.
 *
 * Layouts are data (`PACKET_LAYOUTS`); the codec below reads and writes exactly those offsets.
 * `decodePacket` is total: every malformed input is a named `PacketError` carrying the ring
 * rule it violates (rules live in spec/ring/rules.ts). `encodePacket` produces the packet
 * bytes WITHOUT the trailer (the trailer depends on where the packet lands in the ring; see
 * `trailerValue`).
 */
import { match } from "ts-pattern";
import { err, ok, type Result } from "../result.js";
import type { Layout } from "./layout.js";
import type { U64 } from "./primitives.js";

/** Packet type numbers (Linux `enum vmbus_packet_type`, QEMU include/hw/hyperv/vmbus-proto.h `VMBUS_PACKET_*`). */
export const PacketType = {
  Invalid: 0x0,
  Synch: 0x1,
  AddTransferPageSet: 0x2,
  RemoveTransferPageSet: 0x3,
  EstablishGpadl: 0x4,
  TeardownGpadl: 0x5,
  DataInBand: 0x6,
  DataUsingTransferPages: 0x7,
  DataUsingGpadl: 0x8,
  DataUsingGpaDirect: 0x9,
  CancelRequest: 0xa,
  Completion: 0xb,
  DataUsingAdditionalPacket: 0xc,
  AdditionalData: 0xd,
} as const;
export type PacketTypeName = keyof typeof PacketType;

/** Descriptor flag bit 0 (`VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED`). */
export const COMPLETION_REQUESTED = 1;

export const DESCRIPTOR_SIZE = 16;
export const TRAILER_SIZE = 8;
/** Size of the fixed part of the GPA-direct and transfer-page headers (descriptor included). */
export const TYPED_HEADER_SIZE = 24;
/** GPA ranges name 4 KiB guest pages (GPA-direct details; OpenVMM vm/devices/vmbus/vmbus_ring/src/gparange.rs). */
export const GPA_PAGE_SIZE = 4096;

// ---- layouts (data) ---------------------------------------------------------------------

export const PACKET_DESCRIPTOR_LAYOUT: Layout = {
  name: "PacketDescriptor",
  title: "ring packet descriptor (every packet starts with it)",
  size: 16,
  source: "Linux include/linux/hyperv.h vmpacket_descriptor, QEMU include/hw/hyperv/vmbus-proto.h vmbus_packet_hdr, OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs PacketDescriptor, Microsoft mu_msvm VmbusPacketFormat.h VMPACKET_DESCRIPTOR, DPDK drivers/bus/vmbus/rte_vmbus_reg.h vmbus_chanpkt_hdr",
  fields: [
    { name: "type", offset: 0, size: 2, type: "u16", names: { linux: "type", qemu: "type", openvmm: "packet_type", ms: "Type", dpdk: "type" }, note: "packet type 0x0–0xd" },
    { name: "offset8", offset: 2, size: 2, type: "u16", names: { linux: "offset8", qemu: "offset_qwords", openvmm: "data_offset8", ms: "DataOffset8", dpdk: "hlen" }, note: "payload offset from packet start in 8-byte units (2 for a plain packet)" },
    { name: "len8", offset: 4, size: 2, type: "u16", names: { linux: "len8", qemu: "len_qwords", openvmm: "length8", ms: "Length8", dpdk: "tlen" }, note: "packet length in 8-byte units, trailer excluded" },
    { name: "flags", offset: 6, size: 2, type: "u16", names: { linux: "flags", qemu: "flags", openvmm: "flags", ms: "Flags", dpdk: "flags" }, note: "bit0 COMPLETION_REQUESTED" },
    { name: "transId", offset: 8, size: 8, type: "u64", names: { linux: "trans_id", qemu: "transaction_id", openvmm: "transaction_id", ms: "TransactionId", dpdk: "xactid" }, note: "echoed in the completion" },
  ],
};

export const GPA_DIRECT_HEADER_LAYOUT: Layout = {
  name: "GpaDirectHeader",
  title: "GPA-direct packet (type 0x9) header, descriptor included; ranges follow at 24",
  size: 24,
  source: "Linux include/linux/hyperv.h vmdata_gpa_direct, QEMU include/hw/hyperv/vmbus-proto.h vmbus_pkt_gpa_direct, OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs GpaDirectHeader, Microsoft mu_msvm VmbusPacketFormat.h",
  fields: [
    { name: "descriptor", offset: 0, size: 16, type: "bytes", names: {}, note: "PacketDescriptor" },
    { name: "reserved", offset: 16, size: 4, type: "reserved", names: { linux: "reserved", qemu: "_reserved", openvmm: "reserved" }, note: "OpenVMM: may have garbage" },
    { name: "rangeCount", offset: 20, size: 4, type: "u32", names: { linux: "range_cnt", qemu: "rangecount", openvmm: "range_count" } },
    { name: "ranges", offset: 24, size: 8, type: "array", names: { linux: "range", qemu: "range" }, note: "GpaRange[rangeCount], each 8 + 8 × PFN count bytes" },
  ],
};

export const GPA_RANGE_LAYOUT: Layout = {
  name: "GpaRange",
  title: "one GPA range inside a GPA-direct packet (variable size)",
  size: 8,
  source: "Linux include/linux/hyperv.h gpa_range, QEMU include/hw/hyperv/vmbus-proto.h vmbus_gpa_range, OpenVMM vm/devices/vmbus/vmbus_ring/src/gparange.rs",
  fields: [
    { name: "byteCount", offset: 0, size: 4, type: "u32", names: { linux: "byte_count", qemu: "byte_count", openvmm: "len" } },
    { name: "byteOffset", offset: 4, size: 4, type: "u32", names: { linux: "byte_offset", qemu: "byte_offset", openvmm: "offset" }, note: "offset into the first page, < 4096" },
    { name: "pfns", offset: 8, size: 8, type: "array", names: { linux: "pfn_array", qemu: "pfn_array" }, note: "u64 × ceil((byteOffset + byteCount) / 4096)" },
  ],
};

export const TRANSFER_PAGE_HEADER_LAYOUT: Layout = {
  name: "TransferPageHeader",
  title: "transfer-page packet (type 0x7) header, descriptor included; ranges follow at 24",
  size: 24,
  source: "Linux include/linux/hyperv.h vmtransfer_page_packet_header, QEMU include/hw/hyperv/vmbus-proto.h vmbus_pkt_xferpg, OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs TransferPageHeader, Microsoft mu_msvm VmbusPacketFormat.h",
  fields: [
    { name: "descriptor", offset: 0, size: 16, type: "bytes", names: {}, note: "PacketDescriptor" },
    { name: "transferPageSetId", offset: 16, size: 2, type: "u16", names: { linux: "xfer_pageset_id", qemu: "buffer_id", openvmm: "transfer_page_set_id" } },
    { name: "senderOwnsSet", offset: 18, size: 1, type: "u8", names: { linux: "sender_owns_set", qemu: "sender_owns_set" }, note: "OpenVMM: part of a u16 reserved that may have garbage" },
    { name: "reserved", offset: 19, size: 1, type: "reserved", names: { linux: "reserved", qemu: "_reserved" } },
    { name: "rangeCount", offset: 20, size: 4, type: "u32", names: { linux: "range_cnt", qemu: "rangecount", openvmm: "range_count" } },
    { name: "ranges", offset: 24, size: 8, type: "array", names: { linux: "ranges", qemu: "range" }, note: "TransferPageRange[rangeCount]" },
  ],
};

export const TRANSFER_PAGE_RANGE_LAYOUT: Layout = {
  name: "TransferPageRange",
  title: "one range of a transfer-page packet",
  size: 8,
  source: "Linux include/linux/hyperv.h vmtransfer_page_range, QEMU include/hw/hyperv/vmbus-proto.h vmbus_xferpg_range",
  fields: [
    { name: "byteCount", offset: 0, size: 4, type: "u32", names: { linux: "byte_count", qemu: "byte_count" } },
    { name: "byteOffset", offset: 4, size: 4, type: "u32", names: { linux: "byte_offset", qemu: "byte_offset" } },
  ],
};

export const PACKET_TRAILER_LAYOUT: Layout = {
  name: "PacketTrailer",
  title: "8 bytes after every packet in a ring: u64 = start index << 32",
  size: 8,
  source: "Microsoft mu_msvm VmbusPacketFormat.h PREVIOUS_PACKET_OFFSET, Linux drivers/hv/ring_buffer.c hv_get_ring_bufferindices, DPDK drivers/bus/vmbus/vmbus_bufring.c, OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs Footer",
  fields: [
    { name: "reserved", offset: 0, size: 4, type: "reserved", names: { openvmm: "reserved" }, note: "0" },
    { name: "startIndex", offset: 4, size: 4, type: "u32", names: { openvmm: "offset" }, note: "ring offset at which this packet starts; readers skip it; QEMU never writes it" },
  ],
};

export const PACKET_LAYOUTS: readonly Layout[] = [
  PACKET_DESCRIPTOR_LAYOUT,
  GPA_DIRECT_HEADER_LAYOUT,
  GPA_RANGE_LAYOUT,
  TRANSFER_PAGE_HEADER_LAYOUT,
  TRANSFER_PAGE_RANGE_LAYOUT,
  PACKET_TRAILER_LAYOUT,
];

// ---- values -----------------------------------------------------------------------------

export interface GpaRange {
  readonly byteCount: number;
  readonly byteOffset: number;
  /** Guest page numbers, u64 decimal strings; ceil((byteOffset + byteCount) / 4096) of them. */
  readonly pfns: readonly U64[];
}

export interface TransferPageRange {
  readonly byteCount: number;
  readonly byteOffset: number;
}

/** The type-specific header between the descriptor and the payload. */
export type PacketBody =
  | { readonly kind: "plain" }
  | { readonly kind: "gpaDirect"; readonly reserved: number; readonly ranges: readonly GpaRange[] }
  | {
      readonly kind: "transferPage";
      readonly transferPageSetId: number;
      readonly senderOwnsSet: number;
      readonly reserved: number;
      readonly ranges: readonly TransferPageRange[];
    };

/** A packet as a writer gives it: the encoder computes offset8/len8 and the padding. */
export interface Packet {
  readonly type: number;
  readonly flags: number;
  readonly transId: U64;
  readonly body: PacketBody;
  /** The payload without padding. */
  readonly payload: Uint8Array;
}

/** A packet as a reader sees it. */
export interface DecodedPacket {
  readonly type: number;
  readonly offset8: number;
  readonly len8: number;
  readonly flags: number;
  readonly transId: U64;
  readonly body: PacketBody;
  /** Bytes offset8×8 .. len8×8 of the packet: the payload including its padding (hv_pkt_datalen). */
  readonly payload: Uint8Array;
}

export type PacketError =
  | { readonly kind: "tooShort"; readonly rule: "RING-PKT-1"; readonly available: number }
  | { readonly kind: "offset8TooSmall"; readonly rule: "RING-PKT-2"; readonly offset8: number }
  | { readonly kind: "offset8BeyondLen8"; readonly rule: "RING-PKT-3"; readonly offset8: number; readonly len8: number }
  | { readonly kind: "len8BeyondData"; readonly rule: "RING-PKT-4"; readonly len8: number; readonly available: number }
  | { readonly kind: "typedHeaderBeyondOffset8"; readonly rule: "RING-PKT-5"; readonly type: number; readonly offset8: number }
  | { readonly kind: "badRangeCount"; readonly rule: "RING-PKT-6"; readonly rangeCount: number; readonly room: number }
  | { readonly kind: "gpaRangeEmpty"; readonly rule: "RING-PKT-7"; readonly index: number }
  | { readonly kind: "gpaRangeOffsetTooLarge"; readonly rule: "RING-PKT-7"; readonly index: number; readonly byteOffset: number }
  | { readonly kind: "gpaRangePfnsBeyondHeader"; readonly rule: "RING-PKT-8"; readonly index: number; readonly pfnCount: number; readonly room: number };

export type PacketErrorKind = PacketError["kind"];

/** Sizes the encoder derives from a packet: header bytes, offset8, len8 (before any u16 limit). */
export interface PacketSizes {
  readonly headerBytes: number;
  readonly offset8: number;
  readonly len8: number;
}

export const gpaRangePfnCount = (byteOffset: number, byteCount: number): number => Math.ceil((byteOffset + byteCount) / GPA_PAGE_SIZE);

export const packetSizes = (p: Packet): PacketSizes => {
  let headerBytes = DESCRIPTOR_SIZE;
  const b = p.body;
  if (b.kind === "gpaDirect") {
    headerBytes = TYPED_HEADER_SIZE;
    for (const r of b.ranges) headerBytes += 8 + 8 * r.pfns.length;
  } else if (b.kind === "transferPage") {
    headerBytes = TYPED_HEADER_SIZE + 8 * b.ranges.length;
  }
  const offset8 = headerBytes / 8;
  return { headerBytes, offset8, len8: offset8 + Math.ceil(p.payload.length / 8) };
};

// ---- little-endian helpers (no DataView allocation per field) ---------------------------

export const rd16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
export const rd32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const wr16 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
};
const wr32 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
};
export const rdU64 = (b: Uint8Array, o: number): U64 => {
  const lo = rd32(b, o);
  const hi = rd32(b, o + 4);
  return hi === 0 ? String(lo) : String((BigInt(hi) << 32n) | BigInt(lo));
};
const U64_MASK = (1n << 64n) - 1n;
/** A U64 string as [lo, hi]; a non-canonical string encodes as 0 (the type promises decimal digits). */
export const u64Words = (s: U64): readonly [number, number] => {
  if (!/^\d{1,20}$/.test(s)) return [0, 0];
  const v = BigInt(s) & U64_MASK;
  return [Number(v & 0xffffffffn), Number(v >> 32n)];
};
const wrU64 = (b: Uint8Array, o: number, s: U64): void => {
  const [lo, hi] = u64Words(s);
  wr32(b, o, lo);
  wr32(b, o + 4, hi);
};

// ---- descriptor-level validation (numbers only; shared with the ring model and shm) -----

export interface DescriptorFields {
  readonly type: number;
  readonly offset8: number;
  readonly len8: number;
  readonly flags: number;
}

export const readDescriptorFields = (b: Uint8Array, o = 0): DescriptorFields => ({
  type: rd16(b, o),
  offset8: rd16(b, o + 2),
  len8: rd16(b, o + 4),
  flags: rd16(b, o + 6),
});

/**
 * The length checks every strict reader applies to a descriptor (RING-PKT-2..4), given the
 * bytes available for the packet (trailer excluded). Returns null when they pass.
 */
export const checkDescriptorLengths = (offset8: number, len8: number, available: number): PacketError | null => {
  if (offset8 < 2) return { kind: "offset8TooSmall", rule: "RING-PKT-2", offset8 };
  if (offset8 > len8) return { kind: "offset8BeyondLen8", rule: "RING-PKT-3", offset8, len8 };
  if (len8 * 8 > available) return { kind: "len8BeyondData", rule: "RING-PKT-4", len8, available };
  return null;
};

// ---- decode -------------------------------------------------------------------------------

/**
 * Decode one packet from `bytes` (the packet starts at byte 0; the trailer, if present, is
 * ignored). Total: fewer than 16 bytes, inconsistent offset8/len8, a typed header or range
 * list that does not fit inside offset8×8 bytes are named errors. Range counts are checked
 * against the room available before any loop, so a hostile count cannot make it loop long.
 */
export const decodePacket = (bytes: Uint8Array): Result<DecodedPacket, PacketError> => {
  if (bytes.length < DESCRIPTOR_SIZE) return err({ kind: "tooShort", rule: "RING-PKT-1", available: bytes.length });
  const d = readDescriptorFields(bytes);
  const bad = checkDescriptorLengths(d.offset8, d.len8, bytes.length);
  if (bad) return err(bad);
  const headerEnd = d.offset8 * 8;
  const body = decodeBody(bytes, d.type, headerEnd);
  if (!body.ok) return body;
  return ok({
    type: d.type,
    offset8: d.offset8,
    len8: d.len8,
    flags: d.flags,
    transId: rdU64(bytes, 8),
    body: body.value,
    payload: bytes.slice(headerEnd, d.len8 * 8),
  });
};

/** Reads a u32 at a packet-relative offset (lets a ring reader validate in place, across a wrap). */
export type Read32 = (offset: number) => number;

/**
 * Validate the type-specific header of a GPA-direct / transfer-page packet that lies in
 * packet bytes [16, headerEnd), reading through `read32` (no allocation). Returns null when it
 * is well formed (or the type has no typed header). Loops are bounded by headerEnd / 8.
 */
export const checkTypedHeader = (read32: Read32, type: number, headerEnd: number): PacketError | null => {
  if (type !== PacketType.DataUsingGpaDirect && type !== PacketType.DataUsingTransferPages) return null;
  if (headerEnd < TYPED_HEADER_SIZE) return { kind: "typedHeaderBeyondOffset8", rule: "RING-PKT-5", type, offset8: headerEnd / 8 };
  const rangeCount = read32(20);
  const room = headerEnd - TYPED_HEADER_SIZE;
  if (type === PacketType.DataUsingTransferPages) {
    return rangeCount * 8 > room ? { kind: "badRangeCount", rule: "RING-PKT-6", rangeCount, room } : null;
  }
  // GPA direct: at least one range (OpenVMM vm/devices/vmbus/vmbus_ring/src/lib.rs "range_count != 0"), each at least 16 bytes
  // (header + one PFN), so rangeCount * 16 <= room bounds the loop.
  if (rangeCount === 0 || rangeCount * 16 > room) return { kind: "badRangeCount", rule: "RING-PKT-6", rangeCount, room };
  let o = TYPED_HEADER_SIZE;
  for (let i = 0; i < rangeCount; i++) {
    if (o + 8 > headerEnd) return { kind: "gpaRangePfnsBeyondHeader", rule: "RING-PKT-8", index: i, pfnCount: 0, room: headerEnd - o };
    const byteCount = read32(o);
    const byteOffset = read32(o + 4);
    if (byteCount === 0) return { kind: "gpaRangeEmpty", rule: "RING-PKT-7", index: i };
    if (byteOffset >= GPA_PAGE_SIZE) return { kind: "gpaRangeOffsetTooLarge", rule: "RING-PKT-7", index: i, byteOffset };
    const pfnCount = gpaRangePfnCount(byteOffset, byteCount);
    const start = o + 8;
    if (start + 8 * pfnCount > headerEnd) return { kind: "gpaRangePfnsBeyondHeader", rule: "RING-PKT-8", index: i, pfnCount, room: headerEnd - start };
    o = start + 8 * pfnCount;
  }
  return null;
};

/** Decode the type-specific header that lies in bytes [16, headerEnd) (validated first). */
export const decodeBody = (bytes: Uint8Array, type: number, headerEnd: number): Result<PacketBody, PacketError> => {
  if (type !== PacketType.DataUsingGpaDirect && type !== PacketType.DataUsingTransferPages) return ok({ kind: "plain" });
  const bad = checkTypedHeader((o) => rd32(bytes, o), type, headerEnd);
  if (bad) return err(bad);
  const rangeCount = rd32(bytes, 20);
  if (type === PacketType.DataUsingTransferPages) {
    const ranges: TransferPageRange[] = [];
    for (let i = 0; i < rangeCount; i++) {
      const o = TYPED_HEADER_SIZE + 8 * i;
      ranges.push({ byteCount: rd32(bytes, o), byteOffset: rd32(bytes, o + 4) });
    }
    return ok({ kind: "transferPage", transferPageSetId: rd16(bytes, 16), senderOwnsSet: bytes[18]!, reserved: bytes[19]!, ranges });
  }
  const ranges: GpaRange[] = [];
  let o = TYPED_HEADER_SIZE;
  for (let i = 0; i < rangeCount; i++) {
    const byteCount = rd32(bytes, o);
    const byteOffset = rd32(bytes, o + 4);
    const pfnCount = gpaRangePfnCount(byteOffset, byteCount);
    const pfns: U64[] = [];
    for (let k = 0; k < pfnCount; k++) pfns.push(rdU64(bytes, o + 8 + 8 * k));
    ranges.push({ byteCount, byteOffset, pfns });
    o += 8 + 8 * pfnCount;
  }
  return ok({ kind: "gpaDirect", reserved: rd32(bytes, 16), ranges });
};

// ---- encode -------------------------------------------------------------------------------

/**
 * Encode a packet: descriptor (offset8 and len8 computed), typed header, payload, zero
 * padding to 8 — len8×8 bytes, no trailer. Total: a packet too large for the u16 length
 * fields (len8 > 0xffff) is encoded with offset8/len8 truncated to 16 bits, i.e. exactly the
 * malformed bytes a careless writer would produce; writers check `packetSizes` first
 * (the ring writer does, RING-WRITE-4). A GPA range whose PFN list does not match its byte
 * count is written as given (that is how hostile inputs are built).
 */
export const encodePacket = (p: Packet): Uint8Array => {
  const s = packetSizes(p);
  const out = new Uint8Array(s.len8 * 8);
  encodePacketInto(p, s, out, 0);
  return out;
};

/** Encode into `out` at `at` (out must hold sizes.len8×8 bytes from `at`). */
export const encodePacketInto = (p: Packet, s: PacketSizes, out: Uint8Array, at: number): void => {
  wr16(out, at, p.type);
  wr16(out, at + 2, s.offset8);
  wr16(out, at + 4, s.len8);
  wr16(out, at + 6, p.flags);
  wrU64(out, at + 8, p.transId);
  const b = p.body;
  if (b.kind === "gpaDirect") {
    wr32(out, at + 16, b.reserved);
    wr32(out, at + 20, b.ranges.length);
    let o = at + TYPED_HEADER_SIZE;
    for (const r of b.ranges) {
      wr32(out, o, r.byteCount);
      wr32(out, o + 4, r.byteOffset);
      o += 8;
      for (const pfn of r.pfns) {
        wrU64(out, o, pfn);
        o += 8;
      }
    }
  } else if (b.kind === "transferPage") {
    wr16(out, at + 16, b.transferPageSetId);
    out[at + 18] = b.senderOwnsSet & 0xff;
    out[at + 19] = b.reserved & 0xff;
    wr32(out, at + 20, b.ranges.length);
    let o = at + TYPED_HEADER_SIZE;
    for (const r of b.ranges) {
      wr32(out, o, r.byteCount);
      wr32(out, o + 4, r.byteOffset);
      o += 8;
    }
  }
  out.set(p.payload, at + s.headerBytes);
  out.fill(0, at + s.headerBytes + p.payload.length, at + s.len8 * 8);
};

/** The trailer's u64 value for a packet that starts at ring offset `startIndex`: startIndex << 32. */
export const trailerValue = (startIndex: number): U64 => String(BigInt(startIndex >>> 0) << 32n);

/** The 8 trailer bytes for a packet starting at `startIndex`. */
export const encodeTrailer = (startIndex: number): Uint8Array => {
  const t = new Uint8Array(TRAILER_SIZE);
  wr32(t, 4, startIndex);
  return t;
};

export const describePacketError = (e: PacketError): string =>
  match(e)
    .with({ kind: "tooShort" }, (x) => `fewer than 16 bytes for a packet descriptor (${x.available} available)`)
    .with({ kind: "offset8TooSmall" }, (x) => `offset8 ${x.offset8} < 2: payload would overlap the descriptor`)
    .with({ kind: "offset8BeyondLen8" }, (x) => `offset8 ${x.offset8} > len8 ${x.len8}`)
    .with({ kind: "len8BeyondData" }, (x) => `len8 ${x.len8} (${x.len8 * 8} bytes) exceeds the ${x.available} bytes available`)
    .with({ kind: "typedHeaderBeyondOffset8" }, (x) => `type ${x.type} needs a 24-byte header but offset8 is ${x.offset8}`)
    .with({ kind: "badRangeCount" }, (x) => `range count ${x.rangeCount} does not fit the ${x.room} header bytes after the fixed header`)
    .with({ kind: "gpaRangeEmpty" }, (x) => `GPA range ${x.index} has byte count 0`)
    .with({ kind: "gpaRangeOffsetTooLarge" }, (x) => `GPA range ${x.index} byte offset ${x.byteOffset} >= 4096`)
    .with({ kind: "gpaRangePfnsBeyondHeader" }, (x) => `GPA range ${x.index} needs ${x.pfnCount} PFNs but only ${x.room} header bytes remain`)
    .exhaustive() + ` [${e.rule}]`;
