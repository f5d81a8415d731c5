/**
 * Profiles: where implementations disagree, the spec does not pick silently. Each area of the
 * spec (ring, host, guest, …) has its own table of named parameters per profile; this file only
 * names the profiles. `strict` is the spec's default: the behaviour that interoperates with all
 * the others.
 */
export const PROFILE_NAMES = ["strict", "qemu", "linux", "openvmm", "dpdk"] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];
export const isProfileName = (s: string): s is ProfileName => (PROFILE_NAMES as readonly string[]).includes(s);
