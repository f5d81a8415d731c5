/**
 * Hosts with planted liveness bugs, built on the spec's host (spec/system/spec-host.ts): what the
 * liveness tests of every search (one thread, shards, worker threads) must find.
 */
import type { HostModel } from "../../spec/system/host-model.js";
import { specHost } from "../../spec/system/spec-host.js";

type HC = Parameters<typeof specHost.initial>[0];
type HS = ReturnType<typeof specHost.initial>;

/** Message type of the host's oldest queued guest message (u32 LE at the start of the payload). */
export const headType = (s: HS): number | undefined => {
  const p = s.rxQueue[0]?.payload;
  return p === undefined ? undefined : parseInt(p.slice(0, 2), 16) | (parseInt(p.slice(2, 4), 16) << 8);
};

/** A host that spins without progress while a GPADL_TEARDOWN (11) heads its queue: it always has work to run, so nothing ever deadlocks. */
export const spinningHost: HostModel<HC, HS> = {
  ...specHost,
  name: "spins on GPADL_TEARDOWN",
  step: (c, s, i) => (i.kind === "run" && headType(s) === 11 ? { state: s, outputs: [] } : specHost.step(c, s, i)),
};

/** A host that stops running for good once an UNLOAD (16) heads its queue. */
export const stallingHost: HostModel<HC, HS> = { ...specHost, name: "stalls on UNLOAD", runnable: (c, s) => headType(s) !== 16 && specHost.runnable(c, s) };

/**
 * A host that swallows the replies `drop` picks and carries on as if they were delivered (the
 * guest waits for them forever): e.g. every GPADL_TORNDOWN, or the OPENCHANNEL_RESULT of one relid.
 */
export const droppingHost = (name: string, drop: (m: Extract<ReturnType<typeof specHost.step>["outputs"][number], { kind: "postMessage" }>["message"]) => boolean): HostModel<HC, HS> => ({
  ...specHost,
  name,
  step: (c, s, i) => {
    const r = specHost.step(c, s, i);
    const dropped = r.outputs.find((x) => x.kind === "postMessage" && drop(x.message));
    if (!dropped) return r;
    const delivered = specHost.step(c, r.state, { kind: "deliveryResult", result: "delivered" });
    return { state: delivered.state, outputs: r.outputs.filter((x) => x !== dropped) };
  },
});
