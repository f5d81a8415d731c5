/** OpenVMM's GPADLs (channels.rs:1218-1254 Gpadl::append, :2762-3000; vmbus_ring/src/gparange.rs, at 1488a37b). */
import { NtStatus } from "../../wire/constants.js";
import { type Ctx, reject } from "../common.js";
import { u16At, u32At, u64At } from "../raw.js";
import type { OpenvmmRuleId } from "./rules.js";
import { ov, send, setOv } from "./send.js";
import type { OvmmChannel, OvmmGpadl } from "./state.js";

const UNSUCCESSFUL = NtStatus.UNSUCCESSFUL;
export const byChannelId = (c: Ctx, id: number): OvmmChannel | undefined => (id === 0 ? undefined : ov(c).channels.find((x) => x.channelId === id));
/** ChannelState::is_revoked (channels.rs:540): Revoked (Reoffered is never reached, see state.ts). */
export const isRevoked = (ch: OvmmChannel): boolean => ch.state === "Revoked";
/** ChannelState::is_reserved (channels.rs:560): Open, Opening, Closing with a reserved state; only an Open channel has one here. */
export const isReserved = (ch: OvmmChannel): boolean => ch.reserved !== null;

/** gparange::validate_gpa_ranges: an error message, or undefined when valid. */
export const validateGpaRanges = (count: number, buf: readonly bigint[]): string | undefined => {
  let at = 0;
  for (let i = 0; i < count; i++) {
    const hdr = buf[at];
    if (hdr === undefined) return "EmptyRange";
    const byteCount = Number(hdr & 0xffffffffn);
    const byteOffset = Number(hdr >> 32n);
    if (byteCount === 0) return "EmptyByteCount";
    if (byteOffset > 0xfff) return "OffsetTooLarge";
    const sum = byteCount + 4095 + byteOffset;
    // checked_add of 4095, then of byte_offset: the second bound implies the first (byte_offset ≥ 0).
    if (sum > 0xffffffff) return "Overflow";
    const pages = Math.floor(sum / 4096);
    if (buf.length - at - 1 < pages) return "RangeTooSmall";
    at += 1 + pages;
  }
  return undefined;
};

/** Gpadl::append: floor the data to whole u64s and to the remaining capacity; validate when full. */
const append = (g: OvmmGpadl, data: Uint8Array): { g: OvmmGpadl; done: boolean } | { error: string } => {
  const n = Math.min(Math.floor(data.length / 8), g.capacity - g.buf.length);
  const vals: string[] = [];
  for (let i = 0; i < n; i++) vals.push(String(u64At(data, i * 8)));
  const buf = [...g.buf, ...vals];
  if (buf.length < g.capacity) return { g: { ...g, buf }, done: false };
  const bad = validateGpaRanges(g.count, buf.map((x) => BigInt(x)));
  if (bad) return { error: `InvalidGpaRange(${bad})` };
  return { g: { ...g, buf }, done: true };
};

const created = (c: Ctx, channelId: number, gpadl: number, status: number): void => send(c, { type: "GpadlCreated", childRelid: channelId, gpadl, creationStatus: status });
const putGpadl = (c: Ctx, g: OvmmGpadl): void => setOv(c, { gpadls: [...ov(c).gpadls.filter((x) => !(x.id === g.id && x.offerId === g.offerId)), g] });

/** gpadl_completed (channels.rs:2762): the device accepts at once; a revoked channel's GPADL is accepted without it. */
const completed = (c: Ctx, ch: OvmmChannel, g: OvmmGpadl): void => {
  if (isRevoked(ch)) reject(c, "HOST-OPENVMM-GPADL-3", `GPADL ${g.id} on revoked channel ${ch.channelId}: accepted at once`);
  putGpadl(c, { ...g, state: "Accepted" });
  created(c, ch.channelId, g.id, 0);
};

export const handleGpadlHeader = (c: Ctx, b: Uint8Array): void => {
  const channelId = u32At(b, 8);
  const id = u32At(b, 12);
  const fail = (rule: OpenvmmRuleId, why: string): void => {
    reject(c, rule, why);
    created(c, channelId, id, UNSUCCESSFUL);
  };
  const ch = byChannelId(c, channelId);
  if (!ch) return fail("HOST-OPENVMM-GPADL-4", `GPADL_HEADER for unknown channel id ${channelId} (UnknownChannelId)`);
  if (isReserved(ch)) return fail("HOST-OPENVMM-GPADL-4", `GPADL_HEADER for reserved channel ${channelId} (ChannelReserved)`);
  const r = append({ id, offerId: ch.offerId, count: u16At(b, 18), capacity: Math.floor(u16At(b, 16) / 8), buf: [], state: "InProgress" }, b.subarray(20));
  if ("error" in r) return fail("HOST-OPENVMM-GPADL-2", `GPADL ${id}: ${r.error}`);
  if (ov(c).gpadls.some((x) => x.id === id && x.offerId === ch.offerId)) return fail("HOST-OPENVMM-GPADL-1", `GPADL ${id} already exists on channel ${channelId} (DuplicateGpadlId)`);
  if (r.done) return completed(c, ch, r.g);
  if (ov(c).incomplete.some((x) => x.id === id)) return fail("HOST-OPENVMM-GPADL-1", `GPADL ${id} is already in progress (DuplicateGpadlId)`);
  putGpadl(c, r.g);
  setOv(c, { incomplete: [...ov(c).incomplete, { id, offerId: ch.offerId }] });
};

export const handleGpadlBody = (c: Ctx, b: Uint8Array): void => {
  const id = u32At(b, 12);
  const inc = ov(c).incomplete.find((x) => x.id === id);
  const g = inc && ov(c).gpadls.find((x) => x.id === id && x.offerId === inc.offerId);
  const ch = inc && ov(c).channels.find((x) => x.offerId === inc.offerId);
  if (!inc || !g || !ch) return void reject(c, "HOST-GPADL-5", `GPADL_BODY for unknown GPADL ${id} (UnknownGpadlId)`);
  const r = append(g, b.subarray(16));
  if ("error" in r) {
    setOv(c, { incomplete: ov(c).incomplete.filter((x) => x.id !== id), gpadls: ov(c).gpadls.filter((x) => x !== g) });
    reject(c, "HOST-OPENVMM-GPADL-2", `GPADL ${id}: ${r.error}`);
    return created(c, ch.channelId, id, UNSUCCESSFUL);
  }
  if (!r.done) return putGpadl(c, r.g);
  setOv(c, { incomplete: ov(c).incomplete.filter((x) => x.id !== id) });
  completed(c, ch, r.g);
};

/** A GPADL the device cannot release yet: the ring of its open channel (only an Open channel has params). */
const ringInUse = (ch: OvmmChannel | undefined, id: number): boolean => ch?.params?.ringGpadl === id;

/** gpadl_teardown_complete for every TearingDown GPADL the device no longer uses (channels.rs:3796). */
export const releaseTeardowns = (c: Ctx): void => {
  for (const g of ov(c).gpadls) {
    if (g.state !== "TearingDown") continue;
    const ch = ov(c).channels.find((x) => x.offerId === g.offerId);
    if (ringInUse(ch, g.id)) continue;
    setOv(c, { gpadls: ov(c).gpadls.filter((x) => x !== g) });
    send(c, { type: "GpadlTorndown", gpadl: g.id });
  }
};

export const handleGpadlTeardown = (c: Ctx, b: Uint8Array): void => {
  const channelId = u32At(b, 8);
  const id = u32At(b, 12);
  const ch = byChannelId(c, channelId);
  if (!ch) return void reject(c, "HOST-OPENVMM-GPADL-5", `GPADL_TEARDOWN for unknown channel id ${channelId}`);
  const g = ov(c).gpadls.find((x) => x.id === id && x.offerId === ch.offerId);
  if (!g) return void reject(c, "HOST-OPENVMM-GPADL-5", `GPADL_TEARDOWN for unknown GPADL ${id} on channel ${channelId} (UnknownGpadlId)`);
  if (g.state === "InProgress") return void reject(c, "HOST-GPADL-8", `GPADL ${id} is incomplete (InvalidGpadlState)`);
  if (g.state !== "Accepted") return void reject(c, "HOST-OPENVMM-GPADL-5", `GPADL ${id} is ${g.state} (InvalidGpadlState)`);
  if (isReserved(ch)) return void reject(c, "HOST-OPENVMM-GPADL-5", `GPADL_TEARDOWN on reserved channel ${channelId} (ChannelReserved)`);
  if (isRevoked(ch)) {
    setOv(c, { gpadls: ov(c).gpadls.filter((x) => x !== g) });
    return send(c, { type: "GpadlTorndown", gpadl: id });
  }
  putGpadl(c, { ...g, state: "TearingDown" });
  releaseTeardowns(c);
};
