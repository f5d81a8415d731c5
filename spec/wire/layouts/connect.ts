/** INITIATE_CONTACT (14), VERSION_RESPONSE (15), MODIFY_CONNECTION (25/26):. */
import type { Field, Layout } from "../layout.js";
import { field, messageLayout } from "./header.js";

const SRC_IC = "Linux include/linux/hyperv.h vmbus_channel_initiate_contact, QEMU include/hw/hyperv/vmbus-proto.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs InitiateContact/InitiateContact2, Microsoft mu_msvm VmbusDxe/ChannelMessages.h";
const SRC_VR = "Linux include/linux/hyperv.h vmbus_channel_version_response, QEMU include/hw/hyperv/vmbus-proto.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs VersionResponse*, Microsoft mu_msvm VmbusDxe/ChannelMessages.h";

const IC_HEAD: readonly Field[] = [
  field("vmbusVersionRequested", 8, 4, "u32", { linux: "vmbus_version_requested", qemu: "version_requested", openvmm: "version_requested", ms: "VMBusVersionRequested" }, "major << 16 | minor; decides the form"),
  field("targetVcpu", 12, 4, "u32", { linux: "target_vcpu", qemu: "target_vcpu", openvmm: "target_message_vp", ms: "TargetMessageVp" }, "VP the host responds to"),
];
const IC_MONITOR: readonly Field[] = [
  field("monitorPage1", 24, 8, "u64", { linux: "monitor_page1", qemu: "monitor_page1", openvmm: "parent_to_child_monitor_page_gpa", ms: "ParentToChildMonitorPageGpa" }, "parent->child monitor page GPA"),
  field("monitorPage2", 32, 8, "u64", { linux: "monitor_page2", qemu: "monitor_page2", openvmm: "child_to_parent_monitor_page_gpa", ms: "ChildToParentMonitorPageGpa" }, "child->parent monitor page GPA"),
];
const IC_SINT: readonly Field[] = [
  field("msgSint", 16, 1, "u8", { linux: "msg_sint", openvmm: "target_info.sint", ms: "TargetSint" }, "≥ 5.0"),
  field("msgVtl", 17, 1, "u8", { linux: "msg_vtl", openvmm: "target_info.vtl", ms: "TargetVtl" }, "≥ 5.1"),
  field("reserved", 18, 2, "reserved", { linux: "reserved[2]", ms: "Reserved[2]" }),
  field("featureFlags", 20, 4, "u32", { linux: "feature_flags", openvmm: "target_info.feature_flags", ms: "FeatureFlags" }, "≥ 6.0; reserved before"),
];

export const InitiateContact: Layout = messageLayout("InitiateContact", "INITIATE_CONTACT (14, g->h), versions < 5.0 (interrupt page)", 40, SRC_IC, [
  ...IC_HEAD,
  field("interruptPage", 16, 8, "u64", { linux: "interrupt_page", qemu: "interrupt_page", openvmm: "interrupt_page_or_target_info", ms: "InterruptPage" }, "GPA; only used by hosts for < 2.4"),
  ...IC_MONITOR,
]);

export const InitiateContactMsgSint: Layout = messageLayout("InitiateContact.msgSint", "INITIATE_CONTACT (14, g->h), versions ≥ 5.0", 40, SRC_IC, [
  ...IC_HEAD,
  ...IC_SINT,
  ...IC_MONITOR,
]);

export const InitiateContactClientId: Layout = messageLayout(
  "InitiateContact.clientId",
  "INITIATE_CONTACT (14, g->h), 6.0 with the client_id feature (0x8)",
  56,
  SRC_IC + " (INITIATE_CONTACT_MIN_SIZE = 40)",
  [...IC_HEAD, ...IC_SINT, ...IC_MONITOR, field("clientId", 40, 16, "guid", { openvmm: "client_id", ms: "ClientId" })],
);

const VR_COMMON: readonly Field[] = [
  field("versionSupported", 8, 1, "u8", { linux: "version_supported", qemu: "version_supported", openvmm: "version_supported", ms: "VersionSupported" }, "BOOLEAN"),
  field("connectionState", 9, 1, "u8", { linux: "connection_state", qemu: "status", openvmm: "connection_state", ms: "ConnectionState" }, "0 SUCCESSFUL, 1 FAILED_LOW_RESOURCES, 2 FAILED_UNKNOWN_FAILURE"),
  field("reserved", 10, 2, "reserved", { linux: "padding", openvmm: "padding", ms: "Pad[2]" }),
  field("msgConnId", 12, 4, "u32", { linux: "msg_conn_id", openvmm: "selected_version_or_connection_id", ms: "SelectedVersion / ConnectionId" }, "≥ 5.0: message connection id to use; OpenVMM < 5.0: the version"),
];
const VR_FEATURES = field("supportedFeatures", 16, 4, "u32", { linux: "supported_features", openvmm: "supported_features", ms: "SupportedFeatures" }, "6.0");

export const VersionResponse: Layout = messageLayout("VersionResponse", "VERSION_RESPONSE (15, h->g), versions < 6.0", 16, SRC_VR, VR_COMMON);
export const VersionResponseCopper: Layout = messageLayout("VersionResponse.copper", "VERSION_RESPONSE (15, h->g), 6.0 with supported features", 20, SRC_VR + " (VERSION_RESPONSE_MIN_SIZE = 16)", [...VR_COMMON, VR_FEATURES]);
export const VersionResponseServerMonitor: Layout = messageLayout(
  "VersionResponse.serverMonitor",
  "VERSION_RESPONSE (15, h->g), 6.0 with server_specified_monitor_pages (0x40)",
  40,
  "OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs VersionResponse3, OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs send_version_response_with_target",
  [
    ...VR_COMMON,
    VR_FEATURES,
    field("reserved2", 20, 4, "reserved", { openvmm: "padding" }),
    field("parentToChildMonitorPageGpa", 24, 8, "u64", { openvmm: "parent_to_child_monitor_page_gpa" }),
    field("childToParentMonitorPageGpa", 32, 8, "u64", { openvmm: "child_to_parent_monitor_page_gpa" }),
  ],
);

export const ModifyConnection: Layout = messageLayout("ModifyConnection", "MODIFY_CONNECTION (25, g->h; 6.0 + modify_connection)", 24, "OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs, Microsoft mu_msvm VmbusDxe/ChannelMessages.h", [
  field("parentToChildMonitorPageGpa", 8, 8, "u64", { openvmm: "parent_to_child_monitor_page_gpa", ms: "ParentToChildMonitorPageGpa" }),
  field("childToParentMonitorPageGpa", 16, 8, "u64", { openvmm: "child_to_parent_monitor_page_gpa", ms: "ChildToParentMonitorPageGpa" }),
]);

export const ModifyConnectionResponse: Layout = messageLayout(
  "ModifyConnectionResponse",
  "MODIFY_CONNECTION_RESPONSE (26, h->g; 6.0 + modify_connection)",
  9,
  "OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs, Microsoft mu_msvm VmbusDxe/ChannelMessages.h",
  [field("connectionState", 8, 1, "u8", { openvmm: "connection_state", ms: "ConnectionState" }, "same values as VERSION_RESPONSE")],
);
