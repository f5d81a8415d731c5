/** The system a `check --workers` search explores: the spec's, or one named by its module (parallel-messages.ts SystemModule). */
import type { HostConfig } from "../../spec/host/host.js";
import { specSystem } from "../../spec/system/spec-host.js";
import type { SystemModel } from "../../spec/system/system.js";
import type { SystemModule } from "./parallel-messages.js";

export type AnySystem = SystemModel<HostConfig, unknown>;

export const loadSystem = async (m: SystemModule | undefined): Promise<AnySystem> => {
  if (!m) return specSystem as unknown as AnySystem;
  const mod = (await import(m.url)) as Record<string, unknown>;
  const s = mod[m.name ?? "system"] as Partial<AnySystem> | undefined;
  if (!s || typeof s.step !== "function" || typeof s.enabled !== "function" || typeof s.initial !== "function") throw new Error(`${m.url} does not export a system model as ${m.name ?? "system"}`);
  return s as AnySystem;
};
