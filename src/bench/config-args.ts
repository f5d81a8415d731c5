/**
 * The options of the benchmarks that walk one check configuration (`structure`, `reductions`):
 * `--profile`, `--channels`, `--gpadls`, `--states`, `--json`, plus their own.
 */
import { HOST_PROFILE_NAMES, type HostProfileName } from "../../spec/host/profiles.js";
import { getInt, getString, parseArgs, UsageError, type OptionSpec, type ParsedArgs } from "../cli/args.js";

export interface ConfigArgs {
  readonly args: ParsedArgs;
  readonly json: boolean;
  readonly profile: HostProfileName;
  readonly channels: number;
  readonly gpadls: number;
  readonly states: number;
}

export const parseConfigArgs = (
  argv: readonly string[],
  extra: readonly OptionSpec[],
  d: { readonly maxChannels: number; readonly channels: number; readonly gpadls: number; readonly maxStates: number; readonly states: number },
): ConfigArgs => {
  const a = parseArgs(argv, [
    { name: "json", kind: "boolean" },
    { name: "profile", kind: "string" },
    { name: "channels", kind: "string" },
    { name: "gpadls", kind: "string" },
    { name: "states", kind: "string" },
    ...extra,
  ]);
  if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
  const profile = getString(a, "profile") ?? "qemu";
  if (!(HOST_PROFILE_NAMES as readonly string[]).includes(profile)) throw new UsageError(`--profile takes ${HOST_PROFILE_NAMES.join(", ")}, got '${profile}'`);
  return {
    args: a,
    json: a.booleans.has("json"),
    profile: profile as HostProfileName,
    channels: getInt(a, "channels", 1, d.maxChannels) ?? d.channels,
    gpadls: getInt(a, "gpadls", 0, 4) ?? d.gpadls,
    states: getInt(a, "states", 1, d.maxStates) ?? d.states,
  };
};
