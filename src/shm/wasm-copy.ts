/**
 * A plain memmove inside the ring's shared memory. V8 copies into or out of a
 * SharedArrayBuffer with TypedArray.set as a word-by-word relaxed-atomic loop (base::Relaxed_Memcpy,
 * byte-by-byte when source and destination are not equally 8-aligned): about half of memcpy's
 * bandwidth. WebAssembly's `memory.copy` on a shared WebAssembly.Memory is a real memmove. It
 * can only copy within its memory, so a ring created with staging areas (handle.ts) lives in a
 * shared WebAssembly.Memory and an endpoint copies between its staging area and the ring with it.
 * Memory access only, like copy.ts.
 */

/** The subset of the WebAssembly JS API used here (lib "ES2022" has no WebAssembly types). */
export interface SharedWasmMemory {
  readonly buffer: SharedArrayBuffer;
}
interface WasmApi {
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => SharedWasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { readonly exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

export const WASM_PAGE = 65536;
/** Largest shared memory the copy module accepts (its import's maximum, in pages: 4 GiB). */
const MAX_PAGES = 65536;

// (module (import "m" "m" (memory 1 65536 shared))
//   (func (export "cp") (param $dst i32) (param $src i32) (param $len i32)
//     local.get $dst local.get $src local.get $len memory.copy))
const MODULE_BYTES = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x07, 0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00,
  0x02, 0x0b, 0x01, 0x01, 0x6d, 0x01, 0x6d, 0x02, 0x03, 0x01, 0x80, 0x80, 0x04,
  0x03, 0x02, 0x01, 0x00,
  0x07, 0x06, 0x01, 0x02, 0x63, 0x70, 0x00, 0x00,
  0x0a, 0x0e, 0x01, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfc, 0x0a, 0x00, 0x00, 0x0b,
]);

/** memmove(memory + dst, memory + src, len); offsets are byte offsets into the memory's buffer. */
export type MemCopy = (dst: number, src: number, len: number) => void;

export const wasmAvailable = (): boolean => wasm !== undefined;

/** A shared WebAssembly.Memory of at least `bytes` bytes (its buffer is a SharedArrayBuffer). */
export const sharedMemory = (bytes: number): SharedWasmMemory => {
  if (!wasm) throw new Error("WebAssembly is not available");
  const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE));
  if (pages > MAX_PAGES) throw new RangeError(`${bytes} bytes exceed a 4 GiB shared memory`);
  return new wasm.Memory({ initial: pages, maximum: pages, shared: true });
};

let compiled: object | null = null;
/** The memmove of `memory` (one tiny instance per endpoint). */
export const memCopyOf = (memory: SharedWasmMemory): MemCopy => {
  if (!wasm) throw new Error("WebAssembly is not available");
  compiled ??= new wasm.Module(MODULE_BYTES);
  return new wasm.Instance(compiled, { m: { m: memory } }).exports.cp as MemCopy;
};
