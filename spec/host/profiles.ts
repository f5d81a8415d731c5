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
  /** Emit QEMU trace events (§11). */
  readonly qemuTrace: boolean;
  /** Negotiable feature flags (§2.5), 6.0 only. */
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
  { name: "replyModel", description: "how replies are produced and queued (synicQueue: spec/host/openvmm, posted at once to the KVM backend's SynIC queue)", source: "§4.2 (Q-vmbus state_runner); §6 (O-srv outgoing queue); OpenVMM vm/hv1/hv1_emulator/src/message_queues.rs (1488a37b)" },
  { name: "versionPolicy", description: "which requested versions are accepted", source: "§3.4 (Q-vmbus vmbus_initialized); §3.5 (O-chan check_version_supported)" },
  { name: "maxVersion", description: "highest accepted version", source: "§3.4 VMBUS_VERSION_CURRENT; §3.5" },
  { name: "messageConnectionIds", description: "message connection ids listened on", source: "§3.4 (Q-vmbus vmbus_realize); §1.5 (O-srv)" },
  { name: "rejectUnknownTypesAtHypercall", description: "hypercall fails for VMBus types 0 and ≥ 18", source: "§4.3 (Q-vmbus vmbus_recv_message)" },
  { name: "incomingQueueCapacity", description: "incoming message queue entries", source: "§4.3 HV_MSG_QUEUE_LEN; §10 (O-srv 64)" },
  { name: "payloadSizeAlign", description: "posted payload_size rounded up to this", source: "§4.2 (Q-vmbus VMBUS_MESSAGE_SIZE_ALIGN); §12.3" },
  { name: "qemuStructSizes", description: "messages posted with QEMU's unpacked struct sizes", source: "§2.3, §12.2 #17" },
  { name: "channelConnectionId", description: "per-channel connection id in offers", source: "§1.5 (Q-vmbus, O-proto ConnectionId::new)" },
  { name: "secondRequestOffers", description: "answer to a second REQUESTOFFERS", source: "§12.3 (Q-vmbus, O-chan OffersAlreadySent)" },
  { name: "offerOrder", description: "order in which channels are offered", source: "§4.4 (Q-vmbus); §6 (O-chan)" },
  { name: "teardownIncompleteGpadl", description: "teardown of a GPADL still receiving range data", source: "§12.3 (Q-vmbus, O-chan InvalidGpadlState)" },
  { name: "minRingPages", description: "minimum pages per ring after the split", source: "§4.6, §8.1 (Q-vmbus ringbufs_init, O-gring)" },
  { name: "openFailureStatus", description: "OPENCHANNEL_RESULT status on failure", source: "§2.3 (Q-vmbus send_open_channel, O-chan)" },
  { name: "qemuTrace", description: "emit QEMU trace events", source: "§11 (Q-trace)" },
  { name: "hypercallBackend", description: "whose HvPostMessage/HvSignalEvent checks (message type, sizes, connection id bits, flag number)", source: "QEMU hw/hyperv/hyperv.c hyperv_hcall_post_message; OpenVMM vm/hv1/hv1_hypercall/src/imp.rs:41, vmm_core/virt/src/synic.rs:49 (1488a37b)" },
  { name: "supportedFeatures", description: "feature flags the host can negotiate (6.0)", source: "§2.5 (O-chan SUPPORTED_FEATURE_FLAGS)" },
  { name: "hugeGpadlAllocation", description: "QEMU only: whether the 32 GiB PFN array of an underflowed GPADL_HEADER is allocated (HOST-QEMU-DEFECT-3; unused by the other profiles)", source: "QEMU hw/hyperv/vmbus.c create_gpadl g_new (019fbfa4)" },
];

export const resolveParameters = (profile: HostProfileName, overrides?: Partial<HostProfileParameters>): HostProfileParameters => ({
  ...(HOST_PROFILES[profile] ?? HOST_PROFILES.strict),
  ...(overrides ?? {}),
});

/** Is `v` accepted under these parameters? */
export const versionAccepted = (p: HostProfileParameters, v: number): boolean =>
  p.versionPolicy === "range" ? v > 0 && v <= p.maxVersion : ALL_VERSIONS.includes(v) && v <= p.maxVersion;
