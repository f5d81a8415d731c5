/**
 * Rules of the `openvmm` host profile: OpenVMM's vmbus_server at microsoft/openvmm 1488a37b
 * behaviour for behaviour. Spread into spec/host/rules.ts. Never renumber, only add.
 */
import type { Rule } from "../../rules/rule.js";

const O = ["openvmm"] as const;
const C = "OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs";
const r = <const I extends string>(id: I, sentence: string, source: string) => ({ id, area: "host", sentence, profiles: O, source }) as const satisfies Rule;

export const OPENVMM_RULES = [
  // ---- hypercalls: the KVM backend (hv1_hypercall, virt/src/synic.rs) ----
  r("HOST-OPENVMM-HC-1", "HvPostMessage with payload_size above 240 fails with HV_STATUS_INVALID_PARAMETER; the SynIC message type and a payload below 8 bytes are not checked (the message is parsed later and dropped).", "OpenVMM vm/hv1/hv1_hypercall/src/imp.rs:48 (1488a37b)"),
  r("HOST-OPENVMM-HC-2", "HvPostMessage and HvSignalEvent look the port up by the whole 32-bit connection id: no port gives HV_STATUS_INVALID_CONNECTION_ID; the flag number is not checked.", "OpenVMM vmm_core/virt/src/synic.rs:49-103 (1488a37b)"),
  r("HOST-OPENVMM-HC-3", "The message port queue holds 64 messages; a post to a full queue fails with HV_STATUS_INSUFFICIENT_BUFFERS.", "OpenVMM vm/devices/vmbus/vmbus_server/src/lib.rs:485 mpsc::channel(64), vmm_core/virt/src/synic.rs:75 (1488a37b)"),
  // ---- delivery ----
  r("HOST-OPENVMM-SEND-1", "Replies are not one at a time: each message is posted at once to the KVM backend's per-VP SynIC queue, which is unbounded and redelivers a message that found the slot busy before any later one.", "OpenVMM vm/hv1/hv1_emulator/src/message_queues.rs enqueue_message, post_pending_messages; vmm_core/virt_kvm/src/arch/x86_64/mod.rs:1857 (1488a37b)"),
  r("HOST-OPENVMM-SEND-2", "While paused (and while earlier messages wait) replies go to PendingMessages; they are posted, in order, once the connection is no longer paused, and incoming messages are processed only when none are waiting.", `${C}:3937 MessageSender::send_message, :1542 has_pending_messages; OpenVMM vm/devices/vmbus/vmbus_server/src/lib.rs:1266-1285 (1488a37b)`),
  r("HOST-OPENVMM-SEND-3", "A message sent to a custom or reserved-channel target (the unsupported multiclient reply, reserved-channel replies) bypasses PendingMessages and the paused state.", `${C}:3957 send_message_with_target (1488a37b)`),
  // ---- parsing (vmbus_core protocol.rs Message::parse) ----
  r("HOST-OPENVMM-PARSE-1", "A message whose type is not valid in the connection state, version and features (protocol.rs table: only INITIATE_CONTACT, VERSION_RESPONSE and CLOSE_RESERVED_CHANNEL while disconnected) is dropped with no reply (InvalidMessageType).", "OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs:57-107, protocol/macros.rs parse (1488a37b)"),
  r("HOST-OPENVMM-PARSE-2", "A message shorter than its structure is dropped with no reply (MessageTooSmall); longer messages are accepted with the extra bytes kept as trailing data.", "OpenVMM vm/devices/vmbus/vmbus_core/src/protocol/macros.rs read_from_prefix (1488a37b)"),
  r("HOST-OPENVMM-PARSE-3", "With 6.0 and feature 0x1 or 0x2 negotiated OPENCHANNEL parses only as the 156-byte OpenChannel2: a 148-byte OPENCHANNEL is MessageTooSmall and gets no reply.", "OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs:64-67 (1488a37b)"),
  r("HOST-OPENVMM-PARSE-4", "INITIATE_CONTACT requesting the client-id feature (0x8, read from 6.0) without the 56-byte InitiateContact2 form is a parse failure: dropped, no reply.", `${C}:2219 (1488a37b)`),
  // ---- connection ----
  r("HOST-OPENVMM-CONNECT-1", "The target SINT is read only on the multiclient port (connection id 4) from 5.0 and the target VTL only there from 5.1; elsewhere they are 2 and 0.", `${C}:2158-2173 (1488a37b)`),
  r("HOST-OPENVMM-CONNECT-2", "INITIATE_CONTACT whose VTL is not the server's is forwarded to another server, not answered and not disconnecting.", `${C}:2252 initiate_contact forward_unhandled (1488a37b)`),
  r("HOST-OPENVMM-CONNECT-3", "INITIATE_CONTACT with a SINT other than 2 gets an all-zero 16-byte VERSION_RESPONSE on that SINT and the requested VP before any disconnect.", `${C}:2258-2278 (1488a37b)`),
  r("HOST-OPENVMM-CONNECT-4", "Otherwise INITIATE_CONTACT first disconnects (every channel released, GPADLs dropped), then an unsupported version gets the all-zero 16-byte reply and exactly one monitor page gets version_supported 1, connection_state 2, offset 12 the child connection id (≥ 5.0) or the version, and the 20-byte Copper form with the negotiated features at 6.0.", `${C}:2280-2325, :2511 send_version_response_with_target (1488a37b)`),
  r("HOST-OPENVMM-CONNECT-5", "The target message VP is taken as given from 3.0 (not checked against the VPs) and 0 below; the KVM backend drops a message posted to a VP that does not exist.", `${C}:2181; OpenVMM vmm_core/virt_kvm/src/arch/x86_64/mod.rs:1858 (1488a37b)`),
  r("HOST-OPENVMM-UNLOAD-1", "UNLOAD releases every channel and GPADL and is answered with UNLOAD_COMPLETE; messages already pending are kept and sent before it.", `${C}:2677 handle_unload, :2577 request_disconnect (1488a37b)`),
  // ---- pause ----
  r("HOST-OPENVMM-PAUSE-1", "While paused every message except RESUME, UNLOAD and INITIATE_CONTACT (a second PAUSE included) is dropped (ChannelError::Paused); those three end the pause.", `${C}:3667-3683 (1488a37b)`),
  // ---- offers ----
  r("HOST-OPENVMM-OFFER-1", "Channel ids are assigned at REQUESTOFFERS, first free from 1, to the offers sorted by (interface id, offer order, instance id), and freed when the guest releases the channel (disconnect or RELID_RELEASED).", `${C}:2700-2760, :3263 client_release_channel (1488a37b)`),
  r("HOST-OPENVMM-OFFER-2", "Offers are always the 196-byte structure with connection id 0x2000 | channel id, even to 0.13 guests.", `${C}:3975 send_offer (1488a37b)`),
  r("HOST-OPENVMM-OFFER-3", "A second REQUESTOFFERS on one connection is dropped (OffersAlreadySent).", `${C}:2709 (1488a37b)`),
  r("HOST-OPENVMM-RESCIND-1", "A device revoking an offered channel sends RESCIND_CHANNELOFFER and leaves it Revoked until RELID_RELEASED; an unoffered channel is removed at once.", `${C} revoke_channel (1488a37b)`),
  r("HOST-OPENVMM-RELID-1", "RELID_RELEASED is accepted in the Closed, Closing, Revoked and Reoffered states (releasing the channel id and its GPADLs) and refused in Opening, Open and ClosingReopen (InvalidChannelState).", `${C}:3350-3392 (1488a37b)`),
  // ---- GPADLs ----
  r("HOST-OPENVMM-GPADL-1", "GPADLs are keyed by (gpadl id, offer): the same id may be used on two channels; a duplicate key, or a duplicate id among incomplete GPADLs, gets GPADL_CREATED 0x8000FFFF (DuplicateGpadlId).", `${C}:2811-2845 (1488a37b)`),
  r("HOST-OPENVMM-GPADL-2", "range_buflen is floored to a multiple of 8, trailing values after the last range and rangecount 0 are allowed; a range with byte_count 0, byte_offset > 0xFFF, too few PFNs or an overflowing size fails the GPADL (InvalidGpaRange, 0x8000FFFF).", "OpenVMM vm/devices/vmbus/vmbus_ring/src/gparange.rs:22-45, :218-240; channels.rs:1230 Gpadl::append (1488a37b)"),
  r("HOST-OPENVMM-GPADL-3", "A GPADL on a channel that was revoked but is still referenced by the guest is accepted and answered at once with GPADL_CREATED status 0.", `${C}:2769 gpadl_completed (1488a37b)`),
  r("HOST-OPENVMM-GPADL-4", "GPADL_HEADER for an unknown channel id or a reserved channel gets GPADL_CREATED 0x8000FFFF (UnknownChannelId, ChannelReserved); a failing GPADL_BODY gets GPADL_CREATED 0x8000FFFF for the GPADL's channel.", `${C}:2850-2927 (1488a37b)`),
  r("HOST-OPENVMM-GPADL-5", "GPADL_TEARDOWN is dropped for an unknown (gpadl, channel) key or a GPADL not Accepted; on a revoked channel it is answered at once, otherwise when the device has released it (after the ring's channel closes).", `${C}:2932-3000 (1488a37b)`),
  r("HOST-OPENVMM-GPADL-6", "The guest releasing a channel drops its InProgress GPADLs and tears down its Accepted ones without a GPADL_TORNDOWN.", `${C}:3263-3300 client_release_channel (1488a37b)`),
  // ---- open / close / reserved ----
  r("HOST-OPENVMM-OPEN-1", "OPENCHANNEL on a Closed channel opens it (the device answers OPENCHANNEL_RESULT); on Revoked or Reoffered it is ignored; on Open, Opening or ClosingReopen it is dropped (ChannelAlreadyOpen); an unknown channel id is dropped (UnknownChannelId).", `${C}:3032-3089 (1488a37b)`),
  r("HOST-OPENVMM-CLOSE-1", "CLOSECHANNEL closes an Open non-reserved channel (no reply); on Revoked or Reoffered it is ignored; on a reserved channel it is ChannelReserved; otherwise ChannelNotOpen.", `${C}:3091-3136 (1488a37b)`),
  r("HOST-OPENVMM-RESERVED-1", "OPEN_RESERVED_CHANNEL (from 4.0) opens any offered, Closed channel as reserved, answering on the VP and SINT it names; on Open or Opening it is ChannelAlreadyOpen, on Closing InvalidChannelState.", `${C}:3140-3186 (1488a37b)`),
  r("HOST-OPENVMM-RESERVED-2", "CLOSE_RESERVED_CHANNEL (parsed in any state) closes an open reserved channel and is answered on the VP and SINT it names; for an unknown, closed or non-reserved channel it is not answered.", `${C}:3189-3231, :2072 close_complete (1488a37b)`),
  r("HOST-OPENVMM-RESERVED-3", "Reserved channels survive a guest disconnect (they are released only by a VM reset) and are not offered again.", `${C}:2577-2595 request_disconnect, :2720 (1488a37b)`),
  // ---- modify ----
  r("HOST-OPENVMM-MODIFY-1", "MODIFYCHANNEL is checked in this order: target VP 0xFFFFFFFF (InvalidTargetVp), unknown channel, channel not Open or reserved (InvalidChannelState), channel opened with target VP 0xFFFFFFFF (InterruptsDisabled), then a pending modify; each failure is answered from 5.3 with MODIFYCHANNEL_RESPONSE 0x8000FFFF.", `${C}:3432-3480 (1488a37b)`),
  r("HOST-OPENVMM-MODIFY-2", "A MODIFYCHANNEL while another is pending is dropped without a reply from 5.3, and below 5.3 remembered and applied after the first completes.", `${C}:3466-3477, :3500 modify_channel_complete (1488a37b)`),
  r("HOST-OPENVMM-MODIFY-3", "The new target VP is not checked by the server; the device answers MODIFYCHANNEL_RESPONSE 0x8000FFFF when it cannot retarget its event port.", "OpenVMM vm/devices/vmbus/vmbus_server/src/lib.rs:1637-1656 (1488a37b)"),
  r("HOST-OPENVMM-TL-1", "TL_CONNECT_REQUEST goes to the hvsock relay; with no listener the result is a TL_CONNECT_RESULT with status 0xC0000236 from 4.1.", `${C}:3397-3428 (1488a37b)`),
  r("HOST-OPENVMM-MODCONN-1", "MODIFY_CONNECTION replaces the monitor pages and is answered with MODIFY_CONNECTION_RESPONSE connection_state 0.", `${C}:3547 handle_modify_connection (1488a37b)`),
  // ---- defects: guest-reachable panics ----
  r("HOST-OPENVMM-DEFECT-1", "DEFECT: a host-to-guest message type that parses (VERSION_RESPONSE even while disconnected, OFFERCHANNEL, GPADL_CREATED … once connected) reaches unreachable!(\"Server received client message\") and the vmbus server task panics.", `${C}:3729 (1488a37b)`),
  r("HOST-OPENVMM-DEFECT-2", "DEFECT: a reserved channel closed by CLOSE_RESERVED_CHANNEL after a reconnect and before REQUESTOFFERS is left Closed with its channel id; REQUESTOFFERS then trips assert!(matches!(channel.state, ChannelState::ClientReleased)).", `${C}:2742, :2072 close_complete (1488a37b)`),
  r("HOST-OPENVMM-DEFECT-3", "DEFECT: MODIFY_CONNECTION (6.0 with modify_connection) giving exactly one monitor page fails in modify_connection before `modifying` is set; handle_modify_connection then calls complete_modify_connection, whose panic!(\"ModifyConnection response while not modifying\") fires.", `${C}:3547-3552, :3584, :3620 (1488a37b)`),
  r("HOST-OPENVMM-DEFECT-4", "DEFECT: a reply to a guest-chosen SINT of 16 or more (INITIATE_CONTACT on the multiclient port from 5.0, OPEN_RESERVED_CHANNEL, CLOSE_RESERVED_CHANNEL) on an existing VP indexes the KVM backend's 16 per-SINT queues out of bounds and panics.", "OpenVMM vm/hv1/hv1_emulator/src/message_queues.rs:88, vmm_core/virt_kvm/src/arch/x86_64/mod.rs:1865, vm/devices/vmbus/vmbus_server/src/channels.rs:2268, :3152, :3205 (1488a37b)"),
  r("HOST-OPENVMM-CRASHED-1", "After a panic the server task is gone: no message is processed or answered again.", "OpenVMM vm/devices/vmbus/vmbus_server/src/lib.rs ServerTask::run (1488a37b)"),
] as const satisfies readonly Rule[];

export type OpenvmmRuleId = (typeof OPENVMM_RULES)[number]["id"];
