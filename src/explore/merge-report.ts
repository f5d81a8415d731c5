/**
 * A merged campaign as a check report: each finding's path (input indices) is replayed
 * through the reducers into its full trace, so `check merge` prints exactly what `check`
 * prints for the same findings.
 */
import { specSystem } from "../../spec/system/spec-host.js";
import { replayPath } from "./bfs.js";
import { checkConfig, hostilePosts, type CheckReport } from "./check.js";
import { replayIndices } from "./path-search.js";
import type { MergedCampaign } from "./shard-result.js";
import { traceToJson } from "./trace.js";

export { PathError } from "./path-search.js";

/** What a report is made of: a merged sharded campaign, or a merged swarm (complete: false). */
export type MergedSearch = Pick<MergedCampaign, "check" | "bounds" | "states" | "transitions" | "depth" | "complete" | "stoppedBy" | "findings" | "outcomes"> & {
  /** SYS-LIVE-1/-2 were checked over the joined graph (their findings are among `findings`). */
  readonly livenessChecked?: boolean;
};

export const mergedReport = (m: MergedSearch): CheckReport => {
  const config = checkConfig({ ...m.check, ...m.bounds });
  const trace = (path: readonly number[]) => traceToJson(replayPath(specSystem, config, replayIndices(config, path).inputs));
  return {
    profile: m.check.profile,
    hostile: m.check.hostile,
    ...(m.check.hostile ? { hostileStart: m.check.hostileStart ?? "boot", hostilePosts: hostilePosts(m.check) } : {}),
    channels: m.check.channels,
    ...(m.check.offers !== undefined && m.check.offers !== m.check.channels ? { offers: m.check.offers } : {}),
    gpadls: m.check.gpadls,
    states: m.states,
    transitions: m.transitions,
    depth: m.depth,
    complete: m.complete,
    stoppedBy: m.stoppedBy,
    mode: "fingerprint",
    collisionProbability: Math.min(1, (m.states * (m.states - 1)) / 2 / 2 ** 64),
    livenessChecked: m.livenessChecked === true,
    seconds: 0,
    statesPerSecond: 0,
    violations: m.findings.map((f) => ({ kind: f.kind, rule: f.rule, message: f.message.replace(/\s+/g, " "), trace: trace(f.path) })),
    // As check reports them: QEMU quirk rows only for profile qemu.
    outcomes: m.outcomes.map((o) => ({ rule: o.rule, row: m.check.profile === "qemu" ? o.row : null, message: o.message.replace(/\s+/g, " "), trace: trace(o.path) })),
    runs: [],
  };
};
