/** OPENCHANNEL (5), OPENCHANNEL_RESULT (6), CLOSECHANNEL (7), RELID_RELEASED (13), MODIFYCHANNEL (22), MODIFYCHANNEL_RESPONSE (24):. */
import type { Field, Layout } from "../layout.js";
import { field, messageLayout, SRC_ALL } from "./header.js";

const relid = (offset = 8): Field =>
  field("childRelid", offset, 4, "u32", { linux: "child_relid", qemu: "child_relid", openvmm: "channel_id", ms: "ChildRelId" });

const OPEN_COMMON: readonly Field[] = [
  relid(),
  field("openId", 12, 4, "u32", { linux: "openid", qemu: "open_id", openvmm: "open_id", ms: "OpenId" }, "echoed in OPENCHANNEL_RESULT; Linux sets it = child_relid"),
  field("ringBufferGpadlHandle", 16, 4, "u32", { linux: "ringbuffer_gpadlhandle", qemu: "ring_buffer_gpadl_id", openvmm: "ring_buffer_gpadl_id", ms: "RingBufferGpadlHandle" }),
  field("targetVp", 20, 4, "u32", { linux: "target_vp", qemu: "target_vp", openvmm: "target_vp", ms: "TargetVp" }, "0xFFFFFFFF = VMBUS_VP_INDEX_DISABLE_INTERRUPT"),
  field("downstreamRingBufferPageOffset", 24, 4, "u32", { linux: "downstream_ringbuffer_pageoffset", qemu: "ring_buffer_offset", openvmm: "downstream_ring_buffer_page_offset", ms: "DownstreamRingBufferPageOffset", freebsd: "chm_rxbr_pgofs", dpdk: "txbr_pgcnt" }, "in pages; host->guest ring follows the guest->host ring"),
  field("userData", 28, 120, "bytes", { linux: "userdata", qemu: "user_data", openvmm: "user_data", ms: "UserData" }, "opaque, passed to the device"),
];

export const OpenChannel: Layout = messageLayout("OpenChannel", "OPENCHANNEL (5, g->h)", 148, "Linux include/linux/hyperv.h, QEMU include/hw/hyperv/vmbus-proto.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs OpenChannel, Microsoft mu_msvm VmbusDxe/ChannelMessages.h (OPEN_CHANNEL_MIN_SIZE = 148), FreeBSD sys/dev/hyperv/vmbus/vmbus_reg.h, DPDK drivers/bus/vmbus/rte_vmbus_reg.h", OPEN_COMMON);

export const OpenChannel2: Layout = messageLayout(
  "OpenChannel.openChannel2",
  "OPENCHANNEL (5, g->h), Copper OpenChannel2 form",
  156,
  "OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs OpenChannel2, Microsoft mu_msvm VmbusDxe/ChannelMessages.h",
  [
    ...OPEN_COMMON,
    field("connectionId", 148, 4, "u32", { openvmm: "connection_id", ms: "ConnectionId" }, "with guest_specified_signal_parameters (0x1)"),
    field("eventFlag", 152, 2, "u16", { openvmm: "event_flag", ms: "EventFlag" }, "with guest_specified_signal_parameters (0x1)"),
    field("flags", 154, 2, "u16", { openvmm: "flags", ms: "Flags" }, "bit0 REDIRECT_INTERRUPT, with channel_interrupt_redirection (0x2)"),
  ],
);

export const OpenChannelResult: Layout = messageLayout("OpenChannelResult", "OPENCHANNEL_RESULT (6, h->g)", 20, SRC_ALL, [
  relid(),
  field("openId", 12, 4, "u32", { linux: "openid", qemu: "open_id", openvmm: "open_id", ms: "OpenId" }),
  field("status", 16, 4, "u32", { linux: "status", qemu: "status", openvmm: "status", ms: "Status" }, "0 = opened; QEMU 1 on failure, OpenVMM an NTSTATUS"),
]);

export const CloseChannel: Layout = messageLayout("CloseChannel", "CLOSECHANNEL (7, g->h)", 12, SRC_ALL, [relid()]);

export const RelIdReleased: Layout = messageLayout("RelIdReleased", "RELID_RELEASED (13, g->h)", 12, SRC_ALL, [relid()]);

export const ModifyChannel: Layout = messageLayout("ModifyChannel", "MODIFYCHANNEL (22, g->h)", 16, "Linux include/linux/hyperv.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs, Microsoft mu_msvm VmbusDxe/ChannelMessages.h", [
  relid(),
  field("targetVp", 12, 4, "u32", { linux: "target_vp", openvmm: "target_vp", ms: "TargetVp" }),
]);

export const ModifyChannelResponse: Layout = messageLayout("ModifyChannelResponse", "MODIFYCHANNEL_RESPONSE (24, h->g)", 16, "Linux include/linux/hyperv.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs, Microsoft mu_msvm VmbusDxe/ChannelMessages.h", [
  relid(),
  field("status", 12, 4, "u32", { linux: "status", openvmm: "status", ms: "Status" }, "u32 in Linux, NTSTATUS (i32) in MS/OpenVMM"),
]);
