/** `--devices` for the trace command: default (undefined: what the log implies), none, or a JSON file. */
import type { DeviceSpec } from "../../spec/host/interface.js";
import { readDevicesFile } from "../cli/devices-file.js";

export const loadDevices = async (spec: string | undefined): Promise<readonly DeviceSpec[] | undefined> => {
  if (spec === undefined || spec === "log") return undefined;
  if (spec === "none") return [];
  return readDevicesFile(spec);
};
