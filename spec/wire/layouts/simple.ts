/** Header-only messages: 3, 4, 16, 17, 27, 28, 29 (: 8 bytes each). */
import type { Layout } from "../layout.js";
import { messageLayout } from "./header.js";

const SRC = "Linux include/linux/hyperv.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs (empty structs), Microsoft mu_msvm VmbusDxe/ChannelMessages.h, QEMU hw/hyperv/vmbus.c";
const SRC_O = "OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs only (empty struct)";

export const RequestOffers: Layout = messageLayout("RequestOffers", "REQUESTOFFERS (3, g->h)", 8, SRC, []);
export const AllOffersDelivered: Layout = messageLayout("AllOffersDelivered", "ALLOFFERS_DELIVERED (4, h->g)", 8, SRC, []);
export const Unload: Layout = messageLayout("Unload", "UNLOAD (16, g->h)", 8, SRC, []);
export const UnloadResponse: Layout = messageLayout("UnloadResponse", "UNLOAD_RESPONSE / UnloadComplete (17, h->g)", 8, SRC, []);
export const Pause: Layout = messageLayout("Pause", "PAUSE (27, g->h; Copper + pause_resume)", 8, SRC_O, []);
export const PauseResponse: Layout = messageLayout("PauseResponse", "PAUSE_RESPONSE (28, h->g; Copper + pause_resume)", 8, SRC_O, []);
export const Resume: Layout = messageLayout("Resume", "RESUME (29, g->h; Copper + pause_resume)", 8, SRC_O, []);
