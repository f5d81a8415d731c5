/**
 * Protocol constants. Each value names its source tag.
 */

/** Well-known connection ids. */
export const ConnectionId = {
  /** VMBUS_MESSAGE_CONNECTION_ID: message port for all versions (< 5.0 INITIATE_CONTACT). Linux drivers/hv/hyperv_vmbus.h, QEMU include/hw/hyperv/vmbus-proto.h, OpenVMM vm/devices/vmbus/vmbus_server/src/lib.rs */
  MESSAGE: 1,
  /** VMBUS_EVENT_CONNECTION_ID: shared event connection (legacy interrupt page). */
  EVENT: 2,
  /** VMBUS_MONITOR_CONNECTION_ID. */
  MONITOR: 3,
  /** VMBUS_MESSAGE_CONNECTION_ID_4: INITIATE_CONTACT for ≥ 5.0 (multiclient port). Linux drivers/hv/hyperv_vmbus.h, OpenVMM vm/devices/vmbus/vmbus_server/src/lib.rs */
  MESSAGE_4: 4,
  /** VMBUS_MESSAGE_REDIRECT_CONNECTION_ID (VTL2 / SINT 7). OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs */
  MESSAGE_REDIRECT: 0x800074,
} as const;

/** Only the low 24 bits of a connection id are significant (HV_CONNECTION_ID_MASK). QEMU include/hw/hyperv/hyperv-proto.h */
export const CONNECTION_ID_MASK = 0x00ffffff;

/** SINT used for VMBus messages and channel events. Linux drivers/hv/hyperv_vmbus.h, QEMU include/hw/hyperv/vmbus-proto.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs */
export const VMBUS_SINT = 2;
/** OpenVMM redirection SINT. OpenVMM vm/devices/vmbus/vmbus_server/src/lib.rs */
export const REDIRECT_SINT = 7;

/** SynIC message type of VMBus messages (HV_MESSAGE_VMBUS). QEMU include/hw/hyperv/hyperv-proto.h, Linux include/asm-generic/hyperv-tlfs.h */
export const HV_MESSAGE_VMBUS = 1;
/** SynIC message type of a free slot. */
export const HV_MESSAGE_NONE = 0;
/** SynIC message flag: another message is pending (HV_MESSAGE_FLAG_PENDING). */
export const HV_MESSAGE_FLAG_PENDING = 0x1;

/** Hypercall status codes used by VMBus. QEMU include/hw/hyperv/hyperv-proto.h */
export const HvStatus = {
  SUCCESS: 0,
  INVALID_HYPERCALL_CODE: 2,
  INVALID_HYPERCALL_INPUT: 3,
  INVALID_ALIGNMENT: 4,
  INSUFFICIENT_MEMORY: 11,
  INVALID_PORT_ID: 17,
  INVALID_CONNECTION_ID: 18,
  INSUFFICIENT_BUFFERS: 19,
} as const;
export type HvStatusName = keyof typeof HvStatus;

/** Hypercall codes. QEMU include/hw/hyperv/hyperv-proto.h */
export const HvCallCode = { POST_MESSAGE: 0x005c, SIGNAL_EVENT: 0x005d } as const;

/** Offer chn_flags bits. Bits 0x2/0x4 have two meanings (DISAGREEMENT, see docs). */
export const OfferFlag = {
  ENUMERATE_DEVICE_INTERFACE: 0x0001,
  /** old Linux / QEMU: SERVER_SUPPORTS_TRANSFER_PAGES; newest Linux / OpenVMM / Microsoft mu_msvm VmbusDxe/ChannelMessages.h: CONFIDENTIAL_RING_BUFFER */
  BIT_0x0002: 0x0002,
  /** old Linux / QEMU: SERVER_SUPPORTS_GPADLS; newest Linux / OpenVMM: CONFIDENTIAL_EXTERNAL_MEMORY */
  BIT_0x0004: 0x0004,
  /** OpenVMM only: REQUIRE_PINNED_EXTERNAL_MEMORY */
  REQUIRE_PINNED_EXTERNAL_MEMORY: 0x0008,
  NAMED_PIPE_MODE: 0x0010,
  LOOPBACK_OFFER: 0x0100,
  PARENT_OFFER: 0x0200,
  REQUEST_MONITORED_NOTIFICATION: 0x0400,
  TLNPI_PROVIDER_OFFER: 0x2000,
} as const;

/** Offer monitor_flags bit0 (VMBUS_OFFER_MONITOR_ALLOCATED) and interrupt_flags bit0 (VMBUS_OFFER_INTERRUPT_DEDICATED). QEMU include/hw/hyperv/vmbus-proto.h */
export const OFFER_MONITOR_ALLOCATED = 0x1;
export const OFFER_INTERRUPT_DEDICATED = 0x1;
/** Monitor id meaning "no monitor" in OpenVMM (MonitorId::INVALID). OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs */
export const MONITOR_ID_INVALID = 0xff;

/** Feature flags of INITIATE_CONTACT / VERSION_RESPONSE, 6.0 only. Microsoft mu_msvm VmbusDxe/ChannelMessages.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs */
export const FeatureFlag = {
  GUEST_SPECIFIED_SIGNAL_PARAMETERS: 0x01,
  CHANNEL_INTERRUPT_REDIRECTION: 0x02,
  MODIFY_CONNECTION: 0x04,
  CLIENT_ID: 0x08,
  CONFIDENTIAL_CHANNELS: 0x10,
  PAUSE_RESUME: 0x20,
  SERVER_SPECIFIED_MONITOR_PAGES: 0x40,
  GPA_PINNING: 0x80,
} as const;

/** OPENCHANNEL2 flags bit0. OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs */
export const OPEN_FLAG_REDIRECT_INTERRUPT = 0x1;
/** OPENCHANNEL target_vp meaning "no interrupts". Microsoft mu_msvm VmbusDxe/ChannelMessages.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs */
export const VP_INDEX_DISABLE_INTERRUPT = 0xffffffff;

/** VERSION_RESPONSE / MODIFY_CONNECTION_RESPONSE connection_state values. Microsoft mu_msvm VmbusDxe/ChannelMessages.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs */
export const ConnectionState = { SUCCESSFUL: 0, FAILED_LOW_RESOURCES: 1, FAILED_UNKNOWN_FAILURE: 2 } as const;

/** NTSTATUS values the protocol uses. OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs */
export const NtStatus = {
  SUCCESS: 0,
  UNSUCCESSFUL: 0x8000ffff,
  CONNECTION_REFUSED: 0xc0000236,
} as const;

/** Limits. */
export const Limits = {
  /** SynIC message payload bytes. */
  MESSAGE_PAYLOAD: 240,
  /** SynIC message slot bytes. */
  MESSAGE_SLOT: 256,
  /** SINTs per VP / slots per message page. */
  SINT_COUNT: 16,
  /** Event flags per SINT. */
  EVENT_FLAGS_COUNT: 2048,
  /** Buffers per message port (HV_PORT_MESSAGE_BUFFER_COUNT, QEMU HV_MSG_QUEUE_LEN). */
  PORT_MESSAGE_BUFFERS: 16,
  /** OFFERCHANNEL / OPENCHANNEL user-defined bytes. */
  USER_DEFINED_BYTES: 120,
  /** PFNs in a GPADL_HEADER (one range header + 26 PFNs) / in a GPADL_BODY. */
  GPADL_HEADER_PFNS: 26,
  GPADL_BODY_PFNS: 28,
  /** u64 data values after the fixed part (OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs MAX_DATA_VALUES). */
  GPADL_HEADER_DATA_VALUES: 27,
  GPADL_BODY_DATA_VALUES: 28,
  /** Channel ids (relids) 1..2047. QEMU hw/hyperv/vmbus.c, OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs */
  FIRST_RELID: 1,
  MAX_RELID: 2047,
  /** QEMU per-channel connection id offset (16 + relid). QEMU hw/hyperv/vmbus.c */
  QEMU_CHANNEL_CONNECTION_OFFSET: 16,
  /** Linux relid array size (MAX_CHANNEL_RELIDS). */
  LINUX_MAX_CHANNEL_RELIDS: 2048,
  /** Linux INVALID_RELID. */
  INVALID_RELID: 0xffffffff,
  /** Linux first GPADL handle. Linux drivers/hv/connection.c */
  LINUX_FIRST_GPADL_HANDLE: 0xe1e10,
  /** Hyper-V page size (PFN unit). */
  PAGE_SIZE: 4096,
  /** GPA_RANGE_MAX_PFN_COUNT. Microsoft mu_msvm VmbusPacketFormat.h */
  GPA_RANGE_MAX_PFN_COUNT: 0xfffff,
  /** Monitor ids 0..127 (OpenVMM). */
  MAX_MONITOR_ID: 127,
  /** Linux post-message retries. */
  LINUX_POST_MESSAGE_RETRIES: 100,
} as const;
