/**
 * One breadth-first level of `check --workers N` (parallel.ts), held as encoded states in
 * shared memory: each worker appends the new states it owns to pages of its own, cut into
 * chunks of at most RECORDS_PER_CHUNK records, and in the next level every worker claims whole
 * chunks, one at a time, from the list of all of them (an atomic cursor: a worker that finishes
 * early takes the next chunk, so an unbalanced level keeps every worker busy).
 *
 * A record: node id (32 bits), length (32 bits) and the state's encoding (encoding.ts, interned
 * with the workers' shared interner), padded to 4 bytes. Pages are PAGE_BYTES of shared memory (a state larger than
 * that gets a page of its own size). A writer alternates between two sets of pages: the level it
 * writes now, and the one written two levels ago, which every worker has finished reading when
 * the level after it starts, so its pages are overwritten instead of allocated again (allocating
 * shared memory is slow).
 *
 * Past a budget of bytes in memory (`check --workers N --queue-budget MB`, shared out among the
 * writers), a writer's full pages go to a temporary file of its own instead, as the
 * single-process queue's do (queue.ts): a chunk then names the file's descriptor, offset and
 * length, and any worker reads it back (descriptors belong to the process, not to a thread).
 * Each writer has two files, used in turn like its pages: the file written for one level is read
 * in the next and truncated when the writer starts the level after that, which every worker has
 * finished reading by then. The files are unlinked as soon as they are opened, so nothing is
 * left behind by a crash or Ctrl-C; `close()` releases them.
 */
import { closeSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const PAGE_BYTES = 1 << 18;
export const RECORDS_PER_CHUNK = 32;
const RECORD_HEADER = 8;

/** Records [start, end) of a page. */
export interface PageChunk {
  readonly page: SharedArrayBuffer;
  readonly start: number;
  readonly end: number;
}

/** Records in bytes [offset, offset + length) of a spill file, by its descriptor. */
export interface FileChunk {
  readonly fd: number;
  readonly offset: number;
  readonly length: number;
}

export type Chunk = PageChunk | FileChunk;

export interface ChunkWriterOptions {
  /** Bytes of this writer's pages of the level being written kept in memory; past it full pages go to disk (default: no limit). */
  readonly budgetBytes?: number;
  /** Bytes per page (default PAGE_BYTES; tests use small pages). */
  readonly pageBytes?: number;
  /** Directory for the spill files (default: the system's temporary directory). */
  readonly spillDir?: string;
}

const padded = (n: number): number => (n + 3) & ~3;

interface Page {
  readonly sab: SharedArrayBuffer;
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
}

const newPage = (size: number): Page => {
  const sab = new SharedArrayBuffer(size);
  return { sab, bytes: new Uint8Array(sab), words: new Int32Array(sab) };
};

export class ChunkWriter {
  private chunks: Chunk[] = [];
  /** Index in `chunks` of the current page's first chunk. */
  private pageChunks = 0;
  private readonly pageBytes: number;
  private readonly budget: number;
  /** The two spill files (opened on first need) and the one being written; the end of each. */
  private readonly files: (number | null)[] = [null, null];
  private readonly fileEnd = [0, 0];
  private file = 0;
  /** Bytes written to disk since the last take(), and in all. */
  spilledBytes = 0;
  totalSpilledBytes = 0;
  /** Pages of the level being written, and of the one before (read now by every worker). */
  private pages: Page[] = [];
  private previous: Page[] = [];
  /** Pages to write into before allocating: those of two levels ago. */
  private spare: Page[] = [];
  private page: Page | undefined;
  private used = 0;
  private chunkStart = 0;
  private records = 0;
  /** States written since the last take(), and bytes of the pages they are in. */
  states = 0;
  heldBytes = 0;

  constructor(private readonly opts: ChunkWriterOptions = {}) {
    this.pageBytes = opts.pageBytes ?? PAGE_BYTES;
    this.budget = opts.budgetBytes ?? Infinity;
    if (!(this.pageBytes >= 64 && this.pageBytes % 4 === 0)) throw new RangeError(`level page of ${this.pageBytes} bytes`);
  }

  /** The descriptors of the spill files opened so far. */
  get descriptors(): readonly number[] {
    return this.files.filter((f): f is number => f !== null);
  }

  push(node: number, buf: Uint8Array, len: number): void {
    const need = RECORD_HEADER + padded(len);
    if (this.records === RECORDS_PER_CHUNK) this.cut();
    if (!this.page || this.used + need > this.page.bytes.length) this.open(need);
    const p = this.page!;
    const at = this.used;
    p.words[at >> 2] = node;
    p.words[(at >> 2) + 1] = len;
    p.bytes.set(buf.subarray(0, len), at + RECORD_HEADER);
    this.used += need;
    this.records++;
    this.states++;
  }

  private cut(): void {
    if (this.page && this.records > 0) this.chunks.push({ page: this.page.sab, start: this.chunkStart, end: this.used });
    this.chunkStart = this.used;
    this.records = 0;
  }

  private open(need: number): void {
    this.cut();
    // The page just filled goes to disk when the level's pages in memory passed the budget.
    if (this.page && this.heldBytes > this.budget) this.spill(this.page);
    const reuse = need <= this.pageBytes ? this.spare.pop() : undefined;
    this.page = reuse ?? newPage(Math.max(this.pageBytes, need));
    this.pages.push(this.page);
    this.heldBytes += this.page.bytes.length;
    this.used = 0;
    this.chunkStart = 0;
    this.pageChunks = this.chunks.length;
  }

  /** Write the full page `p` (the current one) to the spill file; its chunks name the file; the page is free again. */
  private spill(p: Page): void {
    let fd = this.files[this.file];
    if (fd === null || fd === undefined) fd = this.files[this.file] = openSpillFile(this.opts.spillDir);
    const base = this.fileEnd[this.file]!;
    for (let off = 0; off < this.used; ) off += writeSync(fd, p.bytes, off, this.used - off, base + off);
    this.fileEnd[this.file] = base + this.used;
    for (let i = this.pageChunks; i < this.chunks.length; i++) {
      const c = this.chunks[i] as PageChunk;
      this.chunks[i] = { fd, offset: base + c.start, length: c.end - c.start };
    }
    this.spilledBytes += this.used;
    this.totalSpilledBytes += this.used;
    this.pages.pop();
    this.heldBytes -= p.bytes.length;
    if (p.bytes.length === this.pageBytes) this.spare.push(p);
  }

  /** The chunks of the level written since the last take(); its pages stay untouched until the take() after next. */
  take(): Chunk[] {
    this.cut();
    const out = this.chunks;
    this.chunks = [];
    this.pageChunks = 0;
    this.spilledBytes = 0;
    for (const p of this.previous) if (p.bytes.length === this.pageBytes) this.spare.push(p);
    this.previous = this.pages;
    this.pages = [];
    this.page = undefined;
    this.used = 0;
    this.chunkStart = 0;
    this.states = 0;
    this.heldBytes = 0;
    return out;
  }

  /**
   * A new level starts (every worker has read the level before the one just taken): the file
   * that held that level is truncated and written next.
   */
  startLevel(): void {
    this.file ^= 1;
    const fd = this.files[this.file];
    if (fd !== null && fd !== undefined && this.fileEnd[this.file]! > 0) ftruncateSync(fd, 0);
    this.fileEnd[this.file] = 0;
  }

  /** Close the spill files (a worker's are closed by Node when it ends: parallel.ts). */
  close(): void {
    for (const fd of this.descriptors) closeSync(fd);
    this.files[0] = this.files[1] = null;
  }
}

/** A temporary file for spilled pages, unlinked at once (its data lives until the descriptor is closed). */
const openSpillFile = (dir: string = tmpdir()): number => {
  const d = mkdtempSync(join(dir, "vmbus-spec-level-"));
  const path = join(d, "level");
  const fd = openSync(path, "w+", 0o600);
  rmSync(d, { recursive: true, force: true });
  return fd;
};

/** Where a worker reads a spilled chunk (grown as needed, one per thread). */
let scratch = new Uint8Array(0);

/**
 * Append every element of `from` to `to`. A loop, not `to.push(...from)`: a level of millions of
 * states has hundreds of thousands of chunks, more arguments than a call's stack can hold (the
 * spread crashed a 100-million-state search with "Maximum call stack size exceeded").
 */
export const appendAll = <T>(to: T[], from: readonly T[]): void => {
  for (const x of from) to.push(x);
};

/** Each record of a chunk: node id and the bytes [start, end) of its encoding in `bytes`; `f` returning false stops. */
export const forEachRecord = (chunk: Chunk, f: (node: number, bytes: Uint8Array, start: number, end: number) => boolean | void): void => {
  let bytes: Uint8Array;
  let from: number;
  let to: number;
  if ("fd" in chunk) {
    if (scratch.length < chunk.length) scratch = new Uint8Array(Math.max(chunk.length, 2 * scratch.length));
    for (let got = 0; got < chunk.length; ) {
      const n = readSync(chunk.fd, scratch, got, chunk.length - got, chunk.offset + got);
      if (n === 0) throw new Error(`a spilled level chunk ends early (${got} of ${chunk.length} bytes)`);
      got += n;
    }
    bytes = scratch;
    from = 0;
    to = chunk.length;
  } else {
    bytes = new Uint8Array(chunk.page);
    from = chunk.start;
    to = chunk.end;
  }
  // Records are 4-byte aligned in a page, and a chunk starts on a record.
  const words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
  for (let at = from; at < to; ) {
    const node = words[at >> 2]!;
    const len = words[(at >> 2) + 1]!;
    const start = at + RECORD_HEADER;
    if (len < 0 || start + len > to) throw new Error(`a level record of ${len} bytes at ${at} passes its chunk's end`);
    if (f(node, bytes, start, start + len) === false) return;
    at = start + padded(len);
  }
};
