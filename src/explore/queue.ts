/**
 * A first-in first-out queue of encoded states for the breadth-first search: records
 * (node id, length, bytes) packed into chunks of typed memory, so the states waiting to be
 * expanded cost their encoded size (about 100–300 bytes) instead of a graph of live objects
 * (about 1.5 KB), and the garbage collector never walks them. Past a memory budget, full chunks
 * are written to a temporary file and read back in order (as TLC's disk state queue does): the
 * head chunk being read and the tail chunk being written stay in memory.
 *
 * The file is created in the system's temporary directory and unlinked at once where the system
 * allows it (the data lives until the descriptor is closed, so nothing is left behind by a crash
 * or Ctrl-C); `close()` releases it. A queue's file is truncated whenever the queue is empty.
 */
import { closeSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface QueueOptions {
  /** Bytes per chunk at most (default 1 MiB; the first is 4 KiB, each next twice the last); a record larger gets a chunk of its own. */
  readonly chunkBytes?: number;
  /** Bytes of chunks kept in memory before full chunks go to disk (default: no limit). */
  readonly budgetBytes?: number;
  /** Directory for the spill file (default: the system's temporary directory). */
  readonly spillDir?: string;
}

interface Chunk {
  /** The bytes, or null while the chunk is on disk. */
  data: Uint8Array | null;
  /** Bytes used. */
  used: number;
  /** Offset in the spill file (when spilled). */
  fileOffset: number;
}

/** One record handed out by `shift`: the bytes are valid until the next `shift`. */
export interface QueuedState {
  readonly node: number;
  readonly buf: Uint8Array;
  readonly start: number;
  readonly end: number;
}

const HEADER = 8; // node id (u32) + length (u32), little-endian

export class StateQueue {
  private readonly chunkBytes: number;
  private readonly budget: number;
  private readonly chunks: Chunk[] = [];
  private head = 0;
  private readPos = 0;
  private count = 0;
  private memory = 0;
  private fd: number | null = null;
  private path: string | null = null;
  private fileEnd = 0;
  /** Most bytes held in memory at once, and bytes ever written to disk. */
  peakBytes = 0;
  spilledBytes = 0;

  constructor(private readonly opts: QueueOptions = {}) {
    this.chunkBytes = opts.chunkBytes ?? 1 << 20;
    this.budget = opts.budgetBytes ?? Infinity;
    if (!(this.chunkBytes >= 64)) throw new RangeError(`queue chunk of ${this.chunkBytes} bytes`);
  }

  get length(): number {
    return this.count;
  }

  /** Append `bytes[0, n)` as the state of `node`. */
  push(bytes: Uint8Array, n: number, node: number): void {
    const need = HEADER + n;
    let tail = this.chunks.length > this.head ? this.chunks[this.chunks.length - 1]! : undefined;
    if (!tail || tail.data === null || tail.data.length - tail.used < need) {
      if (tail) this.sealed(tail);
      // Chunks grow with the queue (4 KiB first, doubling up to chunkBytes): a small level costs little.
      const size = Math.max(need, Math.min(this.chunkBytes, Math.max(4096, 2 * (tail?.data?.length ?? 0))));
      tail = { data: new Uint8Array(size), used: 0, fileOffset: -1 };
      this.chunks.push(tail);
      this.memory += tail.data!.length;
      if (this.memory > this.peakBytes) this.peakBytes = this.memory;
    }
    const d = tail.data!;
    let p = tail.used;
    d[p] = node & 0xff;
    d[p + 1] = (node >>> 8) & 0xff;
    d[p + 2] = (node >>> 16) & 0xff;
    d[p + 3] = node >>> 24;
    d[p + 4] = n & 0xff;
    d[p + 5] = (n >>> 8) & 0xff;
    d[p + 6] = (n >>> 16) & 0xff;
    d[p + 7] = n >>> 24;
    p += HEADER;
    d.set(bytes.subarray(0, n), p);
    tail.used = p + n;
    this.count++;
  }

  /** The oldest record, or null when the queue is empty. */
  shift(): QueuedState | null {
    if (this.count === 0) return null;
    let c = this.chunks[this.head]!;
    if (this.readPos >= c.used) {
      this.release(c);
      this.head++;
      this.readPos = 0;
      c = this.chunks[this.head]!;
    }
    if (c.data === null) this.load(c);
    const d = c.data!;
    const p = this.readPos;
    const node = (d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24)) >>> 0;
    const n = (d[p + 4]! | (d[p + 5]! << 8) | (d[p + 6]! << 16) | (d[p + 7]! << 24)) >>> 0;
    this.readPos = p + HEADER + n;
    this.count--;
    if (this.count === 0) this.clear();
    return { node, buf: d, start: p + HEADER, end: p + HEADER + n };
  }

  /** Bytes of chunks in memory now. */
  get memoryBytes(): number {
    return this.memory;
  }

  /** Release the spill file (the queue can be used again afterwards). */
  close(): void {
    this.clear();
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
    if (this.path !== null) {
      rmSync(this.path, { recursive: true, force: true });
      this.path = null;
    }
  }

  /** A full tail chunk: past the budget it goes to disk (it is read last, after the chunks before it). */
  private sealed(c: Chunk): void {
    if (this.memory <= this.budget || c.data === null) return;
    // The head chunk is being read: it stays in memory.
    if (this.chunks[this.head] === c) return;
    const fd = this.file();
    let off = 0;
    while (off < c.used) off += writeSync(fd, c.data, off, c.used - off, this.fileEnd + off);
    c.fileOffset = this.fileEnd;
    this.fileEnd += c.used;
    this.spilledBytes += c.used;
    this.memory -= c.data.length;
    c.data = null;
  }

  private load(c: Chunk): void {
    const data = new Uint8Array(c.used);
    let off = 0;
    while (off < c.used) {
      const n = readSync(this.fd!, data, off, c.used - off, c.fileOffset + off);
      if (n === 0) throw new Error(`queue spill file: ${c.used - off} byte(s) missing at offset ${c.fileOffset + off}`);
      off += n;
    }
    c.data = data;
    this.memory += data.length;
    if (this.memory > this.peakBytes) this.peakBytes = this.memory;
  }

  private release(c: Chunk): void {
    if (c.data !== null) this.memory -= c.data.length;
    c.data = null;
  }

  /** Empty: drop every chunk and the file's contents. */
  private clear(): void {
    for (const c of this.chunks) this.release(c);
    this.chunks.length = 0;
    this.head = 0;
    this.readPos = 0;
    if (this.fd !== null && this.fileEnd > 0) ftruncateSync(this.fd, 0);
    this.fileEnd = 0;
  }

  private file(): number {
    if (this.fd !== null) return this.fd;
    const dir = mkdtempSync(join(this.opts.spillDir ?? tmpdir(), "vmbus-spec-queue-"));
    const path = join(dir, "states");
    this.fd = openSync(path, "w+", 0o600);
    try {
      // Unlinked while open: the space is freed when the descriptor closes, even after a crash.
      rmSync(dir, { recursive: true, force: true });
    } catch {
      this.path = dir; // systems that keep open files from being removed: removed by close()
    }
    return this.fd;
  }
}
