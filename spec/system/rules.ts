/**
 * System rules: what must hold of guest + host + transport together. The model checker reports
 * every violation with one of these IDs (or a host/guest rule ID for host invariants, host
 * defects and host messages the guest had to drop).
 */
import type { Rule } from "../rules/rule.js";

const s = (id: string, sentence: string, source: string): Rule => ({ id, area: "system", sentence, profiles: "all", source });

export const RULES: readonly Rule[] = [
  s("SYS-OPEN-1", "Every channel the guest believes open MUST be open on the host with the same ring GPADL, unless the host has rescinded it.", "QEMU hw/hyperv/vmbus.c send_open_channel, Linux drivers/hv/channel.c __vmbus_open"),
  s("SYS-GPADL-1", "Every GPADL the guest believes created MUST exist, complete, on the host, unless its channel was rescinded.", "QEMU hw/hyperv/vmbus.c send_create_gpadl, Linux drivers/hv/channel.c vmbus_establish_gpadl"),
  s("SYS-VERSION-1", "While the guest believes it is connected at version v, the host MUST be connected at v.", "Linux drivers/hv/connection.c, QEMU hw/hyperv/vmbus.c handle_initiate_contact"),
  s("SYS-UNLOAD-1", "After the guest received UNLOAD_RESPONSE no channel is open and no GPADL exists on the host, and the guest believes none.", "QEMU hw/hyperv/vmbus.c send_unload/complete_unload, Linux drivers/hv/channel_mgmt.c vmbus_initiate_unload"),
  s("SYS-SLOT-1", "The guest's SINT-2 slot holds at most one message of at most 240 payload bytes; a host message is written only into a free slot.", "QEMU include/hw/hyperv/hyperv-proto.h, Linux include/asm-generic/hyperv-tlfs.h"),
  s("SYS-HCALL-1", "Every HvPostMessage and HvSignalEvent MUST be answered with exactly one hypercall status.", "QEMU hw/hyperv/hyperv.c hyperv_hcall_post_message, hyperv_hcall_signal_event"),
  s("SYS-SIGNAL-1", "While a channel is open on the host, HvSignalEvent with the connection id from its offer (flag number 0) MUST succeed.", "Linux drivers/hv/connection.c vmbus_set_event, QEMU hw/hyperv/vmbus.c (16 + relid registered at open), QEMU hw/hyperv/hyperv.c hyperv_hcall_signal_event"),
  s("SYS-DEADLOCK-1", "A guest waiting for a reply MUST always have some enabled input that can make progress; a reachable state where the guest waits and nothing is enabled is a deadlock.", "Linux drivers/hv/connection.c and channel.c wait for replies without a timeout; QEMU quirk Q6"),
  s("SYS-HOSTMSG-1", "Every message the host delivers MUST pass the guest's validation; a dropped host message is a host finding reported under the guest rule that dropped it.", "Linux drivers/hv/vmbus_drv.c __vmbus_on_msg_dpc"),
  s("SYS-LIVE-1", "The host never ends up unable to process guest messages for good: from every reachable state where a guest message waits in the host's queue, some continuation gets a queued message processed. This holds with a hostile guest too.", "QEMU hw/hyperv/vmbus.c vmbus_run (processes one queued message per run while the bus is listening), OpenVMM vm/devices/vmbus/vmbus_server/src/lib.rs (the server task polls its message queue)"),
  s("SYS-LIVE-2", "The Linux-like guest never waits for ever on a host that will never answer: from every reachable state where it waits for a reply, some continuation delivers a host message to it (a state from which only deadlocks follow is SYS-DEADLOCK-1's).", "Linux drivers/hv/channel_mgmt.c, connection.c (wait_for_completion without timeout in vmbus_open, vmbus_establish_gpadl, vmbus_negotiate_version)"),
];
