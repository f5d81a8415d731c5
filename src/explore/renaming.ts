/**
 * Renamings of a system state's identities: the channel symmetry of `check --symmetry`
 * (symmetry.ts) and the measurements of `npm run bench -- reductions` (docs/scale.md
 * "Reductions"). A renaming is trusted only for the profiles where it was shown to be an
 * automorphism (`succ(π(s)) = π(succ(s))`, checked by the bench and by
 * properties/explore/symmetry.test.ts on every reachable state of small configurations).
 *
 * Two kinds of identity are renamed:
 * - a channel's: its relid (also the open id Linux puts in OpenChannel, the host's device index,
 *   the device's name and instance GUID, and its connection id, `16+relid` in QEMU or
 *   `0x2000|relid` otherwise: spec/host/hypercall.ts channelConnectionId);
 * - a GPADL's handle (the guest's counter from 0xE1E10, GUEST-GPADL-1).
 * They are renamed wherever they occur: in the guest's and host's records, the driver's progress,
 * the rescinds, and inside the bytes of every message queued, in flight or in the slot (decoded
 * with spec/wire, renamed, encoded again, padding kept). Lists the spec keeps sorted by relid are
 * sorted again; every other list keeps its order (QEMU's lists are in insertion order).
 */
import { decodeMessage, encodeMessage } from "../../spec/wire/codec.js";
import { Limits } from "../../spec/wire/constants.js";
import { bytesToHex, hexToBytes } from "../../spec/wire/hex.js";
import type { Message } from "../../spec/wire/messages.js";

/** What to rename: a relid permutation (relid → relid; others stay) and a handle renaming. */
export interface Renaming {
  readonly relid: ReadonlyMap<number, number>;
  readonly handle: (handle: number) => number;
  /**
   * Renamed message bytes by bytes, for a renaming used on many states (symmetry.ts): the
   * messages of a search are few and recur (null: bytes that do not survive decoding and
   * encoding). Emptied when it holds HEX_MEMO_LIMIT entries, so it stays bounded.
   */
  readonly hexMemo?: Map<string, string | null>;
}

const HEX_MEMO_LIMIT = 1 << 16;

type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

// `lane` is the guest outbox's lane: 0 for the bus, else the relid (spec/system/inputs.ts guestPost).
const RELID_FIELDS = new Set(["relid", "childRelid", "openId", "lane"]);
const HANDLE_FIELDS = new Set(["handle", "gpadl", "ringGpadl", "ringBufferGpadlHandle", "ringBufferGpadl"]);
/** Lists of relids (the driver's progress, the rescinds). */
const RELID_LISTS = new Set(["opened", "modified", "closed", "signalled", "rescinded"]);
/** Lists of relids or of records with a relid that the spec keeps sorted by relid. */
const SORTED_BY_RELID = new Set([...RELID_LISTS, "channels", "buffers"]);
const INSTANCE = /^(.*-)([0-9a-f]{12})$/;

const relidOf = (x: Json): number => (typeof x === "number" ? x : x !== null && typeof x === "object" && !Array.isArray(x) && typeof (x as { relid?: unknown }).relid === "number" ? ((x as { relid: number }).relid) : 0);

/**
 * The renamed value, or undefined when a message's bytes do not survive decoding and encoding
 * unchanged (then renaming them could make a state outside the orbit: the caller keeps the state).
 */
export const renameValue = (value: unknown, r: Renaming): unknown => {
  let faithful = true;
  const rel = (n: number): number => r.relid.get(n) ?? n;
  const conn = (n: number): number => {
    const q = n - Limits.QEMU_CHANNEL_CONNECTION_OFFSET;
    if (r.relid.has(q)) return Limits.QEMU_CHANNEL_CONNECTION_OFFSET + rel(q);
    if ((n & ~0x1fff) === 0x2000 && r.relid.has(n & 0x1fff)) return (0x2000 | rel(n & 0x1fff)) >>> 0;
    return n;
  };
  const hex = (h: string): string => {
    const m = r.hexMemo;
    if (m === undefined) return hexOnce(h);
    let out = m.get(h);
    if (out === undefined) {
      const before = faithful;
      faithful = true;
      const e = hexOnce(h);
      if (m.size >= HEX_MEMO_LIMIT) m.clear();
      m.set(h, (out = faithful ? e : null));
      faithful = before && faithful;
      return e;
    }
    if (out === null) faithful = false;
    return out ?? h;
  };
  const hexOnce = (h: string): string => {
    const b = hexToBytes(h);
    if (!b.ok) return h;
    const d = decodeMessage(b.value);
    if (!d.ok) return ((faithful = false), h);
    const same = bytesToHex(encodeMessage(d.value.message));
    if (h.slice(0, same.length) !== same || /[^0]/.test(h.slice(same.length))) return ((faithful = false), h);
    const e = bytesToHex(encodeMessage(walk(d.value.message as unknown as Json, "message", false) as unknown as Message));
    // The payload area may be longer than the message (padding): keep its tail.
    return e.length < h.length ? e + h.slice(e.length) : e;
  };
  // A record that renaming leaves unchanged is returned itself, so states keep sharing it.
  const walk = (v: Json, key: string, inOffer: boolean): Json => (v === null || typeof v !== "object" ? v : renamed(v, key, inOffer));
  const renamed = (v: object, key: string, inOffer: boolean): Json => {
    if (Array.isArray(v)) {
      const a = (v as readonly Json[]).map((x) => (RELID_LISTS.has(key) && typeof x === "number" ? rel(x) : walk(x, key, inOffer)));
      if (SORTED_BY_RELID.has(key)) a.sort((x, y) => relidOf(x) - relidOf(y));
      return a.every((x, i) => x === v[i]) ? (v as Json) : a;
    }
    const o = v as { readonly [k: string]: Json };
    const offer = inOffer || o["type"] === "OfferChannel";
    const out: { [k: string]: Json } = {};
    for (const k of Object.keys(o)) {
      const x = o[k]!;
      if (typeof x === "number" && RELID_FIELDS.has(k)) out[k] = rel(x);
      else if (typeof x === "number" && HANDLE_FIELDS.has(k)) out[k] = r.handle(x);
      // The host's GPADL records carry their handle as `id`.
      else if (typeof x === "number" && k === "id" && key === "gpadls") out[k] = r.handle(x);
      else if (typeof x === "number" && k === "device") out[k] = rel(x + 1) - 1;
      else if (typeof x === "number" && (k === "signalConnectionId" || (k === "connectionId" && offer))) out[k] = conn(x);
      else if (typeof x === "string" && k === "interfaceInstance") {
        const m = INSTANCE.exec(x);
        out[k] = m ? `${m[1]}${rel(parseInt(m[2]!, 16)).toString(16).padStart(12, "0")}` : x;
      } else if (typeof x === "string" && k === "name" && /^dev\d+$/.test(x)) out[k] = `dev${rel(Number(x.slice(3)) + 1) - 1}`;
      else if (typeof x === "string" && (k === "payload" || k === "bytes")) out[k] = hex(x);
      // The host's devices are identical but for their name and GUID, which are positional: a
      // permutation of the channels leaves the list as it is.
      else if (k === "devices") out[k] = x;
      else out[k] = walk(x, k, offer);
    }
    for (const k in out) if (out[k] !== o[k]) return out;
    return o;
  };
  const out = walk(value as Json, "", false);
  return faithful ? out : undefined;
};

/** Every permutation of relids 1..n, as renamings (the identity first). */
export const relidPermutations = (n: number): readonly ReadonlyMap<number, number>[] => {
  const perms = (k: number): number[][] => (k === 0 ? [[]] : perms(k - 1).flatMap((p) => Array.from({ length: k }, (_, i) => [...p.slice(0, i), k - 1, ...p.slice(i)])));
  return perms(n)
    .map((p) => new Map(p.map((to, from) => [from + 1, to + 1] as const)))
    .sort((a, b) => Number([...b].every(([x, y]) => x === y)) - Number([...a].every(([x, y]) => x === y)));
};

/**
 * The GPADL handles of a state in order of first occurrence (a walk that does not depend on
 * their values: records in key order, lists in their order), renamed 0xE1E10, 0xE1E11, …:
 * states that differ only by which handle the guest's counter gave to which GPADL get one form.
 * Handles not yet given (from the guest's next one on) stay.
 */
export const handleCanonicalRenaming = (state: unknown, next: number): ReadonlyMap<number, number> => {
  const seen = new Map<number, number>();
  const first = Limits.LINUX_FIRST_GPADL_HANDLE;
  const note = (h: number): number => {
    if (h >= first && h < next && !seen.has(h)) seen.set(h, first + seen.size);
    return h;
  };
  renameValue(state, { relid: new Map(), handle: note });
  return seen;
};

/** A renaming of handles only. */
export const handleRenaming = (m: ReadonlyMap<number, number>): Renaming => ({ relid: new Map(), handle: (h) => m.get(h) ?? h });

/** A renaming of relids only; `memo` for one used on many states. */
export const relidRenaming = (m: ReadonlyMap<number, number>, memo = false): Renaming => ({ relid: m, handle: (h) => h, ...(memo ? { hexMemo: new Map() } : {}) });

/** Fields named after a channel, left out of its signature. */
const NAMED_AFTER_CHANNEL = new Set([...RELID_FIELDS, "device", "signalConnectionId", "connectionId", "interfaceInstance", "name", "payload", "bytes"]);
/**
 * A 32-bit hash of a record's content without the fields named after a channel. It need not be
 * injective (equal hashes only make channels tie, and ties are settled on the whole state),
 * only a function of the content, whatever the order of a record's keys.
 */
const mix = (h: number, v: number): number => Math.imul(h ^ v, 0x01000193) >>> 0;
const hashString = (h: number, x: string): number => {
  for (let i = 0; i < x.length; i++) h = Math.imul(h ^ x.charCodeAt(i), 0x01000193);
  return h >>> 0;
};
const hashContent = (h: number, x: unknown): number => {
  if (x === null || x === undefined) return mix(h, 1);
  switch (typeof x) {
    case "number":
      return Number.isInteger(x) ? mix(mix(h, x | 0), (x / 0x100000000) | 0) : hashString(mix(h, 2), String(x));
    case "string":
      return hashString(mix(h, 3), x);
    case "boolean":
      return mix(h, x ? 4 : 5);
    case "object": {
      if (Array.isArray(x)) {
        h = mix(h, 6);
        for (const e of x) h = hashContent(h, e);
        return mix(h, 7);
      }
      // A sum over the fields: the same for any order of the keys (a record decoded from the
      // queue and one built by a reducer may list the same fields in different orders).
      let sum = 0;
      for (const k in x) if (!NAMED_AFTER_CHANNEL.has(k)) sum = (sum + hashContent(hashString(0x811c9dc5, k), (x as Record<string, unknown>)[k])) >>> 0;
      return mix(mix(h, 8), sum);
    }
    default:
      return mix(h, 10);
  }
};
/** Records are immutable and often shared between states: each is hashed once. */
const hashed = new WeakMap<object, number>();
const recordHash = (x: object): number => {
  let j = hashed.get(x);
  if (j === undefined) hashed.set(x, (j = hashContent(0x811c9dc5, x)));
  return j;
};
const labels = new Map<string, number>();
const labelHash = (x: string): number => {
  let h = labels.get(x);
  if (h === undefined) labels.set(x, (h = hashString(0x811c9dc5, x)));
  return h;
};
// Not `signalled`: a guest signal that changes nothing else must leave the order of the channels
// as it is, so the guest-signal reduction (bfs.ts reduceSignals) still sees it change nothing.
const DRIVER_LISTS = ["opened", "modified", "closed"] as const;

/**
 * Per relid 1..n (index r), a signature of its channel that does not depend on relids: a hash
 * of the records of the guest's and the host's lists that carry it (as relid, childRelid or
 * outbox lane), with every field named after a channel left out, with their lists and their
 * places in lists kept in insertion order, and the driver's counts for it. For a permutation
 * π, channel π(r) of π(s) has the signature channel r of s has (symmetry.ts orders channels by
 * it).
 */
export const channelSignatures = (s: { readonly guest: object | null; readonly host: unknown; readonly driver: object }, n: number): readonly number[] => {
  // Per list a hash of each channel's records in the list's order; the lists are summed, so the
  // order in which a state's keys list them does not matter.
  const parts: number[] = Array.from({ length: n + 1 }, () => 0);
  const local: number[] = Array.from({ length: n + 1 }, () => 0);
  const visit = (label: string, key: string, list: unknown): void => {
    if (!Array.isArray(list)) return;
    // A list sorted by relid puts a channel's record where its relid says: not part of the signature.
    const ordered = !SORTED_BY_RELID.has(key);
    local.fill(0x811c9dc5);
    let any = false;
    for (let i = 0; i < list.length; i++) {
      const x = list[i] as Record<string, unknown> | null;
      if (x === null || typeof x !== "object") continue;
      const r = typeof x["relid"] === "number" ? x["relid"] : typeof x["childRelid"] === "number" ? x["childRelid"] : typeof x["lane"] === "number" ? x["lane"] : 0;
      if (r >= 1 && r <= n) (local[r] = mix(mix(local[r]!, ordered ? i : -1), recordHash(x))), (any = true);
    }
    if (!any) return;
    const l = labelHash(label);
    for (let r = 1; r <= n; r++) if (local[r] !== 0x811c9dc5) parts[r] = (parts[r]! + mix(l, local[r]!)) >>> 0;
  };
  if (s.guest) for (const k in s.guest) visit(k, k, (s.guest as Record<string, unknown>)[k]);
  // The host's lists are told from the guest's by a prefix (a host list may share a guest list's name).
  if (s.host !== null && typeof s.host === "object") for (const k in s.host) visit(`h.${k}`, k, (s.host as Record<string, unknown>)[k]);
  const d = s.driver as Record<string, unknown>;
  for (const k of DRIVER_LISTS) {
    const xs = d[k];
    if (Array.isArray(xs)) for (const x of xs) if (typeof x === "number" && x >= 1 && x <= n) parts[x] = (parts[x]! + labelHash(k)) >>> 0;
  }
  visit("d.buffers", "buffers", d["buffers"]);
  return parts;
};
