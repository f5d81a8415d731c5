/** Reserved-channel messages 18–20 (Microsoft mu_msvm VmbusDxe/ChannelMessages.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs; not in Linux or QEMU). */
import type { Layout } from "../layout.js";
import { field, messageLayout } from "./header.js";

const SRC = "Microsoft mu_msvm VmbusDxe/ChannelMessages.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs";
const channelId = field("channelId", 8, 4, "u32", { openvmm: "channel_id", ms: "ChannelId" });
const targetVp = field("targetVp", 12, 4, "u32", { openvmm: "target_vp", ms: "TargetVp" });
const targetSint = field("targetSint", 16, 4, "u32", { openvmm: "target_sint", ms: "TargetSint" });

export const OpenReservedChannel: Layout = messageLayout("OpenReservedChannel", "OPEN_RESERVED_CHANNEL (18, g->h)", 28, SRC, [
  channelId,
  targetVp,
  targetSint,
  field("ringBufferGpadl", 20, 4, "u32", { openvmm: "ring_buffer_gpadl", ms: "RingBufferGpadl" }),
  field("downstreamPageOffset", 24, 4, "u32", { openvmm: "downstream_page_offset", ms: "DownstreamPageOffset" }),
]);
export const CloseReservedChannel: Layout = messageLayout("CloseReservedChannel", "CLOSE_RESERVED_CHANNEL (19, g->h)", 20, SRC, [channelId, targetVp, targetSint]);
export const CloseReservedResponse: Layout = messageLayout("CloseReservedResponse", "CLOSE_RESERVED_RESPONSE (20, h->g)", 12, SRC, [channelId]);
