/**
 * VMBus protocol versions: version = major << 16 | minor.
 * Names follow Linux's `VERSION_*` (with Microsoft mu_msvm VmbusDxe/ChannelMessages.h / OpenVMM names noted).
 */
export const Version = {
  WS2008: 0x0000000d, // 0.13, MS V1
  WIN7: 0x00010001, // 1.1
  WIN8: 0x00020004, // 2.4
  WIN8_1: 0x00030000, // 3.0
  WIN10: 0x00040000, // 4.0 (QEMU's VMBUS_VERSION_CURRENT)
  WIN10_V4_1: 0x00040001, // 4.1, MS WIN10RS3_0
  WIN10_V5: 0x00050000, // 5.0, MS WIN10RS3_1 (multiclient)
  WIN10_V5_1: 0x00050001, // 5.1, MS WIN10RS4
  WIN10_V5_2: 0x00050002, // 5.2, MS WIN10RS5
  WIN10_V5_3: 0x00050003, // 5.3, MS IRON
  WIN10_V6_0: 0x00060000, // 6.0, MS COPPER
} as const;
export type VersionName = keyof typeof Version;

/** Every defined version, oldest first. */
export const ALL_VERSIONS: readonly number[] = Object.values(Version);

/** `VERSION_INVAL` (older Linux trees, QEMU). */
export const VERSION_INVAL = 0xffffffff;

export const versionMajor = (v: number): number => (v >>> 16) & 0xffff;
export const versionMinor = (v: number): number => v & 0xffff;
/** "M.m" form used by the CLI and docs. */
export const formatVersion = (v: number): string => `${versionMajor(v)}.${versionMinor(v)}`;
/** Parse "M.m" (e.g. "4.0", "0.13"); undefined when malformed or out of range. */
export const parseVersion = (s: string): number | undefined => {
  const m = /^(\d{1,5})\.(\d{1,5})$/.exec(s.trim());
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major > 0xffff || minor > 0xffff) return undefined;
  return ((major << 16) | minor) >>> 0;
};
