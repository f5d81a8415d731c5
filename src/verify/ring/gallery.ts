/** The ring bug gallery: compile-time switches of docs/examples/ring-c/ring.c (the gallery table of docs/verify-ring.md). */

/** Gallery: bug switch of docs/examples/ring-c/ring.c → the rule the verifier names. */
export const RING_GALLERY: readonly { readonly bug: string; readonly rule: string }[] = [
  { bug: "FILL_COMPLETELY", rule: "RING-WRITE-1" },
  { bug: "IGNORE_MASK", rule: "RING-WRITE-6" },
  { bug: "SIGNAL_EVERY_PACKET", rule: "RING-WRITE-6" },
  { bug: "PENDING_TOTAL", rule: "RING-WRITE-7" },
  { bug: "PENDING_NOT_CLEARED", rule: "RING-WRITE-7" },
  { bug: "SKIP_TRAILER", rule: "RING-READ-2" },
  { bug: "NO_TRAILER_WAIT", rule: "RING-PKT-4" },
  { bug: "NO_TRAILER_WRITE", rule: "RING-WRITE-5" },
  { bug: "NO_INDEX_CHECK", rule: "RING-IDX-1" },
  { bug: "READER_SIGNAL_AT_EQUAL", rule: "RING-READ-4" },
  { bug: "READER_IGNORES_PENDING", rule: "RING-READ-4" },
];
