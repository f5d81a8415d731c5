/** `--devices` for the trace command: default (undefined: what the log implies), none, or a JSON file. */
import { readFileSync } from "node:fs";
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import { UsageError } from "../cli/args.js";
import { DeviceJson } from "../io/host-inputs.js";
import { formatErrors } from "../io/primitives.js";
import type { DeviceSpec } from "../../spec/host/interface.js";

export const loadDevices = (spec: string | undefined): readonly DeviceSpec[] | undefined => {
  if (spec === undefined || spec === "log") return undefined;
  if (spec === "none") return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(spec, "utf8"));
  } catch (e) {
    throw new UsageError(`--devices ${spec}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
  }
  const r = t.array(DeviceJson).decode(json);
  if (isLeft(r)) throw new UsageError(`--devices ${spec}: ${formatErrors("devices", r.left)[0]}`);
  return r.right;
};
