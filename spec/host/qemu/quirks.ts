/**
 * QEMU's known quirks and defects, numbered Q1…Q17: behaviours of QEMU's VMBus host, derived
 * from reading its code, that a guest can provoke and that the `qemu` profile reproduces (or,
 * for defects, records). Reports, outcomes and docs cite them as "QEMU quirk Q5"; docs/host.md
 * lists them (src/docs/host-doc.ts). Each names the upstream function and the rules that decide it.
 */

export interface QemuQuirk {
  readonly n: number;
  /** What the guest does. */
  readonly input: string;
  /** What QEMU does. */
  readonly behaviour: string;
  /** Where, in QEMU's source. */
  readonly where: string;
  /** The rules that model it (a defect rule for a crash or abort). */
  readonly rules: readonly string[];
}

const VMBUS = "QEMU hw/hyperv/vmbus.c";

export const QEMU_QUIRKS: readonly QemuQuirk[] = [
  { n: 1, input: "GPADL_BODY naming a GPADL whose PFNs are all seen", behaviour: "assert(num_gfns_left) fails: QEMU aborts", where: `${VMBUS} handle_gpadl_body`, rules: ["HOST-QEMU-DEFECT-1"] },
  { n: 2, input: "UNLOAD before any INITIATE_CONTACT (or after a reset)", behaviour: "the reply is posted through a NULL SINT route: QEMU crashes", where: `${VMBUS} handle_unload, send_unload; QEMU hw/hyperv/hyperv.c hyperv_sint_route_*`, rules: ["HOST-QEMU-DEFECT-2"] },
  { n: 3, input: "GPADL_HEADER with rangecount 1 and range_buflen < 8", behaviour: "num_gfns underflows to 0xFFFFFFFF; a PFN array of 2^32 entries is allocated", where: `${VMBUS} handle_gpadl_header`, rules: ["HOST-QEMU-DEFECT-3"] },
  { n: 4, input: "GPADL_HEADER with range_buflen 8 and byte_count 0", behaviour: "a zero-page GPADL is complete at once and GPADL_CREATED is sent; opening a channel on it fails later", where: `${VMBUS} handle_gpadl_header`, rules: ["HOST-GPADL-3", "HOST-GPADL-4"] },
  { n: 5, input: "GPADL_HEADER reusing the id of a GPADL still in the list", behaviour: "ignored: the guest never gets GPADL_CREATED", where: `${VMBUS} handle_gpadl_header`, rules: ["HOST-GPADL-2"] },
  { n: 6, input: "a malformed or unsupported GPADL header, a teardown of an unknown id, OPENCHANNEL for an unknown relid or a channel not in INIT, any message too short", behaviour: "silently dropped, no reply (a Linux guest waits for ever)", where: `${VMBUS} handle_* and vmbus_process_message`, rules: ["HOST-MSG-1", "HOST-CONNECT-9", "HOST-GPADL-1", "HOST-GPADL-5", "HOST-GPADL-12", "HOST-OPEN-1", "HOST-CLOSE-1"] },
  { n: 7, input: "INITIATE_CONTACT or OPENCHANNEL whose target VP names no vCPU", behaviour: "hyperv_sint_route_new dereferences a NULL CPU: likely crash", where: "QEMU hw/hyperv/hyperv.c hyperv_sint_route_new", rules: ["HOST-QEMU-DEFECT-4"] },
  { n: 8, input: "RELID_RELEASED (type 13)", behaviour: "accepted by the hypercall, then dropped as an unknown message type", where: `${VMBUS} vmbus_process_message`, rules: ["HOST-MSG-3"] },
  { n: 9, input: "any message type 0 or ≥ 18 (TL_CONNECT_REQUEST, MODIFYCHANNEL …)", behaviour: "the hypercall fails with HV_STATUS_INVALID_HYPERCALL_INPUT", where: `${VMBUS} vmbus_recv_message`, rules: ["HOST-HC-5"] },
  { n: 10, input: "messages posted while an UNLOAD is being answered", behaviour: "dropped (the receive queue is emptied before UNLOAD_RESPONSE)", where: `${VMBUS} send_unload`, rules: ["HOST-UNLOAD-1"] },
  { n: 11, input: "CLOSECHANNEL for a channel that is not open", behaviour: "the channel goes back to INIT; with no channel of the device open, the device is reset", where: `${VMBUS} handle_close_channel`, rules: ["HOST-CLOSE-2"] },
  { n: 12, input: "OPENCHANNEL naming a GPADL that was torn down but is still referenced", behaviour: "accepted: only existence and completeness are checked", where: `${VMBUS} vmbus_get_gpadl`, rules: ["HOST-OPEN-2"] },
  { n: 13, input: "the guest drains a ring completely after setting pending_send_sz", behaviour: "QEMU computes 0 bytes free on the empty ring and does not signal", where: `${VMBUS} vmbus_channel_recv_done`, rules: ["RING-READ-4"] },
  { n: 14, input: "any packet QEMU writes", behaviour: "padding and trailer are never written", where: `${VMBUS} vmbus_channel_send`, rules: ["RING-WRITE-5"] },
  { n: 15, input: "event flag number 2048", behaviour: "passes the eventno > HV_EVENT_FLAGS_COUNT check (off by one); unreachable because relids are ≤ 2047", where: "QEMU hw/hyperv/hyperv.c hyperv_set_event_flag", rules: [] },
  { n: 16, input: "a version in (0, 4.0] that is not a real version (e.g. 0x00010005)", behaviour: "accepted", where: `${VMBUS} vmbus_initialized`, rules: ["HOST-CONNECT-2"] },
  { n: 17, input: "OFFERCHANNEL (and other replies) as posted", behaviour: "posted with the unpacked 64-bit struct size (200 bytes for an offer, 196 elsewhere)", where: `${VMBUS} send_offer, post_msg`, rules: ["HOST-OFFER-3"] },
];

export const quirkLabel = (n: number): string => `QEMU quirk Q${n}`;
