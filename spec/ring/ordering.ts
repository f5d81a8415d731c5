/**
 * Memory ordering of the ring as data: each step of a writer and a reader,
 * the access it needs, and the row of QEMU's annotated pairing it implements. The shm adapter
 * (src/shm) comments each Atomics access with the same row; docs/ring.md prints this table.
 */
export interface OrderingStep {
  readonly side: "writer" | "reader";
  readonly step: string;
  /** The access as the shm adapter performs it (JavaScript Atomics are sequentially consistent). */
  readonly access: string;
  /** QEMU's barrier letter(s) from the table. */
  readonly row: string;
  readonly why: string;
}

export const RING_ORDERING: readonly OrderingStep[] = [
  { side: "writer", step: "copy descriptor, payload, padding, trailer", access: "plain stores", row: "[C]", why: "the packet must be complete before it is published" },
  { side: "writer", step: "publish write_index (once per batch)", access: "Atomics.store", row: "[C] → [D]", why: "release: a reader that loads the new index sees the packet bytes (Linux store_release)" },
  { side: "writer", step: "read interrupt_mask and read_index for the signal decision", access: "Atomics.load after the store", row: "[B]", why: "store → load needs a full barrier (Linux virt_mb), else a reader that just went idle is missed" },
  { side: "writer", step: "store pending_send_sz before waiting, then re-read read_index", access: "Atomics.store, Atomics.load", row: "[A]", why: "either the reader sees P or the writer sees the freed space: no lost wake-up" },
  { side: "reader", step: "load write_index, then read the packets it covers", access: "Atomics.load (acquire), plain loads", row: "[B]/[C]", why: "acquire pairs with the writer's release" },
  { side: "reader", step: "publish read_index (once per batch) after the packets are copied out", access: "Atomics.store", row: "[D]", why: "the writer must not overwrite bytes still being read" },
  { side: "reader", step: "read pending_send_sz (and write_index) for the signal decision", access: "Atomics.load after the store", row: "[A]", why: "pairs with the writer's [A]: store → load full barrier" },
  { side: "reader", step: "clear interrupt_mask, then re-check write_index", access: "Atomics.store, Atomics.load", row: "(hv_end_read)", why: "data written while masked came without a signal" },
];
