/**
 * Liveness over the explored graph (SYS-LIVE-1, SYS-LIVE-2), by backward reachability.
 *
 * The explorer records, per state, the host's queue length and whether the Linux-like guest
 * waits for a reply (before any hostile post); per transition, its target. After the search:
 * - SYS-LIVE-1: a state where a guest message is queued at the host and from which no path
 *   ever gets a queued message processed (a transition that shortens the host's queue);
 * - SYS-LIVE-2: a state where the guest waits and from which no path ever delivers a host
 *   message to it (the guest reads its slot).
 * States that reach a deadlock (SYS-DEADLOCK-1 reports those), a host crash (a defect), or a
 * state the search did not expand (a bound) count as able to progress: the rules report only
 * what nothing else does, i.e. livelocks and hosts that stall while the hostile guest lives on.
 * The graph is compressed sparse rows in typed arrays: 4 bytes per transition, 6 per state.
 */
import { guestWaits } from "../../spec/guest/view.js";
import type { SystemInput } from "../../spec/system/inputs.js";
import type { Violation } from "../../spec/system/outputs.js";
import type { SystemState } from "../../spec/system/state.js";
import type { SystemModel } from "../../spec/system/system.js";
import { IntVec } from "./visited.js";

/** What the liveness rules need of a state: the host's queue length, and whether the Linux-like guest waits for a reply (before any hostile post). */
export const livenessFacts = <HC, HS>(model: SystemModel<HC, HS>, s: SystemState<HS>): { readonly queued: number; readonly waits: boolean } => ({
  queued: model.host.view(s.host).queuedIncoming,
  waits: s.guest !== null && s.hostile.posts === 0 && guestWaits(s.guest).length > 0,
});

/** A transition that delivers a host message to the guest (SYS-LIVE-2's progress): the guest reads its slot. */
export const deliversReply = (input: SystemInput, from: SystemState<unknown>): boolean => input.kind === "guestReceive" && from.guest !== null;

const GOOD1 = 1;
const GOOD2 = 2;
const WAITS = 4;

export class LiveGraph {
  /** Per state: host queue length (capped at 255) and flags. */
  private queued = new Uint8Array(1024);
  private flags = new Uint8Array(1024);
  private nodes = 0;
  /** Per expanded state: index of its first edge in `to` (states are expanded in id order). */
  private readonly start = new IntVec();
  private readonly to = new IntVec();

  get expanded(): number {
    return this.start.n;
  }

  addNode(queued: number, waits: boolean): void {
    if (this.nodes === this.queued.length) {
      const q = new Uint8Array(this.nodes * 2);
      q.set(this.queued);
      this.queued = q;
      const f = new Uint8Array(this.nodes * 2);
      f.set(this.flags);
      this.flags = f;
    }
    this.queued[this.nodes] = Math.min(queued, 255);
    this.flags[this.nodes] = waits ? WAITS : 0;
    this.nodes++;
  }

  expand(node: number): void {
    if (node !== this.start.n) throw new Error(`liveness graph: node ${node} expanded out of order`);
    this.start.push(this.to.n);
  }

  /** The state can progress by a way the liveness rules leave to other rules (deadlock, defect, bound). */
  cover(node: number): void {
    this.flags[node]! |= GOOD1 | GOOD2;
  }

  /** A transition; `replyDelivered`: the guest read a host message from its slot. */
  edge(from: number, to: number, replyDelivered: boolean): void {
    this.to.push(to);
    if (this.queued[to]! < this.queued[from]!) this.flags[from]! |= GOOD1;
    if (replyDelivered) this.flags[from]! |= GOOD2;
  }

  get bytes(): number {
    return this.queued.byteLength + this.flags.byteLength + this.start.bytes + this.to.bytes;
  }

  /**
   * Which states can reach a state with `bit` set (reverse breadth-first search); states at or
   * past `frontierStart` were not expanded and count as good.
   */
  canReach(bit: number, frontierStart: number): Uint8Array {
    const n = this.nodes;
    const expanded = Math.min(this.start.n, frontierStart);
    // Reverse CSR: in-degree counts, prefix sums, fill.
    const rstart = new Int32Array(n + 1);
    const end = (u: number): number => (u + 1 < this.start.n ? this.start.a[u + 1]! : this.to.n);
    for (let u = 0; u < expanded; u++) for (let e = this.start.a[u]!; e < end(u); e++) rstart[this.to.a[e]! + 1]!++;
    for (let v = 0; v < n; v++) rstart[v + 1]! += rstart[v]!;
    const fill = rstart.slice(0, n);
    const rfrom = new Int32Array(rstart[n]!);
    for (let u = 0; u < expanded; u++) for (let e = this.start.a[u]!; e < end(u); e++) rfrom[fill[this.to.a[e]!]!++] = u;
    const good = new Uint8Array(n);
    const queue = new Int32Array(n);
    let qn = 0;
    for (let v = 0; v < n; v++) {
      if (v >= expanded || (this.flags[v]! & bit) !== 0) {
        good[v] = 1;
        queue[qn++] = v;
      }
    }
    for (let qi = 0; qi < qn; qi++) {
      const v = queue[qi]!;
      for (let e = rstart[v]!; e < rstart[v + 1]!; e++) {
        const u = rfrom[e]!;
        if (!good[u]) {
          good[u] = 1;
          queue[qn++] = u;
        }
      }
    }
    return good;
  }

  /** The first state (lowest id: shallowest) that needs progress of kind `bit` and cannot reach it. */
  firstStuck(bit: number, frontierStart: number): number {
    const good = this.canReach(bit, frontierStart);
    for (let v = 0; v < this.nodes; v++) {
      const needs = bit === GOOD1 ? this.queued[v]! > 0 : (this.flags[v]! & WAITS) !== 0;
      if (needs && !good[v]) return v;
    }
    return -1;
  }

  queuedAt(node: number): number {
    return this.queued[node]!;
  }
}

export const livenessViolations = (g: LiveGraph, frontierStart: number): { readonly violation: Violation; readonly node: number }[] => {
  const out: { violation: Violation; node: number }[] = [];
  const stuck1 = g.firstStuck(GOOD1, frontierStart);
  if (stuck1 >= 0)
    out.push({
      node: stuck1,
      violation: { kind: "liveness", rule: "SYS-LIVE-1", message: `${g.queuedAt(stuck1)} guest message(s) wait in the host's queue and no continuation ever gets a queued message processed` },
    });
  const stuck2 = g.firstStuck(GOOD2, frontierStart);
  if (stuck2 >= 0)
    out.push({
      node: stuck2,
      violation: { kind: "liveness", rule: "SYS-LIVE-2", message: "the guest waits for a reply and no continuation ever delivers a host message to it (and none deadlocks)" },
    });
  return out;
};
