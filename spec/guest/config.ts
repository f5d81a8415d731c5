/**
 * The Linux-like guest's configuration. Plain data.
 */
import { Version } from "../wire/versions.js";
import type { U64 } from "../wire/primitives.js";

/**
 * Linux's compiled `vmbus_versions` (Linux drivers/hv/connection.c), newest first. Mainline since
 * the confidential VMBus series (2025, Roman Kisel: VERSION_WIN10_V6_0 added, max_version raised
 * to 6.0) starts at 6.0; the kernels distributions ship before it — Debian's 6.1 and 6.12 — start
 * at 5.3 (the real QEMU 7.2 log shows Debian 6.1 trying 5.3, 5.2, 5.1, 5.0, 4.1, 4.0). GUEST-VERSION-6.
 */
export const LINUX_VERSIONS_BEFORE_6_0: readonly number[] = [
  Version.WIN10_V5_3,
  Version.WIN10_V5_2,
  Version.WIN10_V5_1,
  Version.WIN10_V5,
  Version.WIN10_V4_1,
  Version.WIN10,
  Version.WIN8_1,
  Version.WIN8,
];
export const LINUX_VERSIONS_MAINLINE: readonly number[] = [Version.WIN10_V6_0, ...LINUX_VERSIONS_BEFORE_6_0];

/** The version lists by kernel (GuestConfig.versions takes one of these). */
export const LINUX_KERNEL_VERSIONS: Readonly<Record<"mainline" | "debian-6.1" | "debian-6.12", readonly number[]>> = {
  mainline: LINUX_VERSIONS_MAINLINE,
  "debian-6.1": LINUX_VERSIONS_BEFORE_6_0,
  "debian-6.12": LINUX_VERSIONS_BEFORE_6_0,
};

/** The default guest's list: mainline. */
export const LINUX_VERSIONS: readonly number[] = LINUX_VERSIONS_MAINLINE;

/** Linux vmbus_post_msg: `while (retries < 100)` (GUEST-POST-1). */
export const LINUX_POST_RETRIES = 100;

export interface GuestConfig {
  /** Candidate versions, newest first (GUEST-VERSION-1). */
  readonly versions: readonly number[];
  /** Linux module parameter `max_version`: candidates above it are skipped. */
  readonly maxVersion?: number;
  /** VP index of CPU 0 (VMBUS_CONNECT_CPU): INITIATE_CONTACT target_vcpu and OPENCHANNEL target_vp. */
  readonly connectVp: number;
  /** The VTL Linux runs in (msg_vtl, ≥ 5.0). */
  readonly vtl: number;
  /** GPAs of the interrupt page and the two monitor pages (any fixed values: the host only stores them). */
  readonly interruptPage: U64;
  readonly monitorPage1: U64;
  readonly monitorPage2: U64;
  /**
   * How many times a post that failed with a retryable status (INSUFFICIENT_MEMORY,
   * INSUFFICIENT_BUFFERS, INVALID_CONNECTION_ID except INITIATE_CONTACT) is retried before the
   * post fails: Linux's 100 (LINUX_POST_RETRIES). The model checker uses a smaller bound
   * (MODEL_GUEST_CONFIG), which keeps the state space small while still reaching the give-up path.
   */
  readonly postRetries: number;
  /**
   * Whether different channels' posts may interleave (Linux: hv drivers probe asynchronously and
   * rescinds run on their own work queue). false: one post order, as the operations started.
   */
  readonly parallelLanes: boolean;
}

export const DEFAULT_GUEST_CONFIG: GuestConfig = {
  versions: LINUX_VERSIONS,
  connectVp: 0,
  vtl: 0,
  interruptPage: "1048576", // 0x100000
  monitorPage1: "1052672", // 0x101000
  monitorPage2: "1056768", // 0x102000
  postRetries: LINUX_POST_RETRIES,
  parallelLanes: true,
};

/** The guest the model checker explores: Linux's, with 2 post retries instead of 100. */
export const MODEL_GUEST_CONFIG: GuestConfig = { ...DEFAULT_GUEST_CONFIG, postRetries: 2 };

/** The candidate list after applying `maxVersion` (Linux skips versions above max_version). */
export const candidateVersions = (config: GuestConfig): readonly number[] =>
  config.maxVersion === undefined ? config.versions : config.versions.filter((v) => v <= config.maxVersion!);
