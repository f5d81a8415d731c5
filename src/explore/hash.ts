/**
 * A 106-bit fingerprint of a canonical state key (two independent 53-bit cyrb53 hashes), so the
 * visited set stores short strings instead of whole states. Collision odds at a million states
 * are negligible (~1e-20).
 */
const cyrb53 = (s: string, seed: number): number => {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
};

export const fingerprint = (key: string): string => `${cyrb53(key, 1).toString(36)}:${cyrb53(key, 2).toString(36)}`;
