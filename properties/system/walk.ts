/** Random walks over a system model: fast-check picks one enabled input per step. */
import fc from "fast-check";
import type { SystemConfig } from "../../spec/system/config.js";
import type { SystemInput } from "../../spec/system/inputs.js";
import { checkInvariants, stepViolations } from "../../spec/system/invariants.js";
import type { Violation } from "../../spec/system/outputs.js";
import type { SystemModel } from "../../spec/system/system.js";

/** Choices: each step takes enabled[choice % enabled.length]. */
export const choicesArb = (maxSteps: number): fc.Arbitrary<number[]> => fc.array(fc.nat({ max: 1_000_000 }), { minLength: maxSteps, maxLength: maxSteps });

export interface Walk {
  readonly inputs: readonly SystemInput[];
  readonly violations: readonly { readonly step: number; readonly violation: Violation }[];
}

export const walk = <HC, HS>(model: SystemModel<HC, HS>, config: SystemConfig<HC>, choices: readonly number[]): Walk => {
  let s = model.initial(config);
  const inputs: SystemInput[] = [];
  const violations: { step: number; violation: Violation }[] = [];
  for (const v of checkInvariants(model.host, config, s)) violations.push({ step: 0, violation: v });
  for (const c of choices) {
    const enabled = model.enabled(config, s);
    if (enabled.length === 0) break;
    const input = enabled[c % enabled.length]!;
    const r = model.step(config, s, input);
    inputs.push(input);
    for (const v of stepViolations(r.outputs, r.state.hostile.posts === 0)) violations.push({ step: inputs.length, violation: v });
    s = r.state;
    for (const v of checkInvariants(model.host, config, s)) violations.push({ step: inputs.length, violation: v });
  }
  return { inputs, violations };
};
