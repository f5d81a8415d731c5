/**
 * The host's normative rules (area "host"). Every rejection and defect the host reducer emits
 * carries one of these IDs. IDs are stable: never renumber, only add.
 * Sources name the upstream files directly (docs/sources.md lists them with their commits).
 */
import type { Rule } from "../rules/rule.js";
import { OPENVMM_RULES } from "./openvmm/rules.js";

const r = <const I extends string>(id: I, profiles: Rule["profiles"], sentence: string, source: string) =>
  ({ id, area: "host", sentence, profiles, source }) as const satisfies Rule;

const QEMU = ["qemu"] as const;
/** strict's outgoing-queue server; the openvmm profile has its own rules (spec/host/openvmm/rules.ts). */
const QUEUE = ["strict"] as const;
/** qemu and strict only: QEMU's hyperv.c hypercall checks and one-message-in-flight server; OpenVMM's are HOST-OPENVMM-*. */
const HV = ["qemu", "strict"] as const;

export const RULES = [
  // ---- hypercalls ----
  r("HOST-HC-1", HV, "The host MUST fail an HvPostMessage whose SynIC message type is not 1 (VMBus) with HV_STATUS_INVALID_HYPERCALL_INPUT.", "QEMU hw/hyperv/vmbus.c vmbus_recv_message"),
  r("HOST-HC-2", HV, "The host MUST fail an HvPostMessage whose payload_size exceeds 240 with HV_STATUS_INVALID_HYPERCALL_INPUT.", "QEMU hw/hyperv/hyperv.c hyperv_hcall_post_message"),
  r("HOST-HC-3", HV, "The host MUST fail an HvPostMessage to a connection id (low 24 bits) it does not listen on with HV_STATUS_INVALID_CONNECTION_ID.", "QEMU hw/hyperv/hyperv.c, QEMU hw/hyperv/vmbus.c vmbus_realize, OpenVMM vm/devices/vmbus/vmbus_server/src/lib.rs"),
  r("HOST-HC-4", HV, "The host MUST fail an HvPostMessage with payload_size below the 8-byte message header with HV_STATUS_INVALID_HYPERCALL_INPUT.", "QEMU hw/hyperv/vmbus.c vmbus_recv_message"),
  r("HOST-HC-5", QEMU, "A QEMU host fails an HvPostMessage carrying VMBus message type 0 or any type ≥ 18 with HV_STATUS_INVALID_HYPERCALL_INPUT.", "QEMU quirk Q9; QEMU hw/hyperv/vmbus.c vmbus_recv_message, VMBUS_MSG_COUNT"),
  r("HOST-HC-6", HV, "The host MUST fail an HvPostMessage with HV_STATUS_INSUFFICIENT_BUFFERS when its incoming message queue is full (QEMU: 16 entries).", "QEMU hw/hyperv/vmbus.c enqueue_incoming_message, HV_MSG_QUEUE_LEN; OpenVMM vm/devices/vmbus/vmbus_server/src/lib.rs (64)"),
  r("HOST-HC-7", "all", "An HvPostMessage input whose payload is not hex of at most 240 bytes is malformed and fails with HV_STATUS_INVALID_HYPERCALL_INPUT.", "spec model rule (the SynIC message payload is 240 bytes, QEMU include/hw/hyperv/hyperv-proto.h)"),
  r("HOST-SIG-1", HV, "The host MUST fail an HvSignalEvent with a non-zero flag number with HV_STATUS_INVALID_PORT_ID.", "QEMU hw/hyperv/hyperv.c hyperv_hcall_signal_event"),
  r("HOST-SIG-2", HV, "The host MUST fail an HvSignalEvent whose connection id has bits set above the low 24 with HV_STATUS_INVALID_HYPERCALL_INPUT.", "QEMU hw/hyperv/hyperv.c"),
  r("HOST-SIG-3", HV, "The host MUST fail an HvSignalEvent for a connection id with no registered handler (shared event id 2, or an open channel's id) with HV_STATUS_INVALID_CONNECTION_ID.", "QEMU hw/hyperv/hyperv.c, QEMU hw/hyperv/vmbus.c open_channel"),
  r("HOST-SIG-4", "all", "A device can only signal the guest on a channel that is open; other device signals are rejected.", "QEMU hw/hyperv/vmbus.c vmbus_channel_notify_guest"),
  // ---- deferred work and delivery ----
  r("HOST-RUN-1", HV, "The host MUST have at most one control message in flight and MUST NOT process incoming messages while a reply is pending.", "QEMU hw/hyperv/vmbus.c vmbus_do_run, OpenVMM vm/devices/vmbus/vmbus_server/src/lib.rs"),
  r("HOST-RUN-2", HV, "When delivery reports the guest's message slot busy, the host MUST post the same reply again on a later run.", "QEMU hw/hyperv/vmbus.c vmbus_msg_cb (-EAGAIN)"),
  r("HOST-RUN-3", HV, "A fatal delivery failure aborts the bus: the host resets it as on machine reset.", "QEMU hw/hyperv/vmbus.c vmbus_msg_cb, post_msg"),
  r("HOST-RUN-4", "all", "A delivery result when no message is in flight is an environment error and is rejected.", "QEMU hw/hyperv/vmbus.c vmbus_msg_cb assert(msg_in_progress)"),
  r("HOST-RUN-5", QEMU, "QEMU runs its deferred work only in a vmbus_run bottom half that vmbus_resched scheduled: one when a message is queued onto an empty queue, one after each processed message, one after each delivery result that is not fatal; none after a fatal delivery failure, a reset or a post. Several schedulings before a run are one pending run (a second bottom half could only find nothing to do, or do what the first would have done later). A run input with none scheduled is rejected.", "QEMU hw/hyperv/vmbus.c vmbus_resched, enqueue_incoming_message, process_message, vmbus_msg_cb, vmbus_do_run, vmbus_deinit (019fbfa4)"),
  r("HOST-RUN-6", QEMU, "A message QEMU staged ends with the status the guest's SynIC decides: 0 (written into a free slot; the guest is interrupted unless it masked the SINT, and then it is not read), -EAGAIN (slot busy: PENDING set; completed when the guest signals EOM), or -ENXIO (the guest disabled its message page: a fatal failure, HOST-RUN-3).", "QEMU hw/hyperv/hyperv.c cpu_post_msg, sint_ack_handler, sint_msg_bh (06b40d25); hw/hyperv/vmbus.c vmbus_msg_cb (019fbfa4)"),
  // ---- message dispatch ----
  r("HOST-MSG-1", HV, "A message whose payload_size is below its fixed structure size is dropped without a reply.", "QEMU hw/hyperv/vmbus.c handlers; OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs MessageTooSmall"),
  r("HOST-MSG-2", HV, "A message other than INITIATE_CONTACT (and, in QEMU, UNLOAD) received while no version is negotiated is dropped.", "QEMU hw/hyperv/vmbus.c vmbus_initialized, OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  r("HOST-MSG-3", HV, "A message type the host does not handle (QEMU: RELID_RELEASED and host-to-guest types) is dropped as an unknown message type.", "QEMU quirk Q8; QEMU hw/hyperv/vmbus.c process_message; OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  r("HOST-MSG-4", QUEUE, "A message type not valid for the negotiated version and features (the minimum versions of the message table, docs/wire.md) is dropped as InvalidMessageType.", "OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs parse table, OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  r("HOST-MSG-5", QUEUE, "A message the wire decoder rejects is dropped with the decoder's reason.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs (parse errors are logged and dropped)"),
  // ---- connection ----
  r("HOST-CONNECT-1", HV, "INITIATE_CONTACT resets the whole bus (channels closed, GPADLs released, offers forgotten) in any state before it is handled.", "QEMU hw/hyperv/vmbus.c handle_initiate_contact, OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs request_disconnect(Reconnect)"),
  r("HOST-CONNECT-2", QEMU, "A QEMU host accepts any requested version v with 0 < v ≤ 4.0 and answers version_supported = 0 otherwise, keeping the refused version stored.", "QEMU quirk Q16; QEMU hw/hyperv/vmbus.c vmbus_initialized, send_handshake"),
  r("HOST-CONNECT-3", QUEUE, "The host accepts exactly the defined versions 0.13, 1.1, 2.4, 3.0, 4.0, 4.1, 5.0, 5.1, 5.2, 5.3, 6.0 up to its maximum and answers a 16-byte VERSION_RESPONSE with version_supported = 0 otherwise.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs SUPPORTED_VERSIONS, check_version_supported"),
  r("HOST-CONNECT-4", QUEUE, "A successful VERSION_RESPONSE carries at offset 12 the message connection id for versions ≥ 5.0 and the selected version below 5.0.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs send_version_response_with_target"),
  r("HOST-CONNECT-5", QUEUE, "Negotiated feature flags are the host-supported flags AND the requested flags, and empty below 6.0; a 6.0 VERSION_RESPONSE carries them (20-byte form).", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs SUPPORTED_FEATURE_FLAGS"),
  r("HOST-CONNECT-6", QUEUE, "INITIATE_CONTACT must give both monitor pages or neither; exactly one gives version_supported = 1 with connection_state = 2 (FAILED_UNKNOWN_FAILURE) from 2.4.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs handle_initiate_contact"),
  r("HOST-CONNECT-7", QUEUE, "From 5.0 a msg_sint other than 2 on the multiclient port (answered on that SINT), and from 5.1 a msg_vtl other than 0 on any port, is answered as unsupported (strict's choice: OpenVMM reads the VTL only on the multiclient port and forwards a mismatch, HOST-OPENVMM-CONNECT-1/-2).", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs:2158-2173, :2252-2278 (1488a37b) for the SINT reply; the VTL answer is the spec's"),
  r("HOST-CONNECT-8", QUEUE, "A target VP (honoured from 3.0) naming no virtual processor is answered on VP 0 with version_supported = 1, connection_state = 2 and leaves the bus disconnected.", "QEMU quirk Q7; spec rule (QEMU crashes, see HOST-QEMU-DEFECT-4)"),
  r("HOST-CONNECT-9", QEMU, "INITIATE_CONTACT shorter than 40 bytes is dropped before the reset.", "QEMU hw/hyperv/vmbus.c handle_initiate_contact"),
  // ---- offers ----
  r("HOST-OFFER-1", HV, "REQUESTOFFERS is answered with one OFFERCHANNEL per channel in channel-list order (sub-channels after their primary), then ALLOFFERS_DELIVERED; the next offer is posted only after the previous one was delivered.", "QEMU hw/hyperv/vmbus.c handle_request_offers, send_offer, complete_offer"),
  r("HOST-OFFER-2", HV, "Relids are allocated 1..2047, first free, when a device is realized; they survive bus resets.", "QEMU hw/hyperv/vmbus.c alloc_chan_id; OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs MAX_CHANNELS"),
  r("HOST-OFFER-3", QEMU, "A QEMU offer carries connection_id 16 + relid, interrupt_flags DEDICATED, monitor id 0 without monitor, user data zero, and is posted as its 200-byte unpacked structure; every QEMU payload_size is rounded up to 8.", "QEMU quirk Q17; QEMU hw/hyperv/vmbus.c send_offer, post_msg"),
  r("HOST-OFFER-4", QUEUE, "A queue-model offer is 196 bytes (190 for 0.13), connection_id 0x2000 | relid, is_dedicated 1, monitor id 0xFF without monitor, payload_size exact.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs send_offer, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs ConnectionId::new"),
  r("HOST-OFFER-5", "all", "A second REQUESTOFFERS is handled per profile: QEMU and strict answer only ALLOFFERS_DELIVERED (nothing left to offer); OpenVMM drops it (OffersAlreadySent).", "QEMU hw/hyperv/vmbus.c handle_request_offers, OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  r("HOST-OFFER-6", ["openvmm"], "OpenVMM offers channels sorted by (interface id, offer order, instance id).", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs:2715-2740 (1488a37b)"),
  r("HOST-OFFER-7", QUEUE, "A device added after offers were requested is offered at once (hot add).", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs offer_channel"),
  r("HOST-OFFER-8", "all", "A device whose channels cannot all get a free relid is not realized (\"no spare channel id\").", "QEMU hw/hyperv/vmbus.c init_channel"),
  r("HOST-OFFER-9", QEMU, "QEMU's VMBus bus has no hotplug handler: a device cannot be added once the machine runs (device_add is refused), so no offer is ever made outside REQUESTOFFERS.", "QEMU hw/hyperv/vmbus.c vmbus_class_init (no HotplugHandler), QEMU hw/core/qdev.c qbus_is_hotpluggable (019fbfa4)"),
  // ---- rescind ----
  r("HOST-RESCIND-1", QUEUE, "Rescinding a channel closes it host-side and sends RESCIND_CHANNELOFFER if it was offered; its relid stays reserved until RELID_RELEASED.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs revoke_channel, Linux drivers/hv/channel_mgmt.c"),
  r("HOST-RESCIND-2", QUEUE, "RELID_RELEASED frees the relid of a rescinded channel; for any other channel it is rejected.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs handle_rel_id_released"),
  r("HOST-RESCIND-3", QEMU, "QEMU never rescinds (RESCIND_CHANNELOFFER is defined but never sent): a rescind request is rejected.", "QEMU hw/hyperv/vmbus.c"),
  // ---- GPADLs ----
  r("HOST-GPADL-1", QEMU, "QEMU only creates single-range, page-aligned GPADLs: rangecount 1, byte_offset 0, byte_count = num_gfns × 4096; anything else is dropped.", "QEMU hw/hyperv/vmbus.c handle_gpadl_header"),
  r("HOST-GPADL-2", HV, "A GPADL_HEADER reusing the id of a GPADL still in the host's list is dropped (QEMU) or answered with a failed GPADL_CREATED (strict).", "QEMU quirk Q5; QEMU hw/hyperv/vmbus.c, OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  r("HOST-GPADL-3", QEMU, "QEMU takes num_gfns = (range_buflen − 8·rangecount) / 8 and copies PFNs from the header and then bodies until num_gfns are seen.", "QEMU hw/hyperv/vmbus.c handle_gpadl_header, handle_gpadl_body"),
  r("HOST-GPADL-4", "all", "When a GPADL's range data is complete the host answers GPADL_CREATED with the header's child_relid and status 0.", "QEMU hw/hyperv/vmbus.c send_create_gpadl; OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  r("HOST-GPADL-5", "all", "A GPADL_BODY naming no GPADL in progress is dropped (it carries no channel id to answer to).", "QEMU hw/hyperv/vmbus.c handle_gpadl_body, OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  r("HOST-GPADL-6", HV, "GPADL_TEARDOWN of a GPADL that exists and is not torn down is answered with GPADL_TORNDOWN; the creation reference is dropped and the GPADL freed when no open channel uses it.", "QEMU hw/hyperv/vmbus.c handle_gpadl_teardown, complete_teardown_gpadl"),
  r("HOST-GPADL-7", QUEUE, "A teardown of a GPADL used as an open channel's ring is deferred: GPADL_TORNDOWN is sent when the channel closes.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs OfferedTearingDown"),
  r("HOST-GPADL-8", ["openvmm"], "OpenVMM rejects the teardown of a GPADL whose range data is incomplete (InvalidGpadlState).", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs:2954-2959 (1488a37b)"),
  r("HOST-GPADL-9", QUEUE, "Each GPA range must have byte_count ≠ 0, byte_offset ≤ 0xFFF and enough PFNs; range_buflen must be a multiple of 8 covering every range; an invalid GPADL is answered with GPADL_CREATED status 0x8000FFFF.", "OpenVMM vm/devices/vmbus/vmbus_ring/src/gparange.rs, OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  r("HOST-GPADL-10", QUEUE, "A GPADL_HEADER for a relid that names no offered, unrescinded channel is answered with GPADL_CREATED status 0x8000FFFF.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  r("HOST-GPADL-11", QUEUE, "A GPADL_BODY for a complete GPADL, or carrying more range data than range_buflen announced beyond one message of trailing tolerance, is dropped.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs (trailing data tolerated)"),
  r("HOST-GPADL-12", "all", "A GPADL_TEARDOWN naming no GPADL (or a torn-down one) is dropped.", "QEMU quirk Q6; QEMU hw/hyperv/vmbus.c, OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  // ---- open / close ----
  r("HOST-OPEN-1", "all", "OPENCHANNEL for a relid with no channel, or a channel that is not closed, is dropped.", "QEMU hw/hyperv/vmbus.c handle_open_channel; OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs ChannelAlreadyOpen"),
  r("HOST-OPEN-2", "all", "The ring GPADL must exist and be complete (QEMU does not check its state, so a torn-down GPADL still referenced is accepted).", "QEMU quirk Q12; QEMU hw/hyperv/vmbus.c vmbus_get_gpadl"),
  r("HOST-OPEN-3", "all", "The ring split must leave each ring at least the profile's minimum pages (QEMU 2: offset ≥ 2 and pages ≥ offset + 2; OpenVMM 1).", "QEMU hw/hyperv/vmbus.c ringbufs_init, OpenVMM vm/devices/vmbus/vmbus_channel/src/gpadl_ring.rs split"),
  r("HOST-OPEN-4", "all", "A device whose open callback fails fails the open.", "QEMU hw/hyperv/vmbus.c open_channel"),
  r("HOST-OPEN-5", "all", "OPENCHANNEL is answered with OPENCHANNEL_RESULT echoing relid and open_id; status 0 when open, else 1 (QEMU) or 0x8000FFFF.", "QEMU hw/hyperv/vmbus.c send_open_channel, OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  r("HOST-OPEN-6", QUEUE, "OPENCHANNEL's target_vp must name a virtual processor or be 0xFFFFFFFF (interrupts disabled); honoured from 2.4.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs, Microsoft mu_msvm VmbusDxe/ChannelMessages.h"),
  r("HOST-OPEN-7", QUEUE, "The ring GPADL must belong to the channel, not be tearing down, and be one page-aligned range.", "OpenVMM vm/devices/vmbus/vmbus_channel/src/gpadl_ring.rs AlignedGpadlView"),
  r("HOST-OPEN-8", QEMU, "After OPENCHANNEL_RESULT for a successful open is delivered the host notifies the device as if the guest had signalled.", "QEMU hw/hyperv/vmbus.c complete_open_channel"),
  r("HOST-CLOSE-1", "all", "CLOSECHANNEL releases the channel's resources (ring GPADL reference) and returns it to closed; there is no reply.", "QEMU hw/hyperv/vmbus.c handle_close_channel; OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  r("HOST-CLOSE-2", QEMU, "When CLOSECHANNEL leaves no channel of a device open, QEMU resets the device (all its channels closed).", "QEMU quirk Q11; QEMU hw/hyperv/vmbus.c vdev_reset_on_close"),
  r("HOST-CLOSE-3", QUEUE, "CLOSECHANNEL for a channel that is not open is dropped.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  // ---- unload / reset ----
  r("HOST-UNLOAD-1", "all", "UNLOAD is answered with UNLOAD_RESPONSE after the incoming queue is emptied; the bus resets once it is delivered (QEMU) or before it is posted (queue model).", "QEMU quirk Q10; QEMU hw/hyperv/vmbus.c send_unload, complete_unload; OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  r("HOST-UNLOAD-2", QUEUE, "UNLOAD while disconnected is dropped.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs (only INITIATE_CONTACT parses while disconnected)"),
  r("HOST-RESET-1", HV, "A bus reset closes every channel, releases every GPADL, forgets offers and the version, clears the message in flight and returns to LISTEN; relids survive, and in QEMU so do the incoming queue and a scheduled run (nothing new is scheduled, HOST-RUN-5) and a message already staged in the SynIC (HOST-QEMU-DEFECT-7).", "QEMU hw/hyperv/vmbus.c vmbus_deinit, vmbus_dev_reset, vmbus_reset_hold (019fbfa4)"),
  // ---- newer messages (strict / openvmm) ----
  r("HOST-MODIFY-1", QUEUE, "MODIFYCHANNEL (from 4.1) retargets an open channel's interrupts; before 5.3 there is no response.", "Linux drivers/hv/channel.c, OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  r("HOST-MODIFY-2", QUEUE, "From 5.3 MODIFYCHANNEL is answered with MODIFYCHANNEL_RESPONSE: status 0, or 0x8000FFFF for a channel not open or a target VP that is 0xFFFFFFFF or names no processor.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs send_modify_channel_response"),
  r("HOST-MODIFY-3", QUEUE, "From 5.3 a MODIFYCHANNEL while another one for the channel is unanswered is a guest error and is dropped.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  r("HOST-TL-1", QUEUE, "TL_CONNECT_REQUEST (from 4.0; 40-byte form always, 56-byte silo form from 5.2) for a service the host does not provide is answered from 4.1 with TL_CONNECT_RESULT status 0xC0000236.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs"),
  r("HOST-RESERVED-1", QUEUE, "OPEN_RESERVED_CHANNEL (from 4.0) naming no reserved channel is dropped; CLOSE_RESERVED_CHANNEL is answered with CLOSE_RESERVED_RESPONSE on the VP it names.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs (reserved channels)"),
  r("HOST-MODCONN-1", QUEUE, "MODIFY_CONNECTION (6.0 with modify_connection) replaces the monitor pages and is answered with MODIFY_CONNECTION_RESPONSE connection_state 0.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  r("HOST-PAUSE-1", QUEUE, "PAUSE (6.0 with pause_resume) is answered with PAUSE_RESPONSE, after which the host posts nothing until RESUME.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  r("HOST-IN-1", "all", "An input that does not have the HostInput shape (unknown kind, delivery result or device) is rejected and changes nothing.", "spec model rule (totality)"),
  r("HOST-DEV-1", "all", "An input naming a relid with no channel is rejected.", "spec model rule"),
  // ---- QEMU defects (QEMU quirks): the spec records them and defines what follows ----
  r("HOST-QEMU-DEFECT-1", QEMU, "DEFECT: GPADL_BODY for a GPADL whose PFNs are all seen trips assert(num_gfns_left) and aborts QEMU; the spec drops the message.", "QEMU quirk Q1; QEMU hw/hyperv/vmbus.c handle_gpadl_body"),
  r("HOST-QEMU-DEFECT-2", QEMU, "DEFECT: posting a reply with no SINT route (UNLOAD before INITIATE_CONTACT, or INITIATE_CONTACT with target_vcpu 0xFFFFFFFF) dereferences NULL; the spec posts nothing and resets the bus as after a fatal delivery failure.", "QEMU quirk Q2; QEMU hw/hyperv/vmbus.c handle_unload, vmbus_init, post_msg"),
  r("HOST-QEMU-DEFECT-3", QEMU, "DEFECT: GPADL_HEADER with range_buflen < 8·rangecount underflows num_gfns to 0xFFFFFFFF and, with byte_count 0xFFFFF000, passes the page check; create_gpadl's g_new(uint64_t, 0xFFFFFFFF) asks for 32 GiB. Profile parameter hugeGpadlAllocation: \"aborts\" (g_new fails: QEMU aborts; the spec drops the header) or \"succeeds\" (the GPADL is listed and never completes: GPADL_BODY fills it slowly, a GPADL_HEADER reusing its id is ignored, GPADL_TEARDOWN is answered).", "QEMU quirk Q3; QEMU hw/hyperv/vmbus.c handle_gpadl_header, create_gpadl (019fbfa4)"),
  r("HOST-QEMU-DEFECT-4", QEMU, "DEFECT: a target VP naming no vCPU (INITIATE_CONTACT target_vcpu, OPENCHANNEL target_vp) makes hyperv_sint_route_new dereference a NULL CPU; the spec treats it as a SINT route failure (INITIATE_CONTACT: bus deinit without reply; OPENCHANNEL: open fails, status 1).", "QEMU quirk Q7; QEMU hw/hyperv/hyperv.c hyperv_sint_route_new, hyperv_vp_index"),
  r("HOST-QEMU-DEFECT-5", QEMU, "QEMU's send_create_gpadl, send_teardown_gpadl, send_open_channel and their complete_* functions end in g_assert_not_reached(); no input reaches them (a state is entered together with the GPADL or channel its runner looks for, nothing changes those lists outside LISTEN, and every reset returns to LISTEN); the spec reports a DEFECT if one is ever reached.", "QEMU hw/hyperv/vmbus.c send_create_gpadl, complete_create_gpadl, send_teardown_gpadl, complete_teardown_gpadl, send_open_channel, complete_open_channel (019fbfa4)"),
  r("HOST-QEMU-DEFECT-6", QEMU, "DEFECT: the ring split check is computed in u32, so OPENCHANNEL with downstream offset 0xFFFFFFFF passes it and QEMU reads gfns[0xFFFFFFFF] out of bounds; the spec fails the open (status 1).", "QEMU hw/hyperv/vmbus.c ringbufs_init, ringbuf_init_common (derived)"),
  r("HOST-QEMU-DEFECT-7", QEMU, "DEFECT: a machine reset while a host message is staged (posted, its vmbus_msg_cb not yet run) leaves the SINT route referenced by the staged message after vmbus_deinit, so the SynIC reset that follows fails assert(QLIST_EMPTY(&synic->sint_routes)); the spec keeps the message staged and its completion pending.", "QEMU hw/hyperv/vmbus.c vmbus_deinit, post_msg (019fbfa4); QEMU hw/hyperv/hyperv.c hyperv_post_msg, synic_reset (06b40d25)"),
  r("HOST-QEMU-DEFECT-8", QEMU, "DEFECT: the completion of a message staged before a machine reset still reaches vmbus_msg_cb; with no message in progress its assert(vmbus->msg_in_progress) fails, and with one in progress it would be taken for that message's completion; the spec drops it.", "QEMU hw/hyperv/vmbus.c vmbus_msg_cb (019fbfa4); QEMU hw/hyperv/hyperv.c sint_msg_bh (06b40d25)"),
  r("HOST-QEMU-DEFECT-9", QEMU, "DEFECT (liveness): a fatal delivery failure (vmbus_msg_cb with a status other than 0 and -EAGAIN, e.g. -ENXIO when the guest disabled its SynIC message page) while guest messages are queued and no vmbus_run is scheduled leaves QEMU unable to process a guest message ever again: enqueue_incoming_message schedules a run only onto an empty queue and the queue never empties.", "QEMU hw/hyperv/vmbus.c vmbus_msg_cb, enqueue_incoming_message (019fbfa4); QEMU hw/hyperv/hyperv.c cpu_post_msg (06b40d25)"),
  // ---- state invariants (checkHostInvariants) ----
  r("HOST-INV-1", "all", "GPADL ids are unique among the GPADLs the host holds (openvmm: (GPADL id, channel) pairs, HOST-OPENVMM-GPADL-1).", "QEMU hw/hyperv/vmbus.c handle_gpadl_header (find_gpadl before create_gpadl); OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  r("HOST-INV-2", "all", "Relids are unique and within 1..2047.", "QEMU hw/hyperv/vmbus.c chanid bitmap"),
  r("HOST-INV-3", "all", "An open channel's ring GPADL is held by the host and complete.", "QEMU hw/hyperv/vmbus.c vmbus_get_gpadl"),
  r("HOST-INV-4", "all", "A GPADL's reference count is its creation reference (until torn down) plus one per open channel using it.", "QEMU hw/hyperv/vmbus.c refcount"),
  r("HOST-INV-5", QEMU, "A QEMU host has a message in flight only outside LISTEN, at most one channel SENDING and at most one OPENING (only in OPEN_CHANNEL).", "QEMU hw/hyperv/vmbus.c"),
  r("HOST-INV-6", "all", "After ALLOFFERS_DELIVERED no channel is waiting to be offered until the next REQUESTOFFERS (QEMU: no channel SENDING).", "QEMU hw/hyperv/vmbus.c complete_offer"),
  r("HOST-INV-7", "all", "The incoming queue never exceeds its capacity.", "QEMU hw/hyperv/vmbus.c HV_MSG_QUEUE_LEN"),
  r("HOST-INV-8", ["strict", "openvmm"], "An open channel was offered and is not rescinded.", "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs"),
  ...OPENVMM_RULES,
] as const satisfies readonly Rule[];

export type HostRuleId = (typeof RULES)[number]["id"];
