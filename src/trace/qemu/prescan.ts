/**
 * First pass over a QEMU log: what the log implies about the machine. Devices come from the
 * vmbus_send_offer lines (QEMU prints the device's pointer, the spec its name: either way one
 * token per device; consecutive relids with the same token are one device's primary and
 * sub-channels, since QEMU allocates relids first-free when it realizes a device), the vCPU
 * count from the highest target VP named by vmbus_initiate_contact / vmbus_open_channel.
 */
import type { DeviceSpec } from "../../../spec/host/interface.js";
import { readLines } from "../lines.js";
import { argNumber } from "./events.js";
import { parseQemuLine } from "./line.js";

export interface Implied {
  readonly devices: readonly DeviceSpec[];
  readonly vcpus: number;
}

const guid = (kind: number, i: number): string => `${kind.toString(16).padStart(8, "0")}-0000-4000-8000-${(i + 1).toString(16).padStart(12, "0")}`;

export const devicesFromOffers = (offers: ReadonlyMap<number, string>): DeviceSpec[] => {
  const relids = [...offers.keys()].sort((a, b) => a - b);
  const out: DeviceSpec[] = [];
  let prev = -1;
  let prevToken = "";
  for (const r of relids) {
    const token = offers.get(r)!;
    const last = out[out.length - 1];
    if (last && r === prev + 1 && token === prevToken) out[out.length - 1] = { ...last, subChannels: last.subChannels + 1 };
    else
      out.push({ name: token, interfaceType: guid(0x7e5c0000, out.length), interfaceInstance: guid(0x7e5c0001, out.length), subChannels: 0, channelFlags: 0, mmioMegabytes: 0, openResult: "ok" });
    prev = r;
    prevToken = token;
  }
  return out;
};

/** Stops at the first line the checker would refuse anyway (binary, overlong, malformed). */
export const prescanQemu = async (path: string, shouldStop: () => boolean = () => false): Promise<Implied> => {
  const offers = new Map<number, string>();
  let maxVp = 0;
  for await (const l of readLines(path)) {
    if (l.binary || l.overlong || shouldStop()) break;
    const p = parseQemuLine(l.text);
    if (p.kind === "malformed") break;
    if (p.kind !== "event") continue;
    const e = p.event;
    if (e.name === "vmbus_send_offer") {
      const relid = argNumber(e, 0);
      if (relid >= 1 && relid <= 2047 && !offers.has(relid)) offers.set(relid, e.args[1]!);
    } else if (e.name === "vmbus_initiate_contact" || e.name === "vmbus_open_channel") {
      const vp = argNumber(e, e.name === "vmbus_initiate_contact" ? 2 : 2);
      if (vp >= 0 && vp < 4096) maxVp = Math.max(maxVp, vp);
    }
  }
  return { devices: devicesFromOffers(offers), vcpus: maxVp + 1 };
};
