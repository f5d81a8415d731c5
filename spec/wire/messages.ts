/**
 * The VMBus channel-management messages as plain, serialisable data.
 *
 * This file is the shared contract of the whole spec: the wire codecs decode bytes into these
 * values and encode them back; the host, guest and system reducers consume and produce them.
 *
 * Conventions: `type` names follow Microsoft mu_msvm VmbusDxe/ChannelMessages.h / OpenVMM (PascalCase); field names follow Linux's
 * `include/linux/hyperv.h` in camelCase where Linux has the message, else Microsoft mu_msvm VmbusDxe/ChannelMessages.h / OpenVMM.
 * Where a message has several versioned wire forms, `form` says which one (it decides the
 * encoded length). u64 fields are decimal strings (`U64`), byte blobs hex (`Hex`), GUIDs
 * strings (`Guid`), see primitives.ts. The 8-byte common header (msgtype u32 + reserved u32)
 * is implied by `type`; canonical encodings write its reserved word as zero.
 */
import type { Guid, Hex, U64 } from "./primitives.js";

/** Message type numbers. */
export const MessageType = {
  Invalid: 0,
  OfferChannel: 1,
  RescindChannelOffer: 2,
  RequestOffers: 3,
  AllOffersDelivered: 4,
  OpenChannel: 5,
  OpenChannelResult: 6,
  CloseChannel: 7,
  GpadlHeader: 8,
  GpadlBody: 9,
  GpadlCreated: 10,
  GpadlTeardown: 11,
  GpadlTorndown: 12,
  RelIdReleased: 13,
  InitiateContact: 14,
  VersionResponse: 15,
  Unload: 16,
  UnloadResponse: 17,
  OpenReservedChannel: 18,
  CloseReservedChannel: 19,
  CloseReservedResponse: 20,
  TlConnectRequest: 21,
  ModifyChannel: 22,
  TlConnectResult: 23,
  ModifyChannelResponse: 24,
  ModifyConnection: 25,
  ModifyConnectionResponse: 26,
  Pause: 27,
  PauseResponse: 28,
  Resume: 29,
} as const;
export type MessageTypeName = Exclude<keyof typeof MessageType, "Invalid">;

// ---- 1 OFFERCHANNEL (h->g): 196 bytes (Win7+), 190 bytes pre-Win7 ----------------------
interface OfferChannelCommon {
  readonly type: "OfferChannel";
  readonly interfaceType: Guid; // @8  offer.if_type
  readonly interfaceInstance: Guid; // @24 offer.if_instance
  readonly reserved1: U64; // @40 (DPDK: latency in 100 ns; MS: may be non-zero before Win8)
  readonly reserved2: U64; // @48
  readonly channelFlags: number; // @56 u16
  readonly mmioMegabytes: number; // @58 u16
  readonly userDefined: Hex; // @60 120 bytes
  readonly subChannelIndex: number; // @180 u16
  readonly mmioMegabytesOptional: number; // @182 u16 (Linux reserved3)
  readonly childRelid: number; // @184 u32
  readonly monitorId: number; // @188 u8
  readonly monitorFlags: number; // @189 u8, bit0 monitor_allocated
}
export type OfferChannel =
  | (OfferChannelCommon & {
      readonly form: "win7";
      readonly interruptFlags: number; // @190 u16, bit0 is_dedicated_interrupt
      readonly connectionId: number; // @192 u32
    })
  | (OfferChannelCommon & { readonly form: "preWin7" });

// ---- 2 RESCIND_CHANNELOFFER (h->g): 12 ---------------------------------------------------
export interface RescindChannelOffer {
  readonly type: "RescindChannelOffer";
  readonly childRelid: number;
}

// ---- header-only messages: 3, 4, 16, 17, 27, 28, 29 -------------------------------------
export interface RequestOffers { readonly type: "RequestOffers" }
export interface AllOffersDelivered { readonly type: "AllOffersDelivered" }
export interface Unload { readonly type: "Unload" }
export interface UnloadResponse { readonly type: "UnloadResponse" }
export interface Pause { readonly type: "Pause" }
export interface PauseResponse { readonly type: "PauseResponse" }
export interface Resume { readonly type: "Resume" }

// ---- 5 OPENCHANNEL (g->h): 148; OpenChannel2 (Copper): 156 ------------------------------
interface OpenChannelCommon {
  readonly type: "OpenChannel";
  readonly childRelid: number; // @8
  readonly openId: number; // @12
  readonly ringBufferGpadlHandle: number; // @16
  readonly targetVp: number; // @20 (0xFFFFFFFF = VMBUS_VP_INDEX_DISABLE_INTERRUPT)
  readonly downstreamRingBufferPageOffset: number; // @24
  readonly userData: Hex; // @28, 120 bytes
}
export type OpenChannel =
  | (OpenChannelCommon & { readonly form: "v1" })
  | (OpenChannelCommon & {
      readonly form: "openChannel2";
      readonly connectionId: number; // @148 u32
      readonly eventFlag: number; // @152 u16
      readonly flags: number; // @154 u16, bit0 REDIRECT_INTERRUPT
    });

// ---- 6 OPENCHANNEL_RESULT (h->g): 20 ----------------------------------------------------
export interface OpenChannelResult {
  readonly type: "OpenChannelResult";
  readonly childRelid: number;
  readonly openId: number;
  readonly status: number; // u32
}

// ---- 7 CLOSECHANNEL (g->h): 12 ----------------------------------------------------------
export interface CloseChannel {
  readonly type: "CloseChannel";
  readonly childRelid: number;
}

// ---- 8 GPADL_HEADER (g->h): 20 + range data ---------------------------------------------
/**
 * One GPA range: {byte_count u32, byte_offset u32, pfn u64 × ceil((byte_offset+byte_count)/4096)}.
 * Inside a GPADL_HEADER the last range may be partial (`pfns` shorter than needed): the rest of
 * the range data continues in GPADL_BODY messages.
 */
export interface GpaRange {
  readonly byteCount: number;
  readonly byteOffset: number;
  readonly pfns: readonly U64[];
}
export interface GpadlHeader {
  readonly type: "GpadlHeader";
  readonly childRelid: number; // @8
  readonly gpadl: number; // @12
  readonly rangeBufferLength: number; // @16 u16 range_buflen: bytes of all range data (header + bodies)
  readonly rangeCount: number; // @18 u16
  readonly ranges: readonly GpaRange[]; // @20, the range data this message carries
}

// ---- 9 GPADL_BODY (g->h): 16 + PFNs -----------------------------------------------------
export interface GpadlBody {
  readonly type: "GpadlBody";
  readonly msgNumber: number; // @8 (ignored by every implementation)
  readonly gpadl: number; // @12
  /** Continuation of the range data, as u64 values (PFNs, or range headers of later ranges). */
  readonly pfns: readonly U64[];
}

// ---- 10 GPADL_CREATED (h->g): 20 --------------------------------------------------------
export interface GpadlCreated {
  readonly type: "GpadlCreated";
  readonly childRelid: number;
  readonly gpadl: number;
  readonly creationStatus: number; // u32
}

// ---- 11 GPADL_TEARDOWN (g->h): 16; 12 GPADL_TORNDOWN (h->g): 12; 13 RELID_RELEASED (g->h): 12
export interface GpadlTeardown {
  readonly type: "GpadlTeardown";
  readonly childRelid: number;
  readonly gpadl: number;
}
export interface GpadlTorndown {
  readonly type: "GpadlTorndown";
  readonly gpadl: number;
}
export interface RelIdReleased {
  readonly type: "RelIdReleased";
  readonly childRelid: number;
}

// ---- 14 INITIATE_CONTACT (g->h): 40; 56 with client id ----------------------------------
interface InitiateContactCommon {
  readonly type: "InitiateContact";
  readonly vmbusVersionRequested: number; // @8
  readonly targetVcpu: number; // @12
  readonly monitorPage1: U64; // @24
  readonly monitorPage2: U64; // @32
}
/**
 * The form follows the requested version (it is inside the message itself): before 5.0 bytes
 * 16..23 are the interrupt page GPA; from 5.0 they are msg_sint, msg_vtl, reserved[2] and (6.0)
 * feature_flags; the 56-byte form adds the client id GUID (6.0 + client_id feature).
 */
export type InitiateContact =
  | (InitiateContactCommon & { readonly form: "interruptPage"; readonly interruptPage: U64 })
  | (InitiateContactCommon & {
      readonly form: "msgSint";
      readonly msgSint: number; // @16 u8
      readonly msgVtl: number; // @17 u8
      readonly featureFlags: number; // @20 u32 (6.0 only; 0 before)
    })
  | (InitiateContactCommon & {
      readonly form: "clientId";
      readonly msgSint: number;
      readonly msgVtl: number;
      readonly featureFlags: number;
      readonly clientId: Guid; // @40
    });

// ---- 15 VERSION_RESPONSE (h->g): 16; Copper 20; OpenVMM server-monitor 40 ----------------
interface VersionResponseCommon {
  readonly type: "VersionResponse";
  readonly versionSupported: number; // @8 u8 (BOOLEAN)
  readonly connectionState: number; // @9 u8: 0 SUCCESSFUL, 1 FAILED_LOW_RESOURCES, 2 FAILED_UNKNOWN_FAILURE
  /** @12 u32: Linux msg_conn_id (≥ 5.0: message connection id to use); OpenVMM: selected version (< 5.0). */
  readonly msgConnId: number;
}
export type VersionResponse =
  | (VersionResponseCommon & { readonly form: "v1" })
  | (VersionResponseCommon & { readonly form: "copper"; readonly supportedFeatures: number })
  | (VersionResponseCommon & {
      readonly form: "serverMonitor";
      readonly supportedFeatures: number; // @16
      readonly parentToChildMonitorPageGpa: U64; // @24
      readonly childToParentMonitorPageGpa: U64; // @32
    });

// ---- 18–20 reserved channels -------------------------------------------------------------
export interface OpenReservedChannel {
  readonly type: "OpenReservedChannel";
  readonly channelId: number;
  readonly targetVp: number;
  readonly targetSint: number;
  readonly ringBufferGpadl: number;
  readonly downstreamPageOffset: number;
}
export interface CloseReservedChannel {
  readonly type: "CloseReservedChannel";
  readonly channelId: number;
  readonly targetVp: number;
  readonly targetSint: number;
}
export interface CloseReservedResponse {
  readonly type: "CloseReservedResponse";
  readonly channelId: number;
}

// ---- 21 TL_CONNECT_REQUEST (g->h): 40; 56 from 5.2 --------------------------------------
export type TlConnectRequest =
  | { readonly type: "TlConnectRequest"; readonly form: "v1"; readonly guestEndpointId: Guid; readonly hostServiceId: Guid }
  | {
      readonly type: "TlConnectRequest";
      readonly form: "silo";
      readonly guestEndpointId: Guid;
      readonly hostServiceId: Guid;
      readonly siloId: Guid;
    };

// ---- 22–26 --------------------------------------------------------------------------------
export interface ModifyChannel {
  readonly type: "ModifyChannel";
  readonly childRelid: number;
  readonly targetVp: number;
}
export interface TlConnectResult {
  readonly type: "TlConnectResult";
  readonly endpointId: Guid;
  readonly serviceId: Guid;
  readonly status: number; // NTSTATUS as u32 (e.g. 0xC0000236)
}
export interface ModifyChannelResponse {
  readonly type: "ModifyChannelResponse";
  readonly childRelid: number;
  readonly status: number; // u32
}
export interface ModifyConnection {
  readonly type: "ModifyConnection";
  readonly parentToChildMonitorPageGpa: U64;
  readonly childToParentMonitorPageGpa: U64;
}
export interface ModifyConnectionResponse {
  readonly type: "ModifyConnectionResponse";
  readonly connectionState: number; // u8
}

export type Message =
  | OfferChannel
  | RescindChannelOffer
  | RequestOffers
  | AllOffersDelivered
  | OpenChannel
  | OpenChannelResult
  | CloseChannel
  | GpadlHeader
  | GpadlBody
  | GpadlCreated
  | GpadlTeardown
  | GpadlTorndown
  | RelIdReleased
  | InitiateContact
  | VersionResponse
  | Unload
  | UnloadResponse
  | OpenReservedChannel
  | CloseReservedChannel
  | CloseReservedResponse
  | TlConnectRequest
  | ModifyChannel
  | TlConnectResult
  | ModifyChannelResponse
  | ModifyConnection
  | ModifyConnectionResponse
  | Pause
  | PauseResponse
  | Resume;

/** The message of a given type name. */
export type MessageOf<N extends MessageTypeName> = Extract<Message, { readonly type: N }>;

export const messageTypeNumber = (m: Message): number => MessageType[m.type];

const NAMES_BY_NUMBER: ReadonlyMap<number, MessageTypeName> = new Map(
  (Object.entries(MessageType) as [keyof typeof MessageType, number][])
    .filter((e): e is [MessageTypeName, number] => e[0] !== "Invalid")
    .map(([n, v]) => [v, n]),
);
/** The type name for a message type number, or undefined (0 INVALID and ≥ 30 have none). */
export const messageTypeName = (n: number): MessageTypeName | undefined => NAMES_BY_NUMBER.get(n);
