/** OFFERCHANNEL (1) and RESCIND_CHANNELOFFER (2). */
import type { Field, Layout } from "../layout.js";
import { field, messageLayout } from "./header.js";

const OFFER_COMMON: readonly Field[] = [
  field("interfaceType", 8, 16, "guid", { linux: "offer.if_type", qemu: "type_uuid", openvmm: "interface_id", ms: "InterfaceType" }, "Microsoft mixed-endian GUID"),
  field("interfaceInstance", 24, 16, "guid", { linux: "offer.if_instance", qemu: "instance_uuid", openvmm: "instance_id", ms: "InterfaceInstance" }),
  field("reserved1", 40, 8, "u64", { linux: "offer.reserved1", openvmm: "rsvd[0..1]", qemu: "_reserved1", ms: "Reserved", dpdk: "chlat" }, "MS: may be non-zero before Win8; DPDK: latency in 100 ns; kept as a value"),
  field("reserved2", 48, 8, "u64", { linux: "offer.reserved2", qemu: "_reserved2", openvmm: "rsvd[2..3]", ms: "Reserved2", dpdk: "chrev + svrctx_sz" }, "OpenVMM writes zeros over 40..55"),
  field("channelFlags", 56, 2, "u16", { linux: "offer.chn_flags", qemu: "channel_flags", openvmm: "flags", ms: "Flags" }, "flag bits"),
  field("mmioMegabytes", 58, 2, "u16", { linux: "offer.mmio_megabytes", qemu: "mmio_size_mb", openvmm: "mmio_megabytes", ms: "MmioMegabytes" }),
  field("userDefined", 60, 120, "bytes", { linux: "offer.u", qemu: "user_data", openvmm: "user_defined", ms: "UserDefined" }, "pipe: pipe_mode u32 @60 + 116 bytes"),
  field("subChannelIndex", 180, 2, "u16", { linux: "offer.sub_channel_index", qemu: "sub_channel_index", openvmm: "subchannel_index", ms: "SubChannelIndex" }, "Win8+: 0 = primary"),
  field("mmioMegabytesOptional", 182, 2, "u16", { linux: "offer.reserved3", qemu: "_reserved3", openvmm: "mmio_megabytes_optional", ms: "MmioMegabytesOptional" }),
  field("childRelid", 184, 4, "u32", { linux: "child_relid", qemu: "child_relid", openvmm: "channel_id", ms: "ChildRelId" }),
  field("monitorId", 188, 1, "u8", { linux: "monitorid", qemu: "monitor_id", openvmm: "monitor_id", ms: "MonitorId" }, "0xFF = none (OpenVMM)"),
  field("monitorFlags", 189, 1, "u8", { linux: "monitor_allocated:1", qemu: "monitor_flags", openvmm: "monitor_allocated", ms: "MonitorAllocated:1" }, "bit0 monitor_allocated"),
];

export const OfferChannel: Layout = messageLayout(
  "OfferChannel",
  "OFFERCHANNEL (1, h->g), Win7+ form",
  196,
  "Linux include/linux/hyperv.h vmbus_channel_offer_channel, QEMU include/hw/hyperv/vmbus-proto.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs OfferChannel, Microsoft mu_msvm VmbusDxe/ChannelMessages.h, DPDK drivers/bus/vmbus/rte_vmbus_reg.h",
  [
    ...OFFER_COMMON,
    field("interruptFlags", 190, 2, "u16", { linux: "is_dedicated_interrupt:1", qemu: "interrupt_flags", openvmm: "is_dedicated", ms: "IsDedicatedInterrupt:1" }, "bit0 is_dedicated_interrupt; Win7+"),
    field("connectionId", 192, 4, "u32", { linux: "connection_id", qemu: "connection_id", openvmm: "connection_id", ms: "ConnectionId" }, "Win7+; id for HvSignalEvent"),
  ],
);

export const OfferChannelPreWin7: Layout = messageLayout(
  "OfferChannel.preWin7",
  "OFFERCHANNEL (1, h->g), pre-Win7 form (version 0.13)",
  190,
  "Microsoft mu_msvm VmbusDxe/ChannelMessages.h VMBUS_CHANNEL_OFFER_CHANNEL_SIZE_PRE_WIN7 (= 190, derived)",
  OFFER_COMMON,
);

export const RescindChannelOffer: Layout = messageLayout("RescindChannelOffer", "RESCIND_CHANNELOFFER (2, h->g)", 12, "Linux include/linux/hyperv.h, QEMU include/hw/hyperv/vmbus-proto.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs, Microsoft mu_msvm VmbusDxe/ChannelMessages.h", [
  field("childRelid", 8, 4, "u32", { linux: "child_relid", qemu: "child_relid", openvmm: "channel_id", ms: "ChildRelId" }),
]);
