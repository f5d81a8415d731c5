/**
 * The spec as a host-role implementation (docs/verify.md, contract 1): a line handler that
 * answers the verifier's lines with what spec/host's reducer does. `vmbus-spec host --serve`
 * wraps it in stdin/stdout; the benchmark and tests call it in process. It calls the reducer
 * and never re-implements a rule.
 */
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import { hostRunnable, hostStep, initialHostState, type HostConfig, type HostState } from "../../spec/host/host.js";
import type { HostInput } from "../../spec/host/interface.js";
import type { HostProfileName } from "../../spec/host/profiles.js";
import { HostInputJson } from "../io/host-inputs.js";
import { formatErrors } from "../io/primitives.js";
import { visibleOutputs } from "../conformance/host-model.js";
import { RestartHost } from "./contract.js";
import { errorLine, openLine } from "./serve-line.js";

/** Bound on the runs of one step (a spec host always settles long before). */
const RUN_LIMIT = 10_000;

export interface LineServer {
  /** One line from the verifier -> the lines to print (JSON text, no newline). */
  handle(text: string): string[];
}

const err = errorLine;

export const createHostServer = (name = "vmbus-spec host --serve"): LineServer => {
  let config: HostConfig | undefined;
  let profile: HostProfileName | undefined;
  let state: HostState | undefined;
  let lineNo = 0;

  const emitStep = (input: HostInput, out: string[]): void => {
    const r = hostStep(config!, state!, input);
    state = r.state;
    for (const p of visibleOutputs(config!, r.outputs).visible) out.push(JSON.stringify(p.v));
  };

  return {
    handle(text: string): string[] {
      lineNo++;
      const opened = openLine(text, lineNo, "host", name, (p) => (profile = p));
      if ("reply" in opened) return opened.reply;
      const { json, kind } = opened;
      if (profile === undefined) return [err(`line ${lineNo}: expected hello first`)];
      if (kind === "restart") {
        const r = RestartHost.decode(json);
        if (isLeft(r)) return [err(formatErrors(`line ${lineNo}: restart`, r.left).join("; "))];
        config = { profile, devices: r.right.devices, vcpuCount: r.right.vcpus };
        state = initialHostState(config);
        return [JSON.stringify({ kind: "idle" })];
      }
      if (!config || !state) return [err(`line ${lineNo}: expected restart before inputs`)];
      if (kind === "run") return [err(`line ${lineNo}: run is the host's own business (it runs to quiescence before idle)`)];
      const d = (HostInputJson as t.Decoder<unknown, HostInput>).decode(json);
      if (isLeft(d)) return [err(formatErrors(`line ${lineNo}`, d.left).slice(0, 3).join("; "))];
      const out: string[] = [];
      emitStep(d.right, out);
      for (let i = 0; i < RUN_LIMIT && hostRunnable(config, state); i++) emitStep({ kind: "run" }, out);
      out.push(JSON.stringify({ kind: "idle" }));
      return out;
    },
  };
};
