/**
 * Runs as data: the list of inputs plus, per step, the bytes of every message that crossed the
 * transport. Replaying the inputs must reproduce those bytes exactly.
 */
import { match } from "ts-pattern";
import { canonicalKey } from "./canonical.js";
import type { SystemConfig } from "./config.js";
import type { SystemInput } from "./inputs.js";
import type { SystemOutput } from "./outputs.js";
import type { SystemModel } from "./system.js";
import type { Hex } from "../wire/primitives.js";

export interface RunMessage {
  /** "guestToHost": an HvPostMessage (with its status); "hostToGuest": a message written into the slot. */
  readonly direction: "guestToHost" | "hostToGuest";
  readonly messageType: number;
  readonly payloadSize: number;
  readonly hex: Hex;
  readonly connectionId?: number;
  readonly status?: number;
}

export interface RunStep {
  readonly input: SystemInput;
  readonly messages: readonly RunMessage[];
}

export const runMessages = (outputs: readonly SystemOutput[]): readonly RunMessage[] =>
  outputs.flatMap((o): RunMessage[] =>
    o.source !== "transport"
      ? []
      : match(o.event)
          .with({ kind: "post" }, (e): RunMessage[] => [
            { direction: "guestToHost", messageType: e.messageType, payloadSize: e.payloadSize, hex: e.payload, connectionId: e.connectionId, status: e.status },
          ])
          .with({ kind: "delivered" }, (e): RunMessage[] => [{ direction: "hostToGuest", messageType: e.messageType, payloadSize: e.payloadSize, hex: e.payload }])
          .with({ kind: "slotBusy" }, { kind: "slotFreed" }, { kind: "signal" }, { kind: "deliveryFailed" }, { kind: "synic" }, () => [])
          .exhaustive(),
  );

/** Run `inputs` from the initial state; an input that is not enabled ends the run early. */
export const recordRun = <HC, HS>(model: SystemModel<HC, HS>, config: SystemConfig<HC>, inputs: readonly SystemInput[]): readonly RunStep[] => {
  let s = model.initial(config);
  const steps: RunStep[] = [];
  for (const input of inputs) {
    const key = canonicalKey(input);
    if (!model.enabled(config, s).some((e) => canonicalKey(e) === key)) break;
    const r = model.step(config, s, input);
    steps.push({ input, messages: runMessages(r.outputs) });
    s = r.state;
  }
  return steps;
};

export type ReplayResult =
  | { readonly ok: true; readonly steps: number }
  | { readonly ok: false; readonly step: number; readonly reason: string };

/** Replay a recorded run: every input must be enabled and reproduce the recorded bytes exactly. */
export const replayRun = <HC, HS>(model: SystemModel<HC, HS>, config: SystemConfig<HC>, recorded: readonly RunStep[]): ReplayResult => {
  let s = model.initial(config);
  for (const [i, step] of recorded.entries()) {
    const key = canonicalKey(step.input);
    if (!model.enabled(config, s).some((e) => canonicalKey(e) === key)) return { ok: false, step: i + 1, reason: `input ${key} is not enabled` };
    const r = model.step(config, s, step.input);
    const got = runMessages(r.outputs);
    if (canonicalKey(got) !== canonicalKey(step.messages))
      return { ok: false, step: i + 1, reason: `messages differ: recorded ${canonicalKey(step.messages)}, replayed ${canonicalKey(got)}` };
    s = r.state;
  }
  return { ok: true, steps: recorded.length };
};
