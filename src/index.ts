/**
 * The library surface of vmbus-spec (`import … from "vmbus-spec"`): a deliberate, documented
 * set of names (docs/library.md). Everything here is pure (spec/) except the explorer, which
 * runs the spec's reducers. Deeper modules are not part of the contract and may change.
 */

// ---- the wire: channel messages, SynIC framing, ring packets, GPADLs ------------------------
export type { Message, MessageTypeName } from "../spec/wire/messages.js";
export { MessageType } from "../spec/wire/messages.js";
export { decodeMessage, encodeMessage, validateMessage, type DecodeContext, type Decoded, type WireError, type WireErrorKind, type WireWarning } from "../spec/wire/codec.js";
export { decodeSynicSlot, encodeSynicSlot, decodePostMessage, encodePostMessage, decodeSignalEvent, encodeSignalEvent, type SynicSlot, type PostMessageInput, type SignalEventInput } from "../spec/wire/synic.js";
export { decodePacket, encodePacket, describePacketError, PacketType, type Packet, type DecodedPacket, type PacketBody, type PacketError, type GpaRange } from "../spec/wire/packet.js";
export { splitGpadl, reassembleGpadl, type GpadlError } from "../spec/wire/gpadl.js";
export { Version, ALL_VERSIONS, formatVersion, parseVersion } from "../spec/wire/versions.js";
export { bytesToHex, hexToBytes } from "../spec/wire/hex.js";
export type { Result } from "../spec/result.js";

// ---- profiles and rules -----------------------------------------------------------------
export { PROFILE_NAMES, isProfileName, type ProfileName } from "../spec/profiles.js";
export { ALL_RULES, ruleById } from "../spec/rules/catalogue.js";
export type { Rule } from "../spec/rules/rule.js";

// ---- the ring -----------------------------------------------------------------------------
export { RING_PROFILES, ringProfile, type RingProfile } from "../spec/ring/profile.js";
export { makeRing, ringFromImage, ringToImage, CONTROL_PAGE_SIZE, type Ring, type RingControl } from "../spec/ring/state.js";
export { writePacket, writeBatch, setPendingSendSize, type WriteOutcome, type WriteResult, type BatchWriteResult } from "../spec/ring/writer.js";
export { readPacket, readBatch, peekAt, commitRead, beginRead, endRead, type ReadOutcome, type ReadResult, type BatchReadResult } from "../spec/ring/reader.js";
export { describeRingFault, type RingFault } from "../spec/ring/faults.js";

// ---- the host, the guest, the system ---------------------------------------------------
export { hostStep, initialHostState, hostRunnable, hostView, checkHostInvariants, formatQemuTrace, type HostConfig, type HostState, type HostProfileName, type HostView } from "../spec/host/host.js";
export type { HostInput, HostOutput, DeviceSpec } from "../spec/host/interface.js";
export { DEFAULT_DEVICES } from "../spec/host/devices.js";
export { guestStep, initialGuestState, guestPostable } from "../spec/guest/guest.js";
export { DEFAULT_GUEST_CONFIG, type GuestConfig } from "../spec/guest/config.js";
export type { GuestState } from "../spec/guest/state.js";
export { createSystem, type SystemModel, type SystemStep } from "../spec/system/system.js";
export { specHost, specSystem } from "../spec/system/spec-host.js";
export type { SystemConfig } from "../spec/system/config.js";
export type { SystemInput } from "../spec/system/inputs.js";
export type { SystemState } from "../spec/system/state.js";

// ---- the model checker ---------------------------------------------------------------------
export { runCheck, formatReport, DEFAULT_CHECKS, traceToText, traceToMermaid, type CheckOptions, type CheckReport } from "./explore/index.js";

// ---- the conformance engine (verify and trace run on it) -------------------------------------
export { createEngine, DEFAULT_LIMITS, type Engine, type EngineLimits, type Expectation, type Move, type ObservationModel, type ObserveResult } from "./conformance/engine.js";
