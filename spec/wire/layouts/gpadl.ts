/** GPADL messages 8–12 and the GPA range record. */
import type { Layout } from "../layout.js";
import { field, messageLayout, SRC_ALL } from "./header.js";

export const GpadlHeader: Layout = messageLayout(
  "GpadlHeader",
  "GPADL_HEADER (8, g->h): 20-byte fixed part, then range data bounded by range_buflen",
  20,
  "Linux include/linux/hyperv.h vmbus_channel_gpadl_header, QEMU include/hw/hyperv/vmbus-proto.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs GpadlHeader, Microsoft mu_msvm VmbusDxe/ChannelMessages.h, FreeBSD sys/dev/hyperv/vmbus/vmbus_reg.h, DPDK drivers/bus/vmbus/rte_vmbus_reg.h",
  [
    field("childRelid", 8, 4, "u32", { linux: "child_relid", qemu: "child_relid", openvmm: "channel_id", ms: "ChildRelId" }),
    field("gpadl", 12, 4, "u32", { linux: "gpadl", qemu: "gpadl_id", openvmm: "gpadl_id", ms: "Gpadl" }, "guest-chosen GPADL id"),
    field("rangeBufferLength", 16, 2, "u16", { linux: "range_buflen", qemu: "range_buflen", openvmm: "len", ms: "RangeBufLen" }, "bytes of all range data of the GPADL (header + bodies)"),
    field("rangeCount", 18, 2, "u16", { linux: "rangecount", qemu: "rangecount", openvmm: "count", ms: "RangeCount" }),
    field("ranges", 20, 8, "array", { linux: "range[]", qemu: "range[]", ms: "Range[]" }, "GpaRange records (see GpadlRange); at most 27 u64 values fit (OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs MAX_DATA_VALUES)"),
  ],
);

export const GpadlRange: Layout = {
  name: "GpadlRange",
  title: "One GPA range record (range data of GPADL_HEADER/BODY and GPA-direct packets)",
  size: 8,
  fields: [
    field("byteCount", 0, 4, "u32", { linux: "byte_count", qemu: "byte_count", openvmm: "byte_count", ms: "ByteCount" }),
    field("byteOffset", 4, 4, "u32", { linux: "byte_offset", qemu: "byte_offset", openvmm: "byte_offset", ms: "ByteOffset" }, "offset into the first page"),
    field("pfns", 8, 8, "array", { linux: "pfn_array[]", qemu: "pfn_array[]" }, "u64 × ceil((byte_offset + byte_count) / 4096), 4 KiB Hyper-V pages"),
  ],
  source: "Linux include/linux/hyperv.h struct gpa_range, OpenVMM vm/devices/vmbus/vmbus_ring/src/gparange.rs, Microsoft mu_msvm VmbusPacketFormat.h",
};

export const GpadlBody: Layout = messageLayout(
  "GpadlBody",
  "GPADL_BODY (9, g->h): 16-byte fixed part, then u64 continuation values",
  16,
  "Linux include/linux/hyperv.h, QEMU include/hw/hyperv/vmbus-proto.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs GpadlBody, Microsoft mu_msvm VmbusDxe/ChannelMessages.h",
  [
    field("msgNumber", 8, 4, "u32", { linux: "msgnumber", qemu: "message_number", openvmm: "rsvd", ms: "MessageNumber" }, "ignored by every implementation; Linux leaves 0"),
    field("gpadl", 12, 4, "u32", { linux: "gpadl", qemu: "gpadl_id", openvmm: "gpadl_id", ms: "Gpadl" }),
    field("pfns", 16, 8, "array", { linux: "pfn[]", qemu: "pfn_array[]", ms: "Pfn[]" }, "continuation of the range data; at most 28 u64 values"),
  ],
);

export const GpadlCreated: Layout = messageLayout("GpadlCreated", "GPADL_CREATED (10, h->g)", 20, SRC_ALL, [
  field("childRelid", 8, 4, "u32", { linux: "child_relid", qemu: "child_relid", openvmm: "channel_id", ms: "ChildRelId" }),
  field("gpadl", 12, 4, "u32", { linux: "gpadl", qemu: "gpadl_id", openvmm: "gpadl_id", ms: "Gpadl" }),
  field("creationStatus", 16, 4, "u32", { linux: "creation_status", qemu: "status", openvmm: "status", ms: "CreationStatus" }, "0 = success; OpenVMM 0x8000FFFF on failure"),
]);

export const GpadlTeardown: Layout = messageLayout("GpadlTeardown", "GPADL_TEARDOWN (11, g->h)", 16, SRC_ALL, [
  field("childRelid", 8, 4, "u32", { linux: "child_relid", qemu: "child_relid", openvmm: "channel_id", ms: "ChildRelId" }),
  field("gpadl", 12, 4, "u32", { linux: "gpadl", qemu: "gpadl_id", openvmm: "gpadl_id", ms: "Gpadl" }),
]);

export const GpadlTorndown: Layout = messageLayout("GpadlTorndown", "GPADL_TORNDOWN (12, h->g)", 12, SRC_ALL, [
  field("gpadl", 8, 4, "u32", { linux: "gpadl", qemu: "gpadl_id", openvmm: "gpadl_id", ms: "Gpadl" }, "Linux matches on gpadl only"),
]);
