/**
 * A `--devices FILE` argument (host, trace): a JSON array of devices, at most 1 MiB, decoded
 * with the closed device codec. A file that cannot be read is a FileError (exit 3); bad JSON or
 * a bad field is an InputError naming the field path (exit 2).
 */
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import type { DeviceSpec } from "../../spec/host/interface.js";
import { DeviceJson } from "../io/host-inputs.js";
import { formatErrors } from "../io/primitives.js";
import { InputError, LIMITS, readFileCapped } from "./files.js";

export const readDevicesFile = async (file: string): Promise<readonly DeviceSpec[]> => {
  const text = (await readFileCapped(file, LIMITS.smallFile)).toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`--devices ${file}: bad JSON: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
  }
  const r = t.array(DeviceJson).decode(json);
  if (isLeft(r)) throw new InputError(`--devices ${file}: ${formatErrors("devices", r.left)[0]}`);
  return r.right;
};
