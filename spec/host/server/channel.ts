/** Channel open, close and MODIFYCHANNEL in the queue model (HOST-OPEN-*, HOST-CLOSE-*, HOST-MODIFY-*). */
import { Limits } from "../../wire/constants.js";
import type { MessageOf } from "../../wire/messages.js";
import { Version } from "../../wire/versions.js";
import { closeChannelResources, type Ctx, emit, findChannel, findGpadl, getGpadl, gpadlComplete, NO_VP, reject, setChannel, vpExists } from "../common.js";
import type { HostRuleId } from "../rules.js";
import { releaseDeferredTeardowns } from "./gpadl.js";
import { enqueue, UNSUCCESSFUL } from "./out.js";

export const alignedPages = (c: Ctx, id: number): number | undefined => {
  const g = findGpadl(c.s, id);
  const r = g?.ranges;
  if (!r || r.length !== 1) return undefined;
  const r0 = r[0]!;
  return r0.byteOffset === 0 && r0.byteCount === r0.pfns.length * Limits.PAGE_SIZE ? r0.pfns.length : undefined;
};

export const openChannel = (c: Ctx, o: MessageOf<"OpenChannel">): void => {
  const ch = findChannel(c.s, o.childRelid);
  if (!ch || ch.rescinded || ch.offerState !== "sent" || ch.state !== "init")
    return void reject(c, "HOST-OPEN-1", `OPENCHANNEL for ${!ch ? "unknown relid" : ch.rescinded ? "rescinded channel" : ch.offerState !== "sent" ? "unoffered channel" : "open channel"} ${o.childRelid}`);
  // HOST-OPEN-5: every OPENCHANNEL that names an offered channel is answered, echoing relid and open_id.
  const fail = (rule: HostRuleId, why: string): void => {
    reject(c, rule, why);
    enqueue(c, { type: "OpenChannelResult", childRelid: o.childRelid, openId: o.openId, status: c.p.openFailureStatus });
  };
  const g = findGpadl(c.s, o.ringBufferGpadlHandle);
  if (!g || !gpadlComplete(g) || g.state !== "alive") return fail("HOST-OPEN-2", `ring GPADL ${o.ringBufferGpadlHandle} ${g ? `is ${g.state}` : "does not exist"}`);
  if (g.childRelid !== o.childRelid) return fail("HOST-OPEN-7", `ring GPADL ${g.id} belongs to relid ${g.childRelid}`);
  const pages = alignedPages(c, g.id);
  if (pages === undefined) return fail("HOST-OPEN-7", `ring GPADL ${g.id} is not one page-aligned range`);
  const m = c.p.minRingPages;
  const off = o.downstreamRingBufferPageOffset;
  if (off < m || pages - off < m) return fail("HOST-OPEN-3", `ring split at page ${off} of ${pages} leaves a ring under ${m} pages`);
  const honoursVp = c.s.version >= Version.WIN8;
  const vp = honoursVp ? o.targetVp : 0;
  if (vp !== NO_VP && !vpExists(c, vp)) return fail("HOST-OPEN-6", `target VP ${vp} does not exist`);
  const dev = c.s.devices[ch.device];
  if (dev?.openResult === "fail") return fail("HOST-OPEN-4", `device ${dev.name} failed to open`);
  getGpadl(c, g.id);
  setChannel(c, ch.relid, { isOpen: true, state: "open", openId: o.openId, ringGpadl: g.id, sendOffset: off, targetVp: vp });
  emit(c, { kind: "deviceNotify", relid: ch.relid, reason: "opened" });
  enqueue(c, { type: "OpenChannelResult", childRelid: o.childRelid, openId: o.openId, status: 0 });
};

export const closeChannel = (c: Ctx, relid: number): void => {
  const ch = findChannel(c.s, relid);
  if (!ch || !ch.isOpen) return void reject(c, "HOST-CLOSE-3", `CLOSECHANNEL for ${ch ? "closed" : "unknown"} channel ${relid}`);
  closeChannelResources(c, relid);
  setChannel(c, relid, { state: "init", modifyPending: false });
  releaseDeferredTeardowns(c);
};

export const modifyChannel = (c: Ctx, m: MessageOf<"ModifyChannel">): void => {
  const acked = c.s.version >= Version.WIN10_V5_3;
  const ch = findChannel(c.s, m.childRelid);
  if (acked && ch?.modifyPending) return void reject(c, "HOST-MODIFY-3", `MODIFYCHANNEL for relid ${m.childRelid} while another is unanswered`);
  const why = !ch || !ch.isOpen ? `channel ${m.childRelid} is not open` : m.targetVp === NO_VP ? "target VP 0xFFFFFFFF cannot disable interrupts" : !vpExists(c, m.targetVp) ? `target VP ${m.targetVp} does not exist` : undefined;
  if (why !== undefined) {
    reject(c, acked ? "HOST-MODIFY-2" : "HOST-MODIFY-1", why);
    if (acked) enqueue(c, { type: "ModifyChannelResponse", childRelid: m.childRelid, status: UNSUCCESSFUL });
    return;
  }
  setChannel(c, m.childRelid, { targetVp: m.targetVp, modifyPending: acked });
  if (acked) enqueue(c, { type: "ModifyChannelResponse", childRelid: m.childRelid, status: 0 });
};
