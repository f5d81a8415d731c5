/**
 * The hostile guest's repertoire: any message type, at any time, with field values from
 * boundary sets (known relid, unknown relid, 0, max; GPADL range lengths 0, 7, 8; versions the
 * host accepts and refuses) and payload lengths 0, 7, 8, min − 1, min and 240. Each entry is a
 * ready-to-post byte string, so a run that uses it replays without this file.
 */
import { encodeMessage } from "../wire/codec.js";
import { ConnectionId } from "../wire/constants.js";
import { bytesToHex } from "../wire/hex.js";
import type { Message } from "../wire/messages.js";
import type { Hex } from "../wire/primitives.js";
import { Version } from "../wire/versions.js";

export interface HostileCatalogueEntry {
  readonly label: string;
  readonly connectionId: number;
  readonly payloadSize: number;
  readonly payload: Hex;
}

export interface HostileOptions {
  /** A relid the host offers (boundary set: this, 0, an unknown one, 0xFFFFFFFF). */
  readonly knownRelid: number;
  /** Add the truncated / padded length variants (0, 7, 8, min − 1, 240). */
  readonly lengths: boolean;
  /** Add the entries the openvmm profile's defects need: a 6.0 INITIATE_CONTACT with features 0x25, a MODIFY_CONNECTION with one monitor page, an INITIATE_CONTACT on the multiclient port with SINT 16. */
  readonly openvmm?: boolean;
}

const MAX32 = 0xffffffff;
const GUID0 = "00000000-0000-0000-0000-000000000000";
const GPADL = 1;
const ZERO120 = "00".repeat(120);

interface Base {
  readonly label: string;
  readonly connectionId: number;
  readonly bytes: Uint8Array;
  /** Add length variants for this base (one base per message type gets them). */
  readonly lengths: boolean;
}

const msg = (label: string, m: Message, lengths = false, connectionId: number = ConnectionId.MESSAGE): Base => ({
  label,
  connectionId,
  bytes: encodeMessage(m),
  lengths,
});
const raw = (label: string, type: number): Base => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setUint32(0, type >>> 0, true);
  return { label, connectionId: ConnectionId.MESSAGE, bytes: b, lengths: false };
};

const ic = (version: number, vcpu: number): Message =>
  version >= Version.WIN10_V5
    ? { type: "InitiateContact", form: "msgSint", vmbusVersionRequested: version, targetVcpu: vcpu, msgSint: 2, msgVtl: 0, featureFlags: 0, monitorPage1: "4096", monitorPage2: "8192" }
    : { type: "InitiateContact", form: "interruptPage", vmbusVersionRequested: version, targetVcpu: vcpu, interruptPage: "12288", monitorPage1: "4096", monitorPage2: "8192" };

const header = (relid: number, buflen: number, byteCount: number, pfns: number, gpadl: number = GPADL): Message => ({
  type: "GpadlHeader",
  childRelid: relid,
  gpadl,
  rangeBufferLength: buflen,
  rangeCount: 1,
  ranges: [{ byteCount, byteOffset: 0, pfns: Array.from({ length: pfns }, (_, i) => String(0x1000 + i)) }],
});

const bases = (o: HostileOptions): readonly Base[] => {
  const r = o.knownRelid;
  const open = (relid: number, offset: number, targetVp = 0): Message => ({
    type: "OpenChannel",
    form: "v1",
    childRelid: relid,
    openId: relid,
    ringBufferGpadlHandle: GPADL,
    targetVp,
    downstreamRingBufferPageOffset: offset,
    userData: ZERO120,
  });
  return [
    // UNLOAD first: its "before INITIATE_CONTACT" trace is the canonical one for QEMU defect #2.
    msg("UNLOAD", { type: "Unload" }, true),
    msg("INITIATE_CONTACT 4.0", ic(Version.WIN10, 0), true),
    msg("INITIATE_CONTACT 4.0 vcpu=max", ic(Version.WIN10, MAX32)),
    msg("INITIATE_CONTACT 0.0", ic(0, 0)),
    msg("INITIATE_CONTACT 5.0 on conn 4", ic(Version.WIN10_V5, 0), false, ConnectionId.MESSAGE_4),
    msg("INITIATE_CONTACT 6.0 on conn 4", ic(Version.WIN10_V6_0, 0), false, ConnectionId.MESSAGE_4),
    msg("REQUESTOFFERS", { type: "RequestOffers" }),
    msg(`OPENCHANNEL relid=${r} offset=2`, open(r, 2), true),
    msg(`OPENCHANNEL relid=${r} offset=1`, open(r, 1)),
    msg(`OPENCHANNEL relid=${r} offset=max`, open(r, MAX32)),
    msg(`OPENCHANNEL relid=${r} target_vp=max`, open(r, 2, MAX32)),
    msg("OPENCHANNEL relid=max", open(MAX32, 2)),
    msg("OPENCHANNEL relid=0", open(0, 2)),
    msg(`CLOSECHANNEL relid=${r}`, { type: "CloseChannel", childRelid: r }, true),
    msg("CLOSECHANNEL relid=max", { type: "CloseChannel", childRelid: MAX32 }),
    msg(`GPADL_HEADER relid=${r} 4 pages complete`, header(r, 8 + 32, 4 * 4096, 4), true),
    msg(`GPADL_HEADER relid=${r} 4 pages, 2 PFNs`, header(r, 8 + 32, 4 * 4096, 2)),
    msg("GPADL_HEADER range_buflen=0 byte_count=0xFFFFF000", header(r, 0, 0xfffff000, 0)),
    msg("GPADL_HEADER range_buflen=7 byte_count=0xFFFFF000", header(r, 7, 0xfffff000, 0)),
    msg("GPADL_HEADER range_buflen=8 byte_count=0", header(r, 8, 0, 0)),
    msg("GPADL_BODY 2 PFNs", { type: "GpadlBody", msgNumber: 0, gpadl: GPADL, pfns: ["8192", "8193"] }, true),
    msg("GPADL_BODY gpadl=max", { type: "GpadlBody", msgNumber: 0, gpadl: MAX32, pfns: ["8192"] }),
    msg(`GPADL_TEARDOWN relid=${r}`, { type: "GpadlTeardown", childRelid: r, gpadl: GPADL }, true),
    msg("GPADL_TEARDOWN gpadl=max", { type: "GpadlTeardown", childRelid: r, gpadl: MAX32 }),
    msg(`RELID_RELEASED relid=${r}`, { type: "RelIdReleased", childRelid: r }, true),
    msg("UNLOAD to an unknown connection", { type: "Unload" }, false, 0x7777),
    msg(`MODIFYCHANNEL relid=${r}`, { type: "ModifyChannel", childRelid: r, targetVp: 0 }, true),
    msg("TL_CONNECT_REQUEST", { type: "TlConnectRequest", form: "v1", guestEndpointId: GUID0, hostServiceId: GUID0 }),
    msg("OPEN_RESERVED_CHANNEL", { type: "OpenReservedChannel", channelId: r, targetVp: 0, targetSint: 2, ringBufferGpadl: GPADL, downstreamPageOffset: 2 }),
    msg("CLOSE_RESERVED_CHANNEL", { type: "CloseReservedChannel", channelId: r, targetVp: 0, targetSint: 2 }),
    msg("MODIFY_CONNECTION", { type: "ModifyConnection", parentToChildMonitorPageGpa: "0", childToParentMonitorPageGpa: "0" }),
    msg("PAUSE", { type: "Pause" }),
    msg("RESUME", { type: "Resume" }),
    msg("VERSION_RESPONSE (host-to-guest type)", { type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: 0, msgConnId: 1 }),
    msg("UNLOAD_RESPONSE (host-to-guest type)", { type: "UnloadResponse" }),
    raw("type 0 (INVALID)", 0),
    raw("type 30 (unknown)", 30),
    ...(o.openvmm
      ? [
          msg("INITIATE_CONTACT 5.0 on conn 4 sint=16", { type: "InitiateContact", form: "msgSint", vmbusVersionRequested: Version.WIN10_V5, targetVcpu: 0, msgSint: 16, msgVtl: 0, featureFlags: 0, monitorPage1: "0", monitorPage2: "0" }, false, ConnectionId.MESSAGE_4),
          msg("INITIATE_CONTACT 6.0 features=0x25", { type: "InitiateContact", form: "msgSint", vmbusVersionRequested: Version.WIN10_V6_0, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags: 0x25, monitorPage1: "0", monitorPage2: "0" }),
          msg("MODIFY_CONNECTION one monitor page", { type: "ModifyConnection", parentToChildMonitorPageGpa: "4096", childToParentMonitorPageGpa: "0" }),
        ]
      : []),
  ];
};

/** Every hostile post, deduplicated by (connection id, payload size, bytes). */
export const hostileCatalogue = (o: HostileOptions): readonly HostileCatalogueEntry[] => {
  const out: HostileCatalogueEntry[] = [];
  const seen = new Set<string>();
  const push = (label: string, connectionId: number, bytes: Uint8Array, payloadSize = bytes.length): void => {
    const payload = bytesToHex(bytes);
    const key = `${connectionId}/${payloadSize}/${payload}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ label, connectionId, payloadSize, payload });
  };
  for (const b of bases(o)) {
    push(b.label, b.connectionId, b.bytes);
    if (!o.lengths || !b.lengths) continue;
    const n = b.bytes.length;
    for (const len of [0, 7, 8, n - 1, 240]) {
      if (len < 0 || len === n) continue;
      const cut = new Uint8Array(len);
      cut.set(b.bytes.subarray(0, Math.min(len, n)));
      push(`${b.label} [${len} bytes]`, b.connectionId, cut);
    }
  }
  // payload_size beyond the 240-byte SynIC payload (INVALID_HYPERCALL_INPUT).
  push("UNLOAD with payload_size 241", ConnectionId.MESSAGE, encodeMessage({ type: "Unload" }), 241);
  return out;
};

/** The ids live in a state: relids the host offers or has open, GPADL ids in the host's list. */
export interface LiveIds {
  readonly relids: readonly number[];
  readonly gpadls: readonly { readonly id: number; readonly childRelid: number }[];
}

/** A GPADL id no live GPADL uses (for headers that create a fresh GPADL on a live relid). */
const freshGpadl = (ids: LiveIds): number => {
  let id = 0x7000;
  while (ids.gpadls.some((g) => g.id === id)) id++;
  return id;
};

/**
 * Posts that name the live relids and GPADL ids of a state (mixed mode): OPENCHANNEL of every
 * live relid on every live GPADL (a torn-down but still referenced one: QEMU quirk Q12), CLOSECHANNEL
 * of every live relid (open or not: #11), RELID_RELEASED, a GPADL_HEADER reusing every live id
 * (#5), a GPADL_BODY and a GPADL_TEARDOWN for every live id (#1 on a complete GPADL), and a
 * fresh 4-page GPADL on every live relid. Entries equal (by connection id, size and bytes) to
 * one of `fixed` are left out.
 */
export const liveCatalogue = (ids: LiveIds, fixed: readonly HostileCatalogueEntry[]): readonly HostileCatalogueEntry[] => {
  const out: HostileCatalogueEntry[] = [];
  const seen = new Set<string>(fixed.map((e) => `${e.connectionId}/${e.payloadSize}/${e.payload}`));
  const push = (label: string, m: Message): void => {
    const bytes = encodeMessage(m);
    const payload = bytesToHex(bytes);
    const key = `${ConnectionId.MESSAGE}/${bytes.length}/${payload}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ label: `live ${label}`, connectionId: ConnectionId.MESSAGE, payloadSize: bytes.length, payload });
  };
  const fresh = freshGpadl(ids);
  for (const r of ids.relids) {
    for (const g of ids.gpadls)
      push(`OPENCHANNEL relid=${r} gpadl=0x${g.id.toString(16)}`, {
        type: "OpenChannel",
        form: "v1",
        childRelid: r,
        openId: r,
        ringBufferGpadlHandle: g.id,
        targetVp: 0,
        downstreamRingBufferPageOffset: 2,
        userData: ZERO120,
      });
    push(`CLOSECHANNEL relid=${r}`, { type: "CloseChannel", childRelid: r });
    push(`RELID_RELEASED relid=${r}`, { type: "RelIdReleased", childRelid: r });
    push(`GPADL_HEADER relid=${r} gpadl=0x${fresh.toString(16)} 4 pages complete`, header(r, 8 + 32, 4 * 4096, 4, fresh));
  }
  for (const g of ids.gpadls) {
    const h = `0x${g.id.toString(16)}`;
    push(`GPADL_HEADER reusing gpadl=${h}`, header(g.childRelid, 8 + 32, 4 * 4096, 4, g.id));
    push(`GPADL_BODY gpadl=${h}`, { type: "GpadlBody", msgNumber: 0, gpadl: g.id, pfns: ["8192"] });
    push(`GPADL_TEARDOWN gpadl=${h}`, { type: "GpadlTeardown", childRelid: g.childRelid, gpadl: g.id });
  }
  return out;
};
