/**
 * Logs printed from the spec's own sessions (tests and the benchmark): a seeded walk over the
 * system model (spec guest + spec host), printed as QEMU's log would show it (the host's
 * trace outputs) or as Linux's tracefs would (src/trace/linux/format.ts).
 */
import type { HostConfig, HostState } from "../../spec/host/host.js";
import type { SystemConfig } from "../../spec/system/config.js";
import type { SystemInput } from "../../spec/system/inputs.js";
import type { SystemOutput } from "../../spec/system/outputs.js";
import type { SystemState } from "../../spec/system/state.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { formatQemuTrace } from "../../spec/host/trace.js";
import { Prng } from "../vectors/prng.js";

export interface WalkStep {
  readonly input: SystemInput;
  readonly outputs: readonly SystemOutput[];
  readonly before: SystemState<HostState>;
}

/** A seeded walk of at most `maxSteps` enabled inputs. */
export const walkSystem = (config: SystemConfig<HostConfig>, seed: number, maxSteps: number): WalkStep[] => {
  const rng = new Prng(seed);
  let s = specSystem.initial(config);
  const out: WalkStep[] = [];
  for (let i = 0; i < maxSteps; i++) {
    const enabled = specSystem.enabled(config, s);
    if (enabled.length === 0) break;
    const input = rng.pick(enabled);
    const r = specSystem.step(config, s, input);
    out.push({ input, outputs: r.outputs, before: s });
    s = r.state;
  }
  return out;
};

/** The QEMU log lines (without the PID@time prefix) of a walk. */
export const qemuLogOf = (steps: readonly WalkStep[]): string[] =>
  steps.flatMap((st) => st.outputs.flatMap((o) => (o.source === "host" ? [formatQemuTrace(o.output)].filter((x): x is string => x !== undefined) : [])));
