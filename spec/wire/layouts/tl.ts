/** TL_CONNECT_REQUEST (21) and TL_CONNECT_RESULT (23): (hv_sock). */
import type { Field, Layout } from "../layout.js";
import { field, messageLayout } from "./header.js";

const TL_COMMON: readonly Field[] = [
  field("guestEndpointId", 8, 16, "guid", { linux: "guest_endpoint_id", openvmm: "endpoint_id", ms: "EndpointId" }),
  field("hostServiceId", 24, 16, "guid", { linux: "host_service_id", openvmm: "service_id", ms: "ServiceId" }),
];

export const TlConnectRequest: Layout = messageLayout(
  "TlConnectRequest",
  "TL_CONNECT_REQUEST (21, g->h)",
  40,
  "Linux include/linux/hyperv.h, Microsoft mu_msvm VmbusDxe/ChannelMessages.h (TL_CONNECT_REQUEST_PRE_RS5_SIZE = 40), OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs TlConnectRequest",
  TL_COMMON,
);
export const TlConnectRequestSilo: Layout = messageLayout("TlConnectRequest.silo", "TL_CONNECT_REQUEST (21, g->h), 5.2+ form with silo id", 56, "Microsoft mu_msvm VmbusDxe/ChannelMessages.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs TlConnectRequest2", [
  ...TL_COMMON,
  field("siloId", 40, 16, "guid", { openvmm: "silo_id", ms: "SiloId" }, "available with the RS5 (5.2) protocol"),
]);

export const TlConnectResult: Layout = messageLayout("TlConnectResult", "TL_CONNECT_RESULT / TlConnectRequestResult (23, h->g)", 44, "OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs, Microsoft mu_msvm VmbusDxe/ChannelMessages.h", [
  field("endpointId", 8, 16, "guid", { openvmm: "endpoint_id", ms: "EndpointId" }),
  field("serviceId", 24, 16, "guid", { openvmm: "service_id", ms: "ServiceId" }),
  field("status", 40, 4, "u32", { openvmm: "status", ms: "Status" }, "NTSTATUS; OpenVMM 0xC0000236 CONNECTION_REFUSED"),
]);
