/**
 * The host as the system sees it: the five functions of spec/host/host.ts, passed in as data so
 * that the same system model runs the real host reducer, a test stub, or a host with a planted
 * bug. Every function is pure; the host state is plain serialisable data.
 */
import type { HostInput, HostOutput } from "../host/interface.js";

/** What the system's invariants read from the host (a subset of spec/host `hostView`). */
export interface HostView {
  readonly connected: boolean;
  readonly version: number | undefined;
  readonly offeredRelids: readonly number[];
  readonly openChannels: readonly { readonly relid: number; readonly gpadl: number }[];
  readonly gpadls: readonly { readonly id: number; readonly childRelid: number; readonly complete: boolean; readonly state: string }[];
  readonly messageInFlight: boolean;
  readonly queuedIncoming: number;
}

export interface HostModel<HC, HS> {
  /** Short name for reports ("spec/host", "stub", …). */
  readonly name: string;
  readonly initial: (config: HC) => HS;
  readonly step: (config: HC, state: HS, input: HostInput) => { readonly state: HS; readonly outputs: readonly HostOutput[] };
  readonly runnable: (config: HC, state: HS) => boolean;
  readonly view: (state: HS) => HostView;
  readonly invariants: (config: HC, state: HS) => readonly { readonly rule: string; readonly message: string }[];
}
