/**
 * The upstream sources the rules rely on: every file of every implementation that a rule's
 * `source` names, with the repository and the commit it was read at. docs/sources.md is
 * generated from this table and from the rules' `source` fields (src/docs/sources-doc.ts), and
 * properties/core/sources.test.ts checks that every rule's source names at least one of these
 * files by its `name`, so no rule can point at a place the project does not list.
 */

export interface UpstreamSource {
  /** How rules and comments name the file: the project, then the path inside its repository. */
  readonly name: string;
  readonly project: "QEMU" | "Linux" | "OpenVMM" | "Microsoft" | "DPDK" | "FreeBSD";
  /** The public repository (owner/name) it was read from. */
  readonly repository: string;
  readonly path: string;
  /** The commit (abbreviated) the facts were taken from, or how it was read when not one commit. */
  readonly commit: string;
  /** What the project takes from it. */
  readonly usedFor: string;
}

const src = (
  project: UpstreamSource["project"],
  repository: string,
  path: string,
  commit: string,
  usedFor: string,
  name = `${project} ${path}`,
): UpstreamSource => ({ name, project, repository, path, commit, usedFor });

export const UPSTREAM_SOURCES: readonly UpstreamSource[] = [
  src("QEMU", "qemu/qemu", "hw/hyperv/vmbus.c", "019fbfa4", "the qemu host profile: message handling, the state runner, GPADLs, channels, ring access, trace calls"),
  src("QEMU", "qemu/qemu", "hw/hyperv/hyperv.c", "06b40d25", "SynIC message slots, hv_post_message / hv_signal_event hypercalls, delivery statuses"),
  src("QEMU", "qemu/qemu", "hw/hyperv/trace-events", "0d71f708", "the vmbus_* trace events and their format strings"),
  src("QEMU", "qemu/qemu", "include/hw/hyperv/vmbus-proto.h", "7d3660e7", "message and ring packet structs as QEMU declares them"),
  src("QEMU", "qemu/qemu", "include/hw/hyperv/vmbus.h", "0d71f708", "device and channel interfaces"),
  src("QEMU", "qemu/qemu", "include/hw/hyperv/hyperv-proto.h", "003d35ad", "hypercall inputs, HV_STATUS_* values, SynIC message header"),
  src("Linux", "torvalds/linux", "include/linux/hyperv.h", "20cd569d", "message structs, CHANNELMSG_* numbers, ring packet descriptors, version constants"),
  src("Linux", "torvalds/linux", "drivers/hv/hyperv_vmbus.h", "010e85f9", "monitor page, connection ids, message sizes"),
  src("Linux", "torvalds/linux", "drivers/hv/connection.c", "c0bb0392 (historic) and later trees", "version negotiation, vmbus_post_msg retries, vmbus_set_event"),
  src("Linux", "torvalds/linux", "drivers/hv/channel_mgmt.c", "read across several trees", "offers, rescind, RELID_RELEASED, sub-channels, UNLOAD"),
  src("Linux", "torvalds/linux", "drivers/hv/channel.c", "read across several trees", "open, close, GPADL establish/teardown, MODIFYCHANNEL, TL_CONNECT"),
  src("Linux", "torvalds/linux", "drivers/hv/ring_buffer.c", "03bad714 (historic) and current trees", "ring writer and reader, signalling, pending_send_sz"),
  src("Linux", "torvalds/linux", "drivers/hv/vmbus_drv.c", "read across several trees", "message DPC, channel scheduling, bus init"),
  src("Linux", "torvalds/linux", "include/asm-generic/hyperv-tlfs.h", "read across several trees", "HV_MESSAGE_* sizes, the SynIC message header, hv_post_message"),
  src("Linux", "torvalds/linux", "include/trace/events/hyperv.h", "current trees", "the hyperv tracepoints and their TP_printk formats"),
  src("Linux", "microsoft/OHCL-Linux-Kernel", "drivers/hv/ring_buffer.c", "6bf73aa5", "the modern ring reader's interrupt-mask handling (OHCL)", "OHCL Linux drivers/hv/ring_buffer.c"),
  src("OpenVMM", "microsoft/openvmm", "vm/devices/vmbus/vmbus_server/src/channels.rs", "1488a37b", "the openvmm host profile: the sans-IO channel state machine"),
  src("OpenVMM", "microsoft/openvmm", "vm/devices/vmbus/vmbus_server/src/lib.rs", "1488a37b", "the server around the state machine: queues, message ports"),
  src("OpenVMM", "microsoft/openvmm", "vm/devices/vmbus/vmbus_core/src/protocol.rs", "1488a37b", "message structs and which message parses in which version"),
  src("OpenVMM", "microsoft/openvmm", "vm/devices/vmbus/vmbus_ring/src/lib.rs", "1488a37b", "ring layout, packet parsing, signalling"),
  src("OpenVMM", "microsoft/openvmm", "vm/devices/vmbus/vmbus_ring/src/gparange.rs", "1488a37b", "GPA range parsing"),
  src("OpenVMM", "microsoft/openvmm", "vm/devices/vmbus/vmbus_channel/src/gpadl_ring.rs", "1488a37b", "how a ring is made from a GPADL"),
  src("OpenVMM", "microsoft/openvmm", "vm/hv1/hvdef/src/lib.rs", "1488a37b", "SynIC message and monitor page structs"),
  src("OpenVMM", "microsoft/openvmm", "vm/devices/vmbus/vmbus_client/src/lib.rs", "1488a37b", "the client side (looked up, not modelled)"),
  src("OpenVMM", "microsoft/openvmm", "vm/devices/vmbus/vmbus_core/src/protocol/macros.rs", "1488a37b", "the parse macros: a message shorter than its struct does not parse"),
  src("OpenVMM", "microsoft/openvmm", "vm/hv1/hv1_hypercall/src/imp.rs", "1488a37b", "the HvPostMessage / HvSignalEvent hypercall checks of OpenVMM's backends"),
  src("OpenVMM", "microsoft/openvmm", "vm/hv1/hv1_emulator/src/message_queues.rs", "1488a37b", "per-VP SynIC message queues (posted messages are queued without limit)"),
  src("OpenVMM", "microsoft/openvmm", "vmm_core/virt/src/synic.rs", "1488a37b", "the SynIC ports: connection ids, message and event routing"),
  src("OpenVMM", "microsoft/openvmm", "vmm_core/virt_kvm/src/arch/x86_64/mod.rs", "1488a37b", "the KVM backend's SynIC message delivery"),
  src("Microsoft", "microsoft/mu_msvm", "MsvmPkg/VmbusDxe/ChannelMessages.h", "212bf76b", "Microsoft's own names and sizes of the channel messages", "Microsoft mu_msvm VmbusDxe/ChannelMessages.h"),
  src("Microsoft", "microsoft/mu_msvm", "MsvmPkg/Include/Vmbus/VmbusPacketFormat.h", "01b1cbd4", "Microsoft's own ring packet formats", "Microsoft mu_msvm VmbusPacketFormat.h"),
  src("DPDK", "DPDK/dpdk", "drivers/bus/vmbus/rte_vmbus_reg.h", "main", "the dpdk profile: message and ring structs", "DPDK drivers/bus/vmbus/rte_vmbus_reg.h"),
  src("DPDK", "DPDK/dpdk", "drivers/bus/vmbus/vmbus_bufring.c", "main", "the dpdk ring writer and reader", "DPDK drivers/bus/vmbus/vmbus_bufring.c"),
  src("DPDK", "DPDK/dpdk", "drivers/bus/vmbus/vmbus_channel.c", "main", "the dpdk channel signalling", "DPDK drivers/bus/vmbus/vmbus_channel.c"),
  src("FreeBSD", "freebsd/freebsd-src", "sys/dev/hyperv/vmbus/vmbus_reg.h", "main", "FreeBSD's names for the message types and sizes", "FreeBSD sys/dev/hyperv/vmbus/vmbus_reg.h"),
];
