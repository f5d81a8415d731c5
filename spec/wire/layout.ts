/**
 * Layouts as data. Every byte layout of the protocol is written exactly once, as a `Layout`;
 * codecs, the generated docs (docs/wire.md) and the `layout` command all derive from these.
 * Offsets are from the start of the structure (for channel messages: including the 8-byte
 * common header, as in the upstream structs).
 */
export type FieldType =
  | "u8"
  | "u16"
  | "u32"
  | "u64"
  | "guid" // 16 bytes, Microsoft mixed-endian
  | "bytes" // opaque fixed-size byte blob
  | "reserved" // must be written as zero; ignored on decode (decode may report non-zero)
  | "array"; // variable-length trailing data (e.g. GPADL range data); size = element size

export interface FieldNames {
  readonly linux?: string;
  readonly qemu?: string;
  readonly openvmm?: string;
  readonly ms?: string; // Microsoft mu_msvm VmbusDxe/ChannelMessages.h / Microsoft mu_msvm VmbusPacketFormat.h
  readonly dpdk?: string;
  readonly freebsd?: string;
}

export interface Field {
  /** camelCase name as used in the decoded message object. */
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly type: FieldType;
  readonly names: FieldNames;
  readonly note?: string;
}

export interface Layout {
  /** Unique name, e.g. "OfferChannel", "OfferChannel.preWin7", "SynicMessage", "PacketDescriptor". */
  readonly name: string;
  /** What it is, one line. */
  readonly title: string;
  /** Fixed size in bytes (for variable-length structures: the fixed part). */
  readonly size: number;
  readonly fields: readonly Field[];
  /** The upstream sources, e.g. "Linux include/linux/hyperv.h, QEMU include/hw/hyperv/vmbus-proto.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs, Microsoft mu_msvm VmbusDxe/ChannelMessages.h". */
  readonly source: string;
}
