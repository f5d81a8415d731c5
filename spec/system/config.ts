/**
 * A system configuration: host, guest (well-behaved Linux-like, or hostile), what the drivers
 * do, and which device events may happen. Plain data.
 */
import type { GuestConfig } from "../guest/config.js";
import type { HostileCatalogueEntry } from "./hostile.js";

/**
 * What the guest's drivers do with the channels the host offers (each step at most once per
 * channel): open the first `channels` offered channels, create `buffers` extra GPADLs on each
 * opened channel, optionally MODIFYCHANNEL, close, tear the buffers down, and finally UNLOAD.
 * With `cycles` > 1 each channel is opened (and closed) again.
 */
export interface DriverScript {
  readonly channels: number;
  /** How many times each channel is opened (open → … → close, then again). */
  readonly cycles: number;
  readonly ringPages: { readonly send: number; readonly recv: number };
  readonly buffers: number;
  readonly bufferPages: number;
  readonly modify: boolean;
  /** Signal each opened channel once per open (HvSignalEvent, SYS-SIGNAL-1). */
  readonly signal: boolean;
  readonly close: boolean;
  readonly unload: boolean;
  /**
   * The guest's kernel may crash once, at any time while connected, into a kdump kernel
   * (Linux hv_crash_handler: UNLOAD posted, the slot drained, SynIC message page disabled and
   * SINT masked; then the crash kernel re-enables the SynIC and connects afresh). Optional: off
   * when absent.
   */
  readonly crash?: boolean;
}

/**
 * Where the hostile guest starts posting. "boot": it replaces the well-behaved guest and posts
 * from the first state. The others are mixed mode: the well-behaved guest runs its driver
 * script, and once it has reached the point (and in every state after it) the hostile guest may
 * inject its posts: "connected" (the guest is connected), "open" (a channel is open with its
 * ring GPADL), "closed" (a channel was closed again).
 */
export type HostileStart = "boot" | "connected" | "open" | "closed";
export const HOSTILE_STARTS: readonly HostileStart[] = ["boot", "connected", "open", "closed"];

export interface HostileConfig {
  /** Fixed posts the hostile guest may make (built by `hostileCatalogue`). */
  readonly catalogue: readonly HostileCatalogueEntry[];
  /** Also post messages naming the live relids and GPADL ids of the current state (`liveCatalogue`). */
  readonly live: boolean;
  /** Budget: at most this many hostile posts per run (the bound on the state space). */
  readonly posts: number;
  readonly start: HostileStart;
  /**
   * The hostile guest may also disable/enable its SynIC message page and mask/unmask the VMBus
   * SINT (each counts against `posts`); delivery then fails (-ENXIO) or is never noticed.
   */
  readonly synic?: boolean;
}

export interface SystemConfig<HC> {
  readonly host: HC;
  readonly guest: GuestConfig;
  /** When set, a hostile guest posts too (start "boot": it replaces the well-behaved guest). */
  readonly hostile?: HostileConfig;
  readonly driver: DriverScript;
  /** How many RESCIND device events may happen in a run (0 = none). */
  readonly rescinds: number;
}

export const DEFAULT_DRIVER: DriverScript = {
  channels: 1,
  cycles: 1,
  ringPages: { send: 2, recv: 2 },
  buffers: 0,
  bufferPages: 1,
  modify: false,
  signal: true,
  close: true,
  unload: true,
};
