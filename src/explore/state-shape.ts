/**
 * The one description of the system state types (spec/system/state.ts, spec/host/state.ts,
 * spec/guest/state.ts) that drives the checker's binary state encoding. A field added to one of
 * those types and not here makes the encoder throw ("unknown key"), so the cross-check test
 * (properties/explore/encoding.test.ts) fails loudly instead of two states merging silently.
 * Wire messages inside states are `plain` (tagged, keys sorted, strict).
 */
import { BUS_STATES } from "../../spec/host/state.js";
import { array, bool, hex, kept, memo, nullable, oneOf, plain, record, str, u32, union, type Shape } from "./shape.js";

const message = memo(plain);
/** No memo: records that change with nearly every step (a WeakMap lookup and a copy cost more than re-encoding them). */
const fresh = (s: Shape): Shape => s;

/** spec/host/interface.ts HostOutput "postMessage" (a host message posted to the guest). */
export const POSTED_MESSAGE: Shape = memo(
  union("kind", {
    postMessage: record({ message, bytes: hex, payloadSize: u32, targetVp: u32, sint: u32 }),
  }),
);

const device = record({
  name: str,
  interfaceType: str,
  interfaceInstance: str,
  subChannels: u32,
  channelFlags: u32,
  mmioMegabytes: u32,
  openResult: oneOf("ok", "fail"),
});

const hostChannel = fresh(
  record({
    relid: u32,
    device: u32,
    subChannelIndex: u32,
    offerState: oneOf("init", "sending", "sent"),
    state: oneOf("init", "opening", "open"),
    isOpen: bool,
    openId: u32,
    targetVp: u32,
    ringGpadl: u32,
    sendOffset: u32,
    rescinded: bool,
    modifyPending: bool,
  }),
);

const hostGpadl = memo(
  record(
    {
      id: u32,
      childRelid: u32,
      expected: u32,
      data: array(str),
      rangeCount: u32,
      state: oneOf("init", "alive", "tearingdown", "torndown"),
      refcount: u32,
      header: nullable(message),
      bodies: array(message),
      ranges: memo(plain),
    },
    ["ranges"],
  ),
);

/** spec/host/state.ts HostState. */
export const HOST_STATE: Shape = fresh(
  record({
    model: oneOf("stateRunner", "outgoingQueue", "synicQueue"),
    listening: memo(array(u32)),
    bus: oneOf(...BUS_STATES),
    version: u32,
    connected: bool,
    targetVp: u32,
    sintRoute: bool,
    interruptPage: str,
    monitorPage1: str,
    monitorPage2: str,
    features: u32,
    msgConnId: u32,
    // Queued guest messages and the slot's message do not change once made: remembered per object.
    rxQueue: kept(array(memo(record({ connectionId: u32, payloadSize: u32, payload: hex })))),
    inFlight: nullable(POSTED_MESSAGE),
    outQueue: kept(array(POSTED_MESSAGE)),
    devices: memo(array(device)),
    // A host step that changes one field leaves the others' arrays as they were (kept-parts.ts).
    channels: kept(array(hostChannel)),
    gpadls: kept(array(hostGpadl)),
    offersRequested: bool,
    allOffersSent: bool,
    paused: bool,
    runPending: bool,
    staleDeliveries: u32,
    // The openvmm profile's own state (spec/host/openvmm/state.ts): strict plain data, present only there.
    openvmm: memo(plain),
  }, ["openvmm"]),
);

const channelPhase = union("name", {
  offered: record({}),
  creatingRing: record({ gpadl: u32, sendPages: u32 }),
  opening: record({ gpadl: u32, sendPages: u32 }),
  opened: record({ gpadl: u32 }),
  closing: record({ gpadl: u32 }),
  closingSubChannels: record({ gpadl: u32, pending: array(u32), rescinded: bool }, ["rescinded"]),
  rescindedOpen: record({ gpadl: u32 }),
});

/** spec/guest/state.ts GuestState. */
export const GUEST_STATE: Shape = fresh(
  record({
    phase: oneOf("connecting", "connected", "disconnecting", "unloaded", "failed"),
    candidate: u32,
    requestedVersion: u32,
    version: nullable(u32),
    messageConnectionId: u32,
    allOffersDelivered: bool,
    channels: kept(array(
      fresh(
        record({
          relid: u32,
          interfaceType: str,
          interfaceInstance: str,
          subChannelIndex: u32,
          signalConnectionId: u32,
          targetVp: u32,
          phase: channelPhase,
        }),
      ),
    )),
    gpadls: kept(array(
      fresh(
        record({
          handle: u32,
          relid: u32,
          purpose: oneOf("ring", "buffer"),
          pages: u32,
          state: oneOf("creating", "created", "tearingDown"),
        }),
      ),
    )),
    nextGpadl: u32,
    outbox: kept(array(fresh(record({ lane: u32, connectionId: u32, message, attempts: u32 })))),
    modifyPending: array(record({ relid: u32, targetVp: u32 })),
  }),
);

/** spec/system/state.ts SystemState with a host state of shape `host` (HOST_STATE for spec/host, `plain` for stubs and mutants). */
export const systemStateShape = (host: Shape): Shape =>
  record({
    // A step changes the guest or the host, seldom both: a successor copies the other's bytes (kept-parts.ts).
    guest: nullable(kept(GUEST_STATE)),
    host: kept(host),
    slot: nullable(memo(record({ payloadSize: u32, payload: hex, pending: bool }))),
    inFlight: kept(array(POSTED_MESSAGE)),
    driver: kept(
      record({
        opened: array(u32),
        modified: array(u32),
        closed: array(u32),
        signalled: array(u32),
        buffers: array(record({ relid: u32, made: u32 })),
        unloadRequested: bool,
      }),
    ),
    rescinded: array(u32),
    hostile: record({ armed: bool, posts: u32 }),
    synic: record({ messagePage: bool, sintMasked: bool }),
    crash: oneOf("none", "crashed", "rebooted"),
  });

/** The system state with the spec's host (what `vmbus-spec check` explores). */
export const SPEC_SYSTEM_STATE: Shape = systemStateShape(HOST_STATE);
/** Any host model: the host state is encoded as strict plain data. */
export const ANY_SYSTEM_STATE: Shape = systemStateShape(memo(plain));
