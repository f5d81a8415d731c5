/**
 * Normative rules of the Linux-like guest. Every output of the guest
 * reducer that rejects, ignores or fails something carries one of these IDs.
 */
import type { Rule } from "../rules/rule.js";

const g = (id: string, sentence: string, source: string): Rule => ({
  id,
  area: "guest",
  sentence,
  profiles: ["strict", "linux"],
  source,
});

export const RULES: readonly Rule[] = [
  g("GUEST-VERSION-1", "The guest MUST request versions newest first from its list, skipping those above max_version, and try the next one when VERSION_RESPONSE has version_supported = 0.", "Linux drivers/hv/connection.c vmbus_connect, vmbus_negotiate_version"),
  g("GUEST-VERSION-2", "When posting INITIATE_CONTACT fails with HV_STATUS_INVALID_CONNECTION_ID (a host that does not listen on connection id 4), the guest MUST NOT retry it but try the next version at once; any other failure of the post fails the connection.", "Linux drivers/hv/connection.c vmbus_post_msg (INITIATE_CONTACT returns -EINVAL at once), vmbus_negotiate_version, vmbus_connect"),
  g("GUEST-VERSION-3", "INITIATE_CONTACT for a version ≥ 5.0 MUST go to connection id 4 with msg_sint = 2; below 5.0 to connection id 1 carrying the interrupt page GPA.", "Linux drivers/hv/connection.c vmbus_negotiate_version"),
  g("GUEST-VERSION-4", "After a version ≥ 5.0 is accepted the guest MUST post every later message to the msg_conn_id of the VERSION_RESPONSE; below 5.0 to connection id 1.", "Linux drivers/hv/connection.c"),
  g("GUEST-VERSION-5", "When every candidate version was refused the guest MUST give up without sending UNLOAD (the last candidate is below 3.0 or the host never connected).", "Linux drivers/hv/connection.c vmbus_connect, Linux drivers/hv/channel_mgmt.c vmbus_initiate_unload"),
  g("GUEST-VERSION-6", "The candidate versions are the kernel's compiled vmbus_versions: mainline (since the 2025 confidential VMBus series) starts at 6.0, the kernels before it — Debian's 6.1 and 6.12 — at 5.3; both continue 5.2, 5.1, 5.0, 4.1, 4.0, 3.0, 2.4.", "Linux drivers/hv/connection.c vmbus_versions, max_version"),
  g("GUEST-POST-1", "A post failing with INSUFFICIENT_MEMORY, INSUFFICIENT_BUFFERS or (except INITIATE_CONTACT) INVALID_CONNECTION_ID MUST be retried, up to 100 times in Linux (GuestConfig.postRetries; the model checker uses 2); any other failure fails the operation.", "Linux drivers/hv/connection.c vmbus_post_msg (while (retries < 100))"),
  g("GUEST-OFFER-1", "An offer whose relid is ≥ 2048 MUST NOT be mapped (Linux WARNs and ignores it).", "Linux drivers/hv/channel_mgmt.c, Linux drivers/hv/hyperv_vmbus.h MAX_CHANNEL_RELIDS"),
  g("GUEST-OFFER-2", "A second offer with the same (interface type, instance) is a sub-channel and MUST be dropped when its sub_channel_index is 0.", "Linux drivers/hv/channel_mgmt.c vmbus_process_offer"),
  g("GUEST-OFFER-3", "An offer naming a relid the guest already has a channel for MUST be dropped (the relid map holds one channel per relid).", "Linux drivers/hv/channel_mgmt.c relid map (model)"),
  g("GUEST-OFFER-4", "Offers and rescinds that arrive while the guest is not connected MUST be ignored.", "Linux drivers/hv/channel_mgmt.c (work items ignored once DISCONNECTED)"),
  g("GUEST-OFFER-5", "An offer whose interface type is AVMA (two GUIDs), RDV or IMC MUST be ignored silently: no channel, no reply.", "Linux drivers/hv/channel_mgmt.c vmbus_onoffer, is_unsupported_vmbus_devs; include/linux/hyperv.h HV_AVMA1_GUID, HV_AVMA2_GUID, HV_RDV_GUID, HV_IMC_GUID"),
  g("GUEST-RESCIND-1", "A rescind for an unknown relid MUST be ignored.", "Linux drivers/hv/channel_mgmt.c vmbus_onoffer_rescind"),
  g("GUEST-RESCIND-2", "A rescind MUST wake every wait for the channel, close it if it was open (CLOSECHANNEL — after closing its open sub-channels, for a primary; no GPADL_TEARDOWN is posted for a rescinded channel), forget its GPADLs, and only then post RELID_RELEASED.", "Linux drivers/hv/channel_mgmt.c vmbus_onoffer_rescind, drivers/hv/channel.c vmbus_close, vmbus_teardown_gpadl"),
  g("GUEST-RESCIND-3", "A rescinded sub-channel that is open is neither closed nor released at once: its CLOSECHANNEL and RELID_RELEASED are posted when its primary closes.", "Linux drivers/hv/channel_mgmt.c vmbus_onoffer_rescind (complete(&channel->rescind_event)), drivers/hv/channel.c vmbus_disconnect_ring, hv_process_channel_removal"),
  g("GUEST-GPADL-1", "GPADL handles MUST be allocated from one global counter starting at 0xE1E10.", "Linux drivers/hv/connection.c next_gpadl_handle"),
  g("GUEST-GPADL-2", "A GPADL MUST be sent as one GPADL_HEADER (rangecount 1, byte_offset 0, up to 26 PFNs) followed back-to-back by GPADL_BODY messages of up to 28 PFNs, and then wait for GPADL_CREATED matching (child_relid, gpadl).", "Linux drivers/hv/channel.c vmbus_establish_gpadl"),
  g("GUEST-GPADL-3", "A GPADL_CREATED with non-zero creation_status MUST fail the operation (-EDQUOT) and the guest MUST NOT believe the GPADL exists.", "Linux drivers/hv/channel.c"),
  g("GUEST-GPADL-4", "A channel's ring GPADL MUST be torn down only after CLOSECHANNEL was posted; GPADL_TORNDOWN is matched on the gpadl id alone.", "Linux drivers/hv/channel.c vmbus_close_internal, Linux drivers/hv/channel_mgmt.c"),
  g("GUEST-OPEN-1", "OPENCHANNEL MUST be posted only after the ring GPADL was created, with openid = child_relid and downstream_ringbuffer_pageoffset = the number of send pages.", "Linux drivers/hv/channel.c __vmbus_open"),
  g("GUEST-OPEN-2", "An OPENCHANNEL_RESULT matching (child_relid, openid) with non-zero status MUST fail the open and tear the ring GPADL down.", "Linux drivers/hv/channel.c __vmbus_open"),
  g("GUEST-CLOSE-1", "Closing an opened channel MUST post CLOSECHANNEL and then GPADL_TEARDOWN for its ring and wait for GPADL_TORNDOWN; a failed CLOSECHANNEL post leaks the GPADL.", "Linux drivers/hv/channel.c vmbus_close_internal"),
  g("GUEST-CLOSE-2", "Closing a primary channel first closes each of its open sub-channels in turn — CLOSECHANNEL, then GPADL_TEARDOWN and its GPADL_TORNDOWN (for a rescinded sub-channel no teardown but RELID_RELEASED) — and only then the primary; a sub-channel is never closed alone.", "Linux drivers/hv/channel.c vmbus_close, vmbus_disconnect_ring, vmbus_close_internal"),
  g("GUEST-MODIFY-1", "MODIFYCHANNEL MUST NOT be sent below version 4.1; the guest waits for MODIFYCHANNEL_RESPONSE only from 5.3, sends no second request for a channel while one is outstanding, and MODIFYCHANNELs of different channels may be in flight together.", "Linux drivers/hv/channel.c vmbus_send_modifychannel, drivers/hv/vmbus_drv.c target_cpu_store"),
  g("GUEST-MODIFY-2", "A MODIFYCHANNEL_RESPONSE with non-zero status is an error the driver sees; the channel keeps its previous target.", "Linux drivers/hv/channel.c vmbus_send_modifychannel, drivers/hv/channel_mgmt.c vmbus_onmodifychannel_response"),
  g("GUEST-MODIFY-3", "No MODIFYCHANNEL is posted when the requested target is the channel's current one.", "Linux drivers/hv/vmbus_drv.c target_cpu_store (target_cpu == origin_cpu)"),
  g("GUEST-UNLOAD-1", "UNLOAD MUST NOT be sent below version 3.0; otherwise the guest posts it once and waits for UNLOAD_RESPONSE, which it accepts at any time.", "Linux drivers/hv/channel_mgmt.c vmbus_initiate_unload"),
  g("GUEST-UNLOAD-2", "When posting UNLOAD fails the guest still waits for UNLOAD_RESPONSE (vmbus_initiate_unload ignores the post's result).", "Linux drivers/hv/channel_mgmt.c vmbus_initiate_unload"),
  g("GUEST-MSG-1", "A host message whose msgtype is ≥ CHANNELMSG_COUNT (25) MUST be dropped.", "Linux drivers/hv/vmbus_drv.c __vmbus_on_msg_dpc"),
  g("GUEST-MSG-2", "A host message whose payload_size is > 240 MUST be dropped.", "Linux drivers/hv/vmbus_drv.c"),
  g("GUEST-MSG-3", "A host message of a type without a host-to-guest handler MUST be dropped.", "Linux drivers/hv/channel_mgmt.c channel_message_table"),
  g("GUEST-MSG-4", "A host message shorter than its type's min_payload_len MUST be dropped.", "Linux drivers/hv/channel_mgmt.c channel_message_table"),
  g("GUEST-MSG-5", "A host message that does not decode as its type MUST be dropped.", "spec/wire codec"),
  g("GUEST-MATCH-1", "A reply that matches no pending request MUST be ignored.", "Linux drivers/hv/channel_mgmt.c"),
  g("GUEST-DRIVER-1", "A driver action that is not valid in the guest's current state MUST be refused without changing the state.", "Linux drivers/hv/channel.c (e.g. -EINVAL when not OPENED)"),
];
