/**
 * The Linux-like guest's configuration (fact sheet §3.3, §5). Plain data.
 */
import { Version } from "../wire/versions.js";
import type { U64 } from "../wire/primitives.js";

/** Linux's version table, newest first (L-conn; 6.0 only in the newest tree @0dfaf759). */
export const LINUX_VERSIONS: readonly number[] = [
  Version.WIN10_V6_0,
  Version.WIN10_V5_3,
  Version.WIN10_V5_2,
  Version.WIN10_V5_1,
  Version.WIN10_V5,
  Version.WIN10_V4_1,
  Version.WIN10,
  Version.WIN8_1,
  Version.WIN8,
];

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
   * post fails. Linux retries 100 times with back-off (L-conn); the model uses a small bound,
   * which keeps the state space finite while still exercising the give-up path.
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
  postRetries: 2,
  parallelLanes: true,
};

/** The candidate list after applying `maxVersion` (Linux skips versions above max_version). */
export const candidateVersions = (config: GuestConfig): readonly number[] =>
  config.maxVersion === undefined ? config.versions : config.versions.filter((v) => v <= config.maxVersion!);
