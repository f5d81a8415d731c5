/** The spec's own host reducer (spec/host/host.ts) as the system's host model. */
import { checkHostInvariants, hostRunnable, hostStep, hostView, initialHostState, type HostConfig, type HostState } from "../host/host.js";
import type { HostModel } from "./host-model.js";
import { createSystem, type SystemModel } from "./system.js";

export const specHost: HostModel<HostConfig, HostState> = {
  name: "spec/host",
  initial: initialHostState,
  step: hostStep,
  runnable: hostRunnable,
  view: hostView,
  invariants: checkHostInvariants,
};

/** The system with the spec's host: what `vmbus-spec check` explores. */
export const specSystem: SystemModel<HostConfig, HostState> = createSystem(specHost);
