/**
 * fast-check arbitraries for every channel message and form, producing VALID messages: each
 * passes validateMessage, encodes canonically and decodes back to itself without a context.
 * Other areas reuse them (host/guest tests): import { arbMessage, arbMessageOf } from here.
 */
import fc from "fast-check";
import type { GpaRange, Message, MessageTypeName } from "../../spec/wire/messages.js";
import { splitGpadl } from "../../spec/wire/gpadl.js";
import { ALL_VERSIONS, Version } from "../../spec/wire/versions.js";

export const arbU8 = fc.integer({ min: 0, max: 0xff });
export const arbU16 = fc.integer({ min: 0, max: 0xffff });
export const arbU32 = fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 1, 0xffffffff, 0x80000000));
export const arbU64 = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String),
  fc.constantFrom("0", "1", "18446744073709551615", "4294967296"),
);
export const arbGuid = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => {
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
});
export const arbHex = (bytes: number) =>
  fc.oneof(
    fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")),
    fc.constant("00".repeat(bytes)),
  );
export const arbVersion = fc.oneof(fc.constantFrom(...ALL_VERSIONS), fc.integer({ min: 0, max: 0xffffffff }));
const arbVersionIn = (min: number, max: number) =>
  fc.oneof(fc.constantFrom(...ALL_VERSIONS.filter((v) => v >= min && v <= max)), fc.integer({ min, max }));

const offerCommon = {
  interfaceType: arbGuid,
  interfaceInstance: arbGuid,
  reserved1: arbU64,
  reserved2: arbU64,
  channelFlags: arbU16,
  mmioMegabytes: arbU16,
  userDefined: arbHex(120),
  subChannelIndex: arbU16,
  mmioMegabytesOptional: arbU16,
  childRelid: arbU32,
  monitorId: arbU8,
  monitorFlags: arbU8,
};
const openCommon = {
  childRelid: arbU32,
  openId: arbU32,
  ringBufferGpadlHandle: arbU32,
  targetVp: arbU32,
  downstreamRingBufferPageOffset: arbU32,
  userData: arbHex(120),
};

/** A complete GPA range: byte_offset < 4096, PFN count exactly ceil((offset+count)/4096). */
export const arbGpaRange = (maxPages = 40): fc.Arbitrary<GpaRange> =>
  fc
    .record({ byteOffset: fc.integer({ min: 0, max: 0xfff }), pages: fc.integer({ min: 0, max: maxPages }) })
    .chain(({ byteOffset, pages }) =>
      (pages === 0
        ? fc.constant(0)
        : fc.integer({ min: Math.max(1, (pages - 1) * 4096 - byteOffset + 1), max: pages * 4096 - byteOffset })
      ).chain((byteCount) =>
        fc.array(arbU64, { minLength: Math.ceil((byteOffset + byteCount) / 4096), maxLength: Math.ceil((byteOffset + byteCount) / 4096) }).map((pfns) => ({ byteCount, byteOffset, pfns })),
      ),
    );

/** Ranges of one GPADL, small enough for the u16 range_buflen. */
export const arbGpadlRanges = fc.array(arbGpaRange(30), { minLength: 1, maxLength: 4 });

const arbGpadlHeader: fc.Arbitrary<Message> = fc
  .record({ relid: arbU32, gpadl: arbU32, ranges: arbGpadlRanges, headerValues: fc.integer({ min: 1, max: 27 }) })
  .map(({ relid, gpadl, ranges, headerValues }) => {
    const s = splitGpadl(relid, gpadl, ranges, { headerValues });
    if (!s.ok) throw new Error(`arbitrary produced an unsplittable GPADL: ${s.error.message}`);
    return s.value.header;
  });

const ARBS: { readonly [N in MessageTypeName]: fc.Arbitrary<Message> } = {
  OfferChannel: fc.oneof(
    fc.record({ type: fc.constant("OfferChannel" as const), form: fc.constant("win7" as const), ...offerCommon, interruptFlags: arbU16, connectionId: arbU32 }),
    fc.record({ type: fc.constant("OfferChannel" as const), form: fc.constant("preWin7" as const), ...offerCommon }),
  ),
  RescindChannelOffer: fc.record({ type: fc.constant("RescindChannelOffer" as const), childRelid: arbU32 }),
  RequestOffers: fc.constant({ type: "RequestOffers" as const }),
  AllOffersDelivered: fc.constant({ type: "AllOffersDelivered" as const }),
  OpenChannel: fc.oneof(
    fc.record({ type: fc.constant("OpenChannel" as const), form: fc.constant("v1" as const), ...openCommon }),
    fc.record({ type: fc.constant("OpenChannel" as const), form: fc.constant("openChannel2" as const), ...openCommon, connectionId: arbU32, eventFlag: arbU16, flags: arbU16 }),
  ),
  OpenChannelResult: fc.record({ type: fc.constant("OpenChannelResult" as const), childRelid: arbU32, openId: arbU32, status: arbU32 }),
  CloseChannel: fc.record({ type: fc.constant("CloseChannel" as const), childRelid: arbU32 }),
  GpadlHeader: arbGpadlHeader,
  GpadlBody: fc.record({ type: fc.constant("GpadlBody" as const), msgNumber: arbU32, gpadl: arbU32, pfns: fc.array(arbU64, { maxLength: 28 }) }),
  GpadlCreated: fc.record({ type: fc.constant("GpadlCreated" as const), childRelid: arbU32, gpadl: arbU32, creationStatus: arbU32 }),
  GpadlTeardown: fc.record({ type: fc.constant("GpadlTeardown" as const), childRelid: arbU32, gpadl: arbU32 }),
  GpadlTorndown: fc.record({ type: fc.constant("GpadlTorndown" as const), gpadl: arbU32 }),
  RelIdReleased: fc.record({ type: fc.constant("RelIdReleased" as const), childRelid: arbU32 }),
  InitiateContact: fc.oneof(
    fc.record({
      type: fc.constant("InitiateContact" as const),
      form: fc.constant("interruptPage" as const),
      vmbusVersionRequested: arbVersionIn(0, Version.WIN10_V5 - 1),
      targetVcpu: arbU32,
      interruptPage: arbU64,
      monitorPage1: arbU64,
      monitorPage2: arbU64,
    }),
    fc
      .record({
        type: fc.constant("InitiateContact" as const),
        form: fc.constant("msgSint" as const),
        vmbusVersionRequested: arbVersionIn(Version.WIN10_V5, 0xffffffff),
        targetVcpu: arbU32,
        msgSint: arbU8,
        msgVtl: arbU8,
        featureFlags: arbU32,
        monitorPage1: arbU64,
        monitorPage2: arbU64,
      })
      .map((m) => ({ ...m, featureFlags: m.vmbusVersionRequested >= Version.WIN10_V6_0 ? (m.featureFlags & ~0x8) >>> 0 : 0 })),
    fc
      .record({
        type: fc.constant("InitiateContact" as const),
        form: fc.constant("clientId" as const),
        vmbusVersionRequested: arbVersionIn(Version.WIN10_V6_0, 0xffffffff),
        targetVcpu: arbU32,
        msgSint: arbU8,
        msgVtl: arbU8,
        featureFlags: arbU32.map((f) => (f | 0x8) >>> 0),
        monitorPage1: arbU64,
        monitorPage2: arbU64,
        clientId: arbGuid,
      }),
  ),
  VersionResponse: fc.oneof(
    fc.record({ type: fc.constant("VersionResponse" as const), form: fc.constant("v1" as const), versionSupported: arbU8, connectionState: arbU8, msgConnId: arbU32 }),
    fc.record({ type: fc.constant("VersionResponse" as const), form: fc.constant("copper" as const), versionSupported: arbU8, connectionState: arbU8, msgConnId: arbU32, supportedFeatures: arbU32 }),
    fc.record({
      type: fc.constant("VersionResponse" as const),
      form: fc.constant("serverMonitor" as const),
      versionSupported: arbU8,
      connectionState: arbU8,
      msgConnId: arbU32,
      supportedFeatures: arbU32.map((f) => (f | 0x40) >>> 0),
      parentToChildMonitorPageGpa: arbU64,
      childToParentMonitorPageGpa: arbU64,
    }),
  ),
  Unload: fc.constant({ type: "Unload" as const }),
  UnloadResponse: fc.constant({ type: "UnloadResponse" as const }),
  OpenReservedChannel: fc.record({ type: fc.constant("OpenReservedChannel" as const), channelId: arbU32, targetVp: arbU32, targetSint: arbU32, ringBufferGpadl: arbU32, downstreamPageOffset: arbU32 }),
  CloseReservedChannel: fc.record({ type: fc.constant("CloseReservedChannel" as const), channelId: arbU32, targetVp: arbU32, targetSint: arbU32 }),
  CloseReservedResponse: fc.record({ type: fc.constant("CloseReservedResponse" as const), channelId: arbU32 }),
  TlConnectRequest: fc.oneof(
    fc.record({ type: fc.constant("TlConnectRequest" as const), form: fc.constant("v1" as const), guestEndpointId: arbGuid, hostServiceId: arbGuid }),
    fc.record({ type: fc.constant("TlConnectRequest" as const), form: fc.constant("silo" as const), guestEndpointId: arbGuid, hostServiceId: arbGuid, siloId: arbGuid }),
  ),
  ModifyChannel: fc.record({ type: fc.constant("ModifyChannel" as const), childRelid: arbU32, targetVp: arbU32 }),
  TlConnectResult: fc.record({ type: fc.constant("TlConnectResult" as const), endpointId: arbGuid, serviceId: arbGuid, status: arbU32 }),
  ModifyChannelResponse: fc.record({ type: fc.constant("ModifyChannelResponse" as const), childRelid: arbU32, status: arbU32 }),
  ModifyConnection: fc.record({ type: fc.constant("ModifyConnection" as const), parentToChildMonitorPageGpa: arbU64, childToParentMonitorPageGpa: arbU64 }),
  ModifyConnectionResponse: fc.record({ type: fc.constant("ModifyConnectionResponse" as const), connectionState: arbU8 }),
  Pause: fc.constant({ type: "Pause" as const }),
  PauseResponse: fc.constant({ type: "PauseResponse" as const }),
  Resume: fc.constant({ type: "Resume" as const }),
};

/** A valid message of the given type (every form of it). */
export const arbMessageOf = <N extends MessageTypeName>(name: N): fc.Arbitrary<Extract<Message, { type: N }>> =>
  ARBS[name] as fc.Arbitrary<Extract<Message, { type: N }>>;

export const MESSAGE_TYPE_NAMES = Object.keys(ARBS) as MessageTypeName[];

/** A valid message of any type and form. */
export const arbMessage: fc.Arbitrary<Message> = fc.oneof(...MESSAGE_TYPE_NAMES.map((n) => ARBS[n]));

/** A decode context (any field may be absent). */
export const arbContext = fc.record(
  {
    version: arbVersion,
    direction: fc.constantFrom("host-to-guest" as const, "guest-to-host" as const),
    features: arbU32,
  },
  { requiredKeys: [] },
);
