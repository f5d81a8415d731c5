/**
 * Liveness across the shards of a campaign (SYS-LIVE-1/-2, liveness.ts). A liveness rule is about
 * the whole explored graph, which no shard has: each shard writes its part of it to a graph file
 * next to its result, and `check merge` joins the parts and runs the same backward reachability
 * (LiveGraph) that one process runs.
 *
 * A shard writes a node record for every state it owns (its fingerprint, the fingerprint of the
 * state it was first reached from and the input index, its depth, the host's queue length,
 * whether the guest waits, whether the shard expanded it and whether something the liveness
 * rules leave to other rules happened there: a crash, a deadlock, a spent budget), and an edge
 * record for every transition it took (from, to, and whether the guest read a host message).
 *
 * Layout (little-endian): "VMBSGRF1", the state description's fingerprint (8 bytes), then records:
 *   1, fp (8), parent fp (8), varint input, varint depth, u8 queued (capped at 255), u8 flags
 *   2, from fp (8), to fp (8), u8 replyDelivered
 * The initial state's parent is itself.
 */
import type { Violation } from "../../spec/system/outputs.js";
import { DecodingError, Reader } from "./decoding.js";
import { HEADER_BYTES, headerProblem, writeHeader, writeI32 } from "./binary-header.js";
import { Writer } from "./encoding.js";
import { livenessViolations, LiveGraph } from "./liveness.js";
import { FingerprintTable } from "./visited.js";

const MAGIC = [0x56, 0x4d, 0x42, 0x53, 0x47, 0x52, 0x46, 0x31]; // "VMBSGRF1"

export const NODE_WAITS = 1;
export const NODE_EXPANDED = 2;
/** Can progress by a way the liveness rules leave to other rules (crash, deadlock, budget). */
export const NODE_COVERED = 4;

export class GraphFileError extends Error {}

/** Collects one shard's part of the graph; `bytes()` is the file. */
export class GraphWriter {
  private readonly w = new Writer();
  nodes = 0;
  edges = 0;
  constructor(shape: readonly [number, number]) {
    writeHeader(this.w, MAGIC, shape);
  }
  private i32(x: number): void {
    writeI32(this.w, x);
  }
  node(hi: number, lo: number, parentHi: number, parentLo: number, input: number, depth: number, queued: number, flags: number): void {
    this.w.byte(1);
    this.i32(hi);
    this.i32(lo);
    this.i32(parentHi);
    this.i32(parentLo);
    this.w.varint(input);
    this.w.varint(depth);
    this.w.byte(Math.min(queued, 255));
    this.w.byte(flags);
    this.nodes++;
  }
  edge(fromHi: number, fromLo: number, toHi: number, toLo: number, replyDelivered: boolean): void {
    this.w.byte(2);
    this.i32(fromHi);
    this.i32(fromLo);
    this.i32(toHi);
    this.i32(toLo);
    this.w.byte(replyDelivered ? 1 : 0);
    this.edges++;
  }
  bytes(): Uint8Array {
    return this.w.buf.subarray(0, this.w.pos);
  }
}

interface Parsed {
  readonly nodes: { hi: number[]; lo: number[]; phi: number[]; plo: number[]; input: number[]; depth: number[]; queued: number[]; flags: number[] };
  readonly edges: { fhi: number[]; flo: number[]; thi: number[]; tlo: number[]; reply: number[] };
}

const parse = (name: string, buf: Uint8Array, shape: readonly [number, number], into: Parsed): void => {
  const problem = headerProblem(buf, MAGIC, shape);
  if (problem === "magic") throw new GraphFileError(`${name}: not a vmbus-spec graph file (VMBSGRF1)`);
  if (problem === "shape") throw new GraphFileError(`${name}: written for another state description (another version of vmbus-spec)`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const r = new Reader();
  r.reset(buf, HEADER_BYTES, buf.length);
  const i32 = (): number => {
    if (r.pos + 4 > r.end) r.fail("truncated");
    const x = view.getInt32(r.pos, true);
    r.pos += 4;
    return x;
  };
  const { nodes: n, edges: e } = into;
  try {
    while (r.pos < r.end) {
      const tag = r.byte();
      if (tag === 1) {
        n.hi.push(i32());
        n.lo.push(i32());
        n.phi.push(i32());
        n.plo.push(i32());
        n.input.push(r.varint());
        n.depth.push(r.varint());
        n.queued.push(r.byte());
        n.flags.push(r.byte());
      } else if (tag === 2) {
        e.fhi.push(i32());
        e.flo.push(i32());
        e.thi.push(i32());
        e.tlo.push(i32());
        e.reply.push(r.byte());
      } else r.badByte(`record tag ${tag} (1 node, 2 edge)`);
    }
  } catch (err) {
    if (err instanceof DecodingError) throw new GraphFileError(`${name}: byte ${err.offset}: ${err.what}`);
    throw err;
  }
};

/**
 * SYS-LIVE-1/-2 over the union of the shards' graph files: each violation with the path (input
 * indices from the initial state) to the shallowest state that breaks it, as one process finds.
 * Throws GraphFileError on a file that is not a graph of this check, a state recorded twice, or
 * an edge from a state no shard recorded.
 */
export const mergedLiveness = (
  files: readonly { readonly name: string; readonly bytes: Uint8Array }[],
  shape: readonly [number, number],
): { readonly violation: Violation; readonly path: number[] }[] => {
  const p: Parsed = {
    nodes: { hi: [], lo: [], phi: [], plo: [], input: [], depth: [], queued: [], flags: [] },
    edges: { fhi: [], flo: [], thi: [], tlo: [], reply: [] },
  };
  for (const f of files) parse(f.name, f.bytes, shape, p);
  const n = p.nodes.hi.length;
  // Ids: the expanded states first, by depth (so the lowest id that breaks a rule is a shallowest
  // one, as in one process's BFS order), then the others (states the search did not expand count
  // as able to progress: LiveGraph's frontier).
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const ea = p.nodes.flags[a]! & NODE_EXPANDED;
    const eb = p.nodes.flags[b]! & NODE_EXPANDED;
    return ea !== eb ? eb - ea : p.nodes.depth[a]! - p.nodes.depth[b]!;
  });
  const table = new FingerprintTable();
  const record = new Int32Array(n); // id → record index
  for (const i of order) {
    if (table.find(p.nodes.hi[i]!, p.nodes.lo[i]!) >= 0) throw new GraphFileError(`a state was recorded by two shards (fingerprint ${p.nodes.hi[i]}:${p.nodes.lo[i]}): are these the files of one campaign?`);
    record[table.add(p.nodes.hi[i]!, p.nodes.lo[i]!, -1, -1)] = i;
  }
  const expanded = order.filter((i) => (p.nodes.flags[i]! & NODE_EXPANDED) !== 0).length;
  const idOf = (hi: number, lo: number, what: string): number => {
    const id = table.find(hi, lo);
    if (id < 0) throw new GraphFileError(`${what} names a state no shard recorded (fingerprint ${hi}:${lo}): is a shard's graph file missing?`);
    return id;
  };
  // Edges grouped by their source id (counting sort), as LiveGraph takes them.
  const m = p.edges.fhi.length;
  const from = new Int32Array(m);
  const start = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) {
    from[k] = idOf(p.edges.fhi[k]!, p.edges.flo[k]!, "an edge");
    start[from[k]! + 1]!++;
  }
  for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, n);
  const sorted = new Int32Array(m);
  for (let k = 0; k < m; k++) sorted[fill[from[k]!]!++] = k;
  const g = new LiveGraph();
  for (let id = 0; id < n; id++) {
    const i = record[id]!;
    g.addNode(p.nodes.queued[i]!, (p.nodes.flags[i]! & NODE_WAITS) !== 0);
  }
  for (let id = 0; id < expanded; id++) {
    g.expand(id);
    if (p.nodes.flags[record[id]!]! & NODE_COVERED) g.cover(id);
    for (let e = start[id]!; e < start[id + 1]!; e++) {
      const k = sorted[e]!;
      const to = table.find(p.edges.thi[k]!, p.edges.tlo[k]!);
      // A successor its owner did not store (its budget was spent): unexplored, so as in one
      // process, whose search stops there, the state it came from counts as able to progress.
      if (to < 0) g.cover(id);
      else g.edge(id, to, p.edges.reply[k] === 1);
    }
  }
  const pathTo = (id: number): number[] => {
    const path: number[] = [];
    for (let i = record[id]!, guard = 0; ; guard++) {
      if (guard > n) throw new GraphFileError("the parent records form a cycle: are these the files of one campaign?");
      const parent = idOf(p.nodes.phi[i]!, p.nodes.plo[i]!, "a node's parent");
      if (record[parent] === i) break; // the initial state is its own parent
      path.push(p.nodes.input[i]!);
      i = record[parent]!;
    }
    return path.reverse();
  };
  return livenessViolations(g, expanded).map((l) => ({ violation: l.violation, path: pathTo(l.node) }));
};
