/**
 * One breadth-first level of `check --workers N` (parallel.ts), held as encoded states in
 * shared memory: each worker appends the new states it owns to pages of its own, cut into
 * chunks of at most RECORDS_PER_CHUNK records, and in the next level every worker claims whole
 * chunks, one at a time, from the list of all of them (an atomic cursor: a worker that finishes
 * early takes the next chunk, so an unbalanced level keeps every worker busy).
 *
 * A record: node id (32 bits), length (32 bits) and the state's full binary encoding
 * (encoding.ts), padded to 4 bytes. Pages are PAGE_BYTES of shared memory (a state larger than
 * that gets a page of its own size). A writer alternates between two sets of pages: the level it
 * writes now, and the one written two levels ago, which every worker has finished reading when
 * the level after it starts, so its pages are overwritten instead of allocated again (allocating
 * shared memory is slow).
 */

export const PAGE_BYTES = 1 << 18;
export const RECORDS_PER_CHUNK = 32;
const RECORD_HEADER = 8;

/** Records [start, end) of a page. */
export interface Chunk {
  readonly page: SharedArrayBuffer;
  readonly start: number;
  readonly end: number;
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
    const reuse = need <= PAGE_BYTES ? this.spare.pop() : undefined;
    this.page = reuse ?? newPage(Math.max(PAGE_BYTES, need));
    this.pages.push(this.page);
    this.heldBytes += this.page.bytes.length;
    this.used = 0;
    this.chunkStart = 0;
  }

  /** The chunks of the level written since the last take(); its pages stay untouched until the take() after next. */
  take(): Chunk[] {
    this.cut();
    const out = this.chunks;
    this.chunks = [];
    this.spare.push(...this.previous.filter((p) => p.bytes.length === PAGE_BYTES));
    this.previous = this.pages;
    this.pages = [];
    this.page = undefined;
    this.used = 0;
    this.chunkStart = 0;
    this.states = 0;
    this.heldBytes = 0;
    return out;
  }
}

/** Each record of a chunk: node id and the bytes [start, end) of its encoding in `bytes`; `f` returning false stops. */
export const forEachRecord = (chunk: Chunk, f: (node: number, bytes: Uint8Array, start: number, end: number) => boolean | void): void => {
  const words = new Int32Array(chunk.page);
  const bytes = new Uint8Array(chunk.page);
  for (let at = chunk.start; at < chunk.end; ) {
    const node = words[at >> 2]!;
    const len = words[(at >> 2) + 1]!;
    const start = at + RECORD_HEADER;
    if (f(node, bytes, start, start + len) === false) return;
    at = start + padded(len);
  }
};
