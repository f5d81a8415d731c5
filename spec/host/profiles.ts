/**
 * Host profiles: every behavioural difference between `qemu`, `strict` and `openvmm` is a named
 * parameter here, with its per-profile value and its source. Tests plant bugs by overriding
 * them (HostConfig.parameters).
 */
import { ALL_VERSIONS, Version } from "../wire/versions.js";

export type HostProfileName = "strict" | "qemu" | "openvmm";
export const HOST_PROFILE_NAMES: readonly HostProfileName[] = ["strict", "qemu", "openvmm"];

export interface HostProfileParameters {
  /** How replies are produced: QEMU's state runner (one reply per bus state, computed at run time) or OpenVMM's outgoing queue. */
  readonly replyModel: "stateRunner" | "outgoingQueue" | "synicQueue";
  /** Which versions are accepted: QEMU's range 0 < v ≤ maxVersion, or the exact defined list up to maxVersion. */
  readonly versionPolicy: "range" | "exactList";
  readonly maxVersion: number;
  /** Message connection ids the host listens on. */
  readonly messageConnectionIds: readonly number[];
  /** QEMU rejects VMBus types 0 and ≥ 18 in the hypercall (VMBUS_MSG_COUNT = 18). */
  readonly rejectUnknownTypesAtHypercall: boolean;
  readonly incomingQueueCapacity: number;
  /** SynIC payload_size alignment of posted messages (QEMU rounds up to 8). */
  readonly payloadSizeAlign: number;
  /** Use QEMU's unpacked C structure sizes (OFFERCHANNEL 200, VERSION_RESPONSE 12). */
  readonly qemuStructSizes: boolean;
  /** Per-channel connection id in offers. */
  readonly channelConnectionId: "16+relid" | "0x2000|relid";
  /** Second REQUESTOFFERS: answer ALLOFFERS_DELIVERED only, or drop (OffersAlreadySent). */
  readonly secondRequestOffers: "allOffersDelivered" | "drop";
  /** Offer order: channel-list (device) order, or OpenVMM's sort by (interface, order, instance). */
  readonly offerOrder: "device" | "interfaceInstance";
  readonly teardownIncompleteGpadl: "allow" | "reject";
  /** Minimum pages per ring after the split (each ring = 1 control page + data). */
  readonly minRingPages: number;
  /** OPENCHANNEL_RESULT status on failure. */
  readonly openFailureStatus: number;
  /** Emit QEMU trace events. */
  readonly qemuTrace: boolean;
  /** Negotiable feature flags, 6.0 only. */
  readonly supportedFeatures: number;
  /**
   * QEMU: what g_new(uint64_t, 0xFFFFFFFF) does for an underflowed GPADL_HEADER
   * (HOST-QEMU-DEFECT-3): "aborts" (the 32 GiB allocation fails) or "succeeds".
   */
  readonly hugeGpadlAllocation: "aborts" | "succeeds";
  /** Whose HvPostMessage/HvSignalEvent checks: QEMU's hyperv.c or OpenVMM's KVM backend (spec/host/openvmm/hypercall.ts). */
  readonly hypercallBackend: "qemu" | "kvm";
}

export interface ParameterInfo {
  readonly name: keyof HostProfileParameters;
  readonly description: string;
  readonly source: string;
}

const QEMU_VERSIONS_MAX = Version.WIN10; // VMBUS_VERSION_CURRENT

export const HOST_PROFILES: Readonly<Record<HostProfileName, HostProfileParameters>> = {
  qemu: {
    replyModel: "stateRunner",
    versionPolicy: "range",
    maxVersion: QEMU_VERSIONS_MAX,
    messageConnectionIds: [1],
    rejectUnknownTypesAtHypercall: true,
    incomingQueueCapacity: 16,
    payloadSizeAlign: 8,
    qemuStructSizes: true,
    channelConnectionId: "16+relid",
    secondRequestOffers: "allOffersDelivered",
    offerOrder: "device",
    teardownIncompleteGpadl: "allow",
    minRingPages: 2,
    openFailureStatus: 1,
    qemuTrace: true,
    supportedFeatures: 0,
    hugeGpadlAllocation: "aborts",
    hypercallBackend: "qemu",
  },
  strict: {
    replyModel: "outgoingQueue",
    versionPolicy: "exactList",
    maxVersion: Version.WIN10_V6_0,
    messageConnectionIds: [1, 4],
    rejectUnknownTypesAtHypercall: false,
    incomingQueueCapacity: 16,
    payloadSizeAlign: 1,
    qemuStructSizes: false,
    channelConnectionId: "0x2000|relid",
    secondRequestOffers: "allOffersDelivered",
    offerOrder: "device",
    teardownIncompleteGpadl: "allow",
    minRingPages: 2,
    openFailureStatus: 0x8000ffff,
    qemuTrace: false,
    supportedFeatures: 0x01 | 0x02 | 0x04 | 0x08 | 0x20,
    hugeGpadlAllocation: "aborts",
    hypercallBackend: "qemu",
  },
  openvmm: {
    replyModel: "synicQueue",
    versionPolicy: "exactList",
    maxVersion: Version.WIN10_V6_0,
    messageConnectionIds: [1, 4],
    rejectUnknownTypesAtHypercall: false,
    incomingQueueCapacity: 64,
    payloadSizeAlign: 1,
    qemuStructSizes: false,
    channelConnectionId: "0x2000|relid",
    secondRequestOffers: "drop",
    offerOrder: "interfaceInstance",
    teardownIncompleteGpadl: "reject",
    minRingPages: 1,
    openFailureStatus: 0x8000ffff,
    qemuTrace: false,
    supportedFeatures: 0x01 | 0x02 | 0x04 | 0x08 | 0x20,
    hugeGpadlAllocation: "aborts",
    hypercallBackend: "kvm",
  },
};

export const PARAMETER_INFO: readonly ParameterInfo[] = [
  { name: "replyModel", description: "how replies are produced and queued (synicQueue: spec/host/openvmm, posted at once to the KVM backend's SynIC queue)", source: "(QEMU hw/hyperv/vmbus.c state_runner) (OpenVMM vm/devices/vmbus/vmbus_server/src/lib.rs outgoing queue); OpenVMM vm/hv1/hv1_emulator/src/message_queues.rs (1488a37b)" },
  { name: "versionPolicy", description: "which requested versions are accepted", source: "(QEMU hw/hyperv/vmbus.c vmbus_initialized) (OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs check_version_supported)" },
  { name: "maxVersion", description: "highest accepted version", source: "" },
  { name: "messageConnectionIds", description: "message connection ids listened on", source: "(QEMU hw/hyperv/vmbus.c vmbus_realize) (OpenVMM vm/devices/vmbus/vmbus_server/src/lib.rs)" },
  { name: "rejectUnknownTypesAtHypercall", description: "hypercall fails for VMBus types 0 and ≥ 18", source: "(QEMU hw/hyperv/vmbus.c vmbus_recv_message)" },
  { name: "incomingQueueCapacity", description: "incoming message queue entries", source: "(OpenVMM vm/devices/vmbus/vmbus_server/src/lib.rs 64)" },
  { name: "payloadSizeAlign", description: "posted payload_size rounded up to this", source: "(QEMU hw/hyperv/vmbus.c VMBUS_MESSAGE_SIZE_ALIGN)" },
  { name: "qemuStructSizes", description: "messages posted with QEMU's unpacked struct sizes", source: "QEMU quirk Q17" },
  { name: "channelConnectionId", description: "per-channel connection id in offers", source: "(QEMU hw/hyperv/vmbus.c, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs ConnectionId::new)" },
  { name: "secondRequestOffers", description: "answer to a second REQUESTOFFERS", source: "(QEMU hw/hyperv/vmbus.c, OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs OffersAlreadySent)" },
  { name: "offerOrder", description: "order in which channels are offered", source: "(QEMU hw/hyperv/vmbus.c) (OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs)" },
  { name: "teardownIncompleteGpadl", description: "teardown of a GPADL still receiving range data", source: "(QEMU hw/hyperv/vmbus.c, OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs InvalidGpadlState)" },
  { name: "minRingPages", description: "minimum pages per ring after the split", source: "(QEMU hw/hyperv/vmbus.c ringbufs_init, OpenVMM vm/devices/vmbus/vmbus_channel/src/gpadl_ring.rs)" },
  { name: "openFailureStatus", description: "OPENCHANNEL_RESULT status on failure", source: "(QEMU hw/hyperv/vmbus.c send_open_channel, OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs)" },
  { name: "qemuTrace", description: "emit QEMU trace events", source: "(QEMU hw/hyperv/trace-events)" },
  { name: "hypercallBackend", description: "whose HvPostMessage/HvSignalEvent checks (message type, sizes, connection id bits, flag number)", source: "QEMU hw/hyperv/hyperv.c hyperv_hcall_post_message; OpenVMM vm/hv1/hv1_hypercall/src/imp.rs:41, vmm_core/virt/src/synic.rs:49 (1488a37b)" },
  { name: "supportedFeatures", description: "feature flags the host can negotiate (6.0)", source: "(OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs SUPPORTED_FEATURE_FLAGS)" },
  { name: "hugeGpadlAllocation", description: "QEMU only: whether the 32 GiB PFN array of an underflowed GPADL_HEADER is allocated (HOST-QEMU-DEFECT-3; unused by the other profiles)", source: "QEMU hw/hyperv/vmbus.c create_gpadl g_new (019fbfa4)" },
];

export const resolveParameters = (profile: HostProfileName, overrides?: Partial<HostProfileParameters>): HostProfileParameters => ({
  ...(HOST_PROFILES[profile] ?? HOST_PROFILES.strict),
  ...(overrides ?? {}),
});

/** Is `v` accepted under these parameters? */
export const versionAccepted = (p: HostProfileParameters, v: number): boolean =>
  p.versionPolicy === "range" ? v > 0 && v <= p.maxVersion : ALL_VERSIONS.includes(v) && v <= p.maxVersion;
