/** The host's configuration: profile, devices realized at boot, vCPUs, parameter overrides. */
import type { DeviceSpec } from "./interface.js";
import type { HostProfileName, HostProfileParameters } from "./profiles.js";

export interface HostConfig {
  readonly profile: HostProfileName;
  /** Realized at boot, in this order (relids allocated then). */
  readonly devices: readonly DeviceSpec[];
  /** VP indices 0..vcpuCount-1 exist. */
  readonly vcpuCount: number;
  /** Overrides of the profile's parameters (tests plant bugs with these). */
  readonly parameters?: Partial<HostProfileParameters>;
}
