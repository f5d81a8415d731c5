/** Transport framing and the monitor page, as data. */
import type { Layout } from "../layout.js";
import { field } from "./header.js";

export const SynicMessage: Layout = {
  name: "SynicMessage",
  title: "SynIC message slot (one of 16 in the message page; VMBus uses SINT 2 at byte 512)",
  size: 256,
  fields: [
    field("messageType", 0, 4, "u32", { linux: "header.message_type", qemu: "header.message_type" }, "0 = slot free, 1 = VMBus (HV_MESSAGE_VMBUS)"),
    field("payloadSize", 4, 1, "u8", { linux: "header.payload_size", qemu: "header.payload_size" }, "≤ 240"),
    field("messageFlags", 5, 1, "u8", { linux: "header.message_flags", qemu: "header.message_flags" }, "bit0 = message pending (HV_MESSAGE_FLAG_PENDING)"),
    field("reserved", 6, 2, "reserved", { linux: "header.reserved[2]", qemu: "header._reserved[2]" }),
    field("sender", 8, 8, "u64", { linux: "header.sender / port", qemu: "header.sender", openvmm: "header.id" }, "QEMU writes 0"),
    field("payload", 16, 240, "bytes", { linux: "u.payload", qemu: "payload" }, "the VMBus channel message (first payload_size bytes)"),
  ],
  source: "QEMU include/hw/hyperv/hyperv-proto.h, Linux include/asm-generic/hyperv-tlfs.h, OpenVMM vm/hv1/hvdef/src/lib.rs, DPDK drivers/bus/vmbus/rte_vmbus_reg.h, FreeBSD sys/dev/hyperv/vmbus/vmbus_reg.h",
};

export const HvPostMessageInput: Layout = {
  name: "HvPostMessageInput",
  title: "HvPostMessage (0x005c) hypercall input",
  size: 256,
  fields: [
    field("connectionId", 0, 4, "u32", { linux: "connectionid", qemu: "connection_id" }, "only the low 24 bits are significant (HV_CONNECTION_ID_MASK 0x00ffffff)"),
    field("reserved", 4, 4, "reserved", { linux: "reserved", qemu: "_reserved" }),
    field("messageType", 8, 4, "u32", { linux: "message_type", qemu: "message_type" }, "VMBus uses 1"),
    field("payloadSize", 12, 4, "u32", { linux: "payload_size", qemu: "payload_size" }, "> 240 -> HV_STATUS_INVALID_HYPERCALL_INPUT"),
    field("payload", 16, 240, "bytes", { linux: "payload", qemu: "payload" }),
  ],
  source: "QEMU include/hw/hyperv/hyperv-proto.h, Linux drivers/hv/hyperv_vmbus.h, QEMU hw/hyperv/hyperv.c hyperv_hcall_post_message",
};

export const HvSignalEventInput: Layout = {
  name: "HvSignalEventInput",
  title: "HvSignalEvent (0x005d) hypercall input (Linux: fast form, the whole u64)",
  size: 8,
  fields: [
    field("connectionId", 0, 4, "u32", { qemu: "connection_id" }, "low 24 bits significant; other bits -> INVALID_HYPERCALL_INPUT (QEMU)"),
    field("flagNumber", 4, 2, "u16", { qemu: "flag_number" }, "QEMU: non-zero -> HV_STATUS_INVALID_PORT_ID"),
    field("reserved", 6, 2, "reserved", { qemu: "_reserved_zero" }),
  ],
  source: "QEMU include/hw/hyperv/hyperv-proto.h struct hyperv_signal_event_input, QEMU hw/hyperv/hyperv.c, Linux drivers/hv/connection.c vmbus_set_event",
};

const group = (g: number) => [
  field(`triggerGroup${g}Pending`, 8 + 8 * g, 4, "u32", { linux: `trigger_group[${g}].pending` }),
  field(`triggerGroup${g}Armed`, 12 + 8 * g, 4, "u32", { linux: `trigger_group[${g}].armed` }),
];

export const MonitorPage: Layout = {
  name: "MonitorPage",
  title: "Monitor page (MNF), 4096 bytes",
  size: 4096,
  fields: [
    field("triggerState", 0, 4, "u32", { linux: "trigger_state" }, "bits 0–3 group_enable"),
    field("reserved1", 4, 4, "reserved", { linux: "rsvdz1" }),
    ...group(0),
    ...group(1),
    ...group(2),
    ...group(3),
    field("reserved2", 40, 24, "reserved", { linux: "rsvdz2[3]" }, "3 × u64"),
    field("nextCheckTime", 64, 512, "bytes", { linux: "next_checktime[4][32]" }, "s32[4][32]"),
    field("latency", 576, 256, "bytes", { linux: "latency[4][32]", dpdk: "lat" }, "u16[4][32]; DPDK: units of 100 ns"),
    field("reserved3", 832, 256, "reserved", { linux: "rsvdz3[32]" }, "u64[32]"),
    field("parameter", 1088, 1024, "bytes", { linux: "parameter[4][32]" }, "{connection_id u32, flag_number u16, reserved u16}[4][32]"),
    field("reserved4", 2112, 1984, "reserved", { linux: "rsvdz4[1984]" }),
  ],
  source: "Linux drivers/hv/hyperv_vmbus.h struct hv_monitor_page, OpenVMM vm/hv1/hvdef/src/lib.rs HvMonitorPage, DPDK drivers/bus/vmbus/rte_vmbus_reg.h, FreeBSD sys/dev/hyperv/vmbus/vmbus_reg.h",
};
