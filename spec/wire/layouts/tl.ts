/** TL_CONNECT_REQUEST (21) and TL_CONNECT_RESULT (23): fact sheet §2.3 (hv_sock). */
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
  "§2.3; L-hyperv.h, MS-cm (TL_CONNECT_REQUEST_PRE_RS5_SIZE = 40), O-proto TlConnectRequest",
  TL_COMMON,
);
export const TlConnectRequestSilo: Layout = messageLayout("TlConnectRequest.silo", "TL_CONNECT_REQUEST (21, g->h), 5.2+ form with silo id", 56, "§2.3; MS-cm, O-proto TlConnectRequest2", [
  ...TL_COMMON,
  field("siloId", 40, 16, "guid", { openvmm: "silo_id", ms: "SiloId" }, "available with the RS5 (5.2) protocol"),
]);

export const TlConnectResult: Layout = messageLayout("TlConnectResult", "TL_CONNECT_RESULT / TlConnectRequestResult (23, h->g)", 44, "§2.3; O-proto, MS-cm", [
  field("endpointId", 8, 16, "guid", { openvmm: "endpoint_id", ms: "EndpointId" }),
  field("serviceId", 24, 16, "guid", { openvmm: "service_id", ms: "ServiceId" }),
  field("status", 40, 4, "u32", { openvmm: "status", ms: "Status" }, "NTSTATUS; OpenVMM 0xC0000236 CONNECTION_REFUSED"),
]);
