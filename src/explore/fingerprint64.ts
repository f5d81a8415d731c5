/**
 * The 64-bit fingerprint every visited set of the checker uses (bfs.ts, shared-table.ts, shards),
 * and the interner's content key (intern.ts). Not cryptographic: two 32-bit lanes of different
 * construction, so that a collision needs both to collide.
 */
/** 64-bit fingerprint of `buf[0, n)` as two 32-bit lanes of different construction (murmur3- and xxHash32-style). */
export const fingerprint64 = (buf: Uint8Array, n: number, out: Int32Array): void => {
  let h1 = 0x9747b28c | 0;
  let h2 = 0x165667b1 | 0;
  const words = n >> 2;
  let p = 0;
  for (let i = 0; i < words; i++, p += 4) {
    const x = buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24);
    let k = Math.imul(x, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    h2 = (h2 + Math.imul(x, 0x85ebca77)) | 0;
    h2 = (h2 << 13) | (h2 >>> 19);
    h2 = Math.imul(h2, 0x9e3779b1);
  }
  for (; p < n; p++) {
    const x = buf[p]!;
    h1 = Math.imul(h1 ^ x, 0x01000193);
    h2 = (h2 + Math.imul(x, 0x165667b1)) | 0;
    h2 = Math.imul((h2 << 11) | (h2 >>> 21), 0x9e3779b1);
  }
  h1 ^= n;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 ^= n;
  h2 ^= h2 >>> 15;
  h2 = Math.imul(h2, 0x85ebca77);
  h2 ^= h2 >>> 13;
  h2 = Math.imul(h2, 0xc2b2ae3d);
  h2 ^= h2 >>> 16;
  out[0] = h1;
  out[1] = h2;
};
