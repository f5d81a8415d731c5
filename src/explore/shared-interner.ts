/**
 * The interner the threads of `check --workers N` share (parallel.ts): the same interned
 * encoding one thread's queue uses (intern.ts, encoding.ts), with ids every thread agrees on,
 * so that a level holds states as one thread's queue does (about 300 bytes for a qemu 3-channel
 * state instead of its 1.3 KB full encoding) and a worker decodes states other workers encoded.
 *
 * The store is content-addressed and lives in SharedArrayBuffers, written without locks, as the
 * visited set is (shared-table.ts):
 * - an entry per interned value: its part's tag (strings have their own), the 64-bit
 *   fingerprint of its bytes, and where its bytes are in the arena (a string's as
 *   `Writer.string` writes them, a part's as its interned encoding: nested parts by id);
 * - an open-addressing table from the fingerprint to the entry. A thread claims an empty slot
 *   with compareExchange, takes an entry id and arena space from atomic counters, writes the
 *   entry and its bytes, then publishes it with an atomic store; a thread that meets a slot being
 *   filled waits until it is published. An entry is found equal only when its tag and bytes are
 *   equal too (a fingerprint collision between different contents gives them two entries).
 * - Each thread keeps the values it has met, by id (decoded from the arena the first time), and
 *   the ids of strings and objects it has interned: ids are handed out once, so the thread-local
 *   caches never go stale.
 *
 * Ids are numbered in the order threads first meet a content, so they differ from run to run;
 * within a search every thread and the main thread (which replays traces) see the same ones.
 * Distinct parts are few (about 460 in 300,000 states of qemu with 3 channels × 2 GPADLs), so
 * the store is small; its capacity is fixed at the start, and a search that fills it stops with
 * `SharedPartsFull`.
 */
import { fingerprint64 } from "./fingerprint64.js";
import type { InternedPart, PartInterner } from "./intern.js";
import { Writer } from "./encoding.js";
import type { Shape } from "./shape.js";
import { SharedMemoryError } from "./shared-table.js";

/** Slot value while its entry is being written. */
const BUSY = -1;
/** The tag of strings (parts have 0, 1, … in description order). */
const STRING_TAG = 0x7fffffff;

const Control = { Count: 0, Top: 16 } as const;
const CONTROL_WORDS = 32;

export interface SharedInternerBuffers {
  readonly maxEntries: number;
  readonly control: SharedArrayBuffer;
  readonly slots: SharedArrayBuffer;
  /** Per entry: tag, fingerprint halves, arena offset, length (Int32 each). */
  readonly entries: SharedArrayBuffer;
  readonly arena: SharedArrayBuffer;
}

/** The store is full: the search stops and says so (a SharedMemoryError: the CLI's one line, exit 3). */
export class SharedPartsFull extends SharedMemoryError {}

const ENTRY_WORDS = 5;

/** A store for `maxEntries` values and `arenaBytes` bytes of them (both fixed at the start). */
export const allocateSharedInterner = (maxEntries: number, arenaBytes: number): SharedInternerBuffers => {
  let slots = 16;
  while (slots * 3 < maxEntries * 4) slots *= 2;
  return {
    maxEntries,
    control: new SharedArrayBuffer(CONTROL_WORDS * 4),
    slots: new SharedArrayBuffer(slots * 4),
    entries: new SharedArrayBuffer(maxEntries * ENTRY_WORDS * 4),
    arena: new SharedArrayBuffer(arenaBytes),
  };
};

/** Tags of the `memo` parts of a description, in a fixed walk of it: every thread numbers them alike. */
const partTags = (root: Shape): Map<Shape, number> => {
  const tags = new Map<Shape, number>();
  const walk = (s: Shape): void => {
    switch (s.k) {
      case "memo":
        if (!tags.has(s)) tags.set(s, tags.size);
        return walk(s.of);
      case "nullable":
      case "array":
      case "kept":
        return walk(s.of);
      case "record":
        for (const f of Object.values(s.fields)) walk(f);
        return;
      case "union":
        for (const c of Object.values(s.cases)) walk(c);
        return;
      default:
        return;
    }
  };
  walk(root);
  return tags;
};

export class SharedInterner implements PartInterner {
  private readonly control: Int32Array;
  private readonly slots: Int32Array;
  private readonly entries: Int32Array;
  private readonly arena: Uint8Array;
  private readonly mask: number;
  private readonly maxEntries: number;
  private readonly tags: Map<Shape, number>;
  private readonly parts = new Map<Shape, InternedPart>();
  private readonly strings = new Map<string, number>();
  /** Values this thread has met, by id. */
  private readonly values = new Map<number, unknown>();
  private readonly scratch = new Writer();
  private readonly fp = new Int32Array(2);

  constructor(
    readonly buffers: SharedInternerBuffers,
    description: Shape,
  ) {
    this.control = new Int32Array(buffers.control);
    this.slots = new Int32Array(buffers.slots);
    this.entries = new Int32Array(buffers.entries);
    this.arena = new Uint8Array(buffers.arena);
    this.mask = this.slots.length - 1;
    this.maxEntries = buffers.maxEntries;
    this.tags = partTags(description);
  }

  get size(): number {
    return Math.min(Atomics.load(this.control, Control.Count), this.maxEntries);
  }

  /** Bytes of shared memory in use: the slots, the entries and the arena written so far. */
  get bytes(): number {
    return this.slots.byteLength + this.size * ENTRY_WORDS * 4 + Atomics.load(this.control, Control.Top);
  }

  part(shape: Shape): InternedPart {
    let p = this.parts.get(shape);
    if (!p) {
      const tag = this.tags.get(shape);
      if (tag === undefined) throw new Error("a memo part that is not in the shared interner's description");
      this.parts.set(shape, (p = { tag, ids: new WeakMap() }));
    }
    return p;
  }

  string(s: string): number {
    let id = this.strings.get(s);
    if (id === undefined) {
      this.scratch.pos = 0;
      this.scratch.string(s);
      id = this.intern(STRING_TAG, this.scratch.buf, this.scratch.pos);
      this.strings.set(s, id);
      if (!this.values.has(id)) this.values.set(id, s);
    }
    return id;
  }

  object(part: InternedPart, o: unknown, bytes: Uint8Array, n: number): number {
    const id = this.intern(part.tag, bytes, n);
    if (typeof o === "object" && o !== null) part.ids.set(o, id);
    // The first value this thread met with that content is the one it hands out (states are immutable).
    if (!this.values.has(id)) this.values.set(id, o);
    return id;
  }

  value(id: number, stored: (bytes: Uint8Array, start: number, end: number) => unknown): unknown {
    let v = this.values.get(id);
    if (v !== undefined || this.values.has(id)) return v;
    const e = id * ENTRY_WORDS;
    const start = this.entries[e + 3]!;
    v = stored(this.arena, start, start + this.entries[e + 4]!);
    this.values.set(id, v);
    return v;
  }

  /** The id of the content (tag, bytes[0, n)), stored now if no thread has stored it yet. */
  private intern(tag: number, bytes: Uint8Array, n: number): number {
    fingerprint64(bytes, n, this.fp);
    const hi = this.fp[0]! ^ Math.imul(tag + 1, 0x9e3779b1);
    const lo = this.fp[1]!;
    const slots = this.slots;
    const entries = this.entries;
    for (let i = (lo ^ Math.imul(hi, 0x85ebca6b)) & this.mask; ; ) {
      const s = Atomics.load(slots, i);
      if (s === 0) {
        if (Atomics.compareExchange(slots, i, 0, BUSY) !== 0) continue; // another thread took it: look again
        const id = Atomics.add(this.control, Control.Count, 1);
        const at = Atomics.add(this.control, Control.Top, n);
        if (id >= this.maxEntries || at + n > this.arena.length) {
          // Left BUSY: every thread that probes here waits, and every thread stops at its next intern.
          throw new SharedPartsFull(`the store of parts shared by the workers is full (${this.maxEntries} values, ${this.arena.length} bytes): it is sized from --max-states`);
        }
        this.arena.set(bytes.subarray(0, n), at);
        const e = id * ENTRY_WORDS;
        entries[e] = tag;
        entries[e + 1] = hi;
        entries[e + 2] = lo;
        entries[e + 3] = at;
        entries[e + 4] = n;
        Atomics.store(slots, i, id + 1);
        return id;
      }
      if (s === BUSY) {
        if (Atomics.load(this.control, Control.Count) > this.maxEntries) throw new SharedPartsFull("the store of parts shared by the workers is full: it is sized from --max-states");
        continue; // being published: read it again
      }
      const id = s - 1;
      const e = id * ENTRY_WORDS;
      if (entries[e + 2] === lo && entries[e + 1] === hi && entries[e] === tag && this.sameBytes(entries[e + 3]!, entries[e + 4]!, bytes, n)) return id;
      i = (i + 1) & this.mask;
    }
  }

  private sameBytes(at: number, len: number, bytes: Uint8Array, n: number): boolean {
    if (len !== n) return false;
    const a = this.arena;
    for (let k = 0; k < n; k++) if (a[at + k] !== bytes[k]) return false;
    return true;
  }
}
