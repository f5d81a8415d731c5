/** Well-formedness of a host state (rules HOST-INV-*); [] when fine. */
import type { HostConfig } from "./config.js";
import { resolveParameters } from "./profiles.js";
import type { HostState } from "./state.js";

export const checkHostInvariants = (config: HostConfig, s: HostState): readonly { rule: string; message: string }[] => {
  const p = resolveParameters(config.profile, config.parameters);
  const out: { rule: string; message: string }[] = [];
  const bad = (rule: string, message: string): void => void out.push({ rule, message });

  // OpenVMM keys GPADLs by (gpadl id, offer) (HOST-OPENVMM-GPADL-1).
  const ids = s.gpadls.map((g) => (p.replyModel === "synicQueue" ? `${g.id}/${g.childRelid}` : g.id));
  if (new Set(ids).size !== ids.length) bad("HOST-INV-1", `duplicate GPADL ids: ${ids.join(",")}`);

  const relids = s.channels.map((ch) => ch.relid);
  if (new Set(relids).size !== relids.length) bad("HOST-INV-2", `duplicate relids: ${relids.join(",")}`);
  for (const r of relids) if (!Number.isInteger(r) || r < 1 || r > 2047) bad("HOST-INV-2", `relid ${r} outside 1..2047`);

  for (const ch of s.channels.filter((x) => x.isOpen)) {
    // openvmm: the ring GPADL is the channel's own (GPADLs keyed by (id, channel), HOST-OPENVMM-GPADL-1).
    const g = s.gpadls.find((x) => x.id === ch.ringGpadl && (p.replyModel !== "synicQueue" || x.childRelid === ch.relid));
    if (!g) bad("HOST-INV-3", `open channel ${ch.relid} uses GPADL ${ch.ringGpadl}, which the host does not hold`);
    else if (g.data.length < g.expected) bad("HOST-INV-3", `open channel ${ch.relid} uses incomplete GPADL ${g.id}`);
  }
  for (const g of s.gpadls) {
    const users = s.channels.filter((ch) => ch.isOpen && ch.ringGpadl === g.id).length;
    const want = (g.state === "torndown" ? 0 : 1) + users;
    if (g.refcount !== want) bad("HOST-INV-4", `GPADL ${g.id} (${g.state}) has refcount ${g.refcount}, expected ${want}`);
    if (g.refcount <= 0) bad("HOST-INV-4", `GPADL ${g.id} is held with refcount ${g.refcount}`);
  }

  if (p.replyModel === "stateRunner") {
    if (s.inFlight && s.bus === "listen") bad("HOST-INV-5", "a message is in flight in LISTEN");
    const sending = s.channels.filter((ch) => ch.offerState === "sending").length;
    if (sending > 1) bad("HOST-INV-5", `${sending} channels SENDING`);
    const opening = s.channels.filter((ch) => ch.state === "opening").length;
    if (opening > 1 || (opening === 1 && s.bus !== "openChannel")) bad("HOST-INV-5", `${opening} channel(s) OPENING in state ${s.bus}`);
    if (s.allOffersSent && sending > 0) bad("HOST-INV-6", "a channel is SENDING after ALLOFFERS_DELIVERED");
  } else {
    for (const ch of s.channels.filter((x) => x.isOpen))
      if (ch.rescinded || ch.offerState !== "sent") bad("HOST-INV-8", `open channel ${ch.relid} is ${ch.rescinded ? "rescinded" : "not offered"}`);
    if (s.allOffersSent && s.offersRequested && s.channels.some((ch) => ch.offerState === "init" && !ch.rescinded && s.connected))
      bad("HOST-INV-6", "a channel is still unoffered after ALLOFFERS_DELIVERED");
  }
  if (s.rxQueue.length > p.incomingQueueCapacity) bad("HOST-INV-7", `incoming queue holds ${s.rxQueue.length} > ${p.incomingQueueCapacity}`);
  for (const ch of s.channels) if (!s.devices[ch.device]) bad("HOST-INV-2", `channel ${ch.relid} names device ${ch.device}, which does not exist`);
  return out;
};
