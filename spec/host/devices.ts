/** The built-in device set (CLI `--devices default`, tests): two devices, the first with one sub-channel. */
import type { DeviceSpec } from "./interface.js";

export const DEFAULT_DEVICES: readonly DeviceSpec[] = [
  {
    name: "netvsc",
    interfaceType: "f8615163-df3e-46c5-913f-f2d2f965ed0e", // Linux HV_NIC_GUID
    interfaceInstance: "5a0b7a8e-0000-4000-8000-000000000001",
    subChannels: 1,
    channelFlags: 0,
    mmioMegabytes: 0,
    openResult: "ok",
  },
  {
    name: "storvsc",
    interfaceType: "ba6163d9-04a1-4d29-b605-72e2ffb1dc7f", // Linux HV_SCSI_GUID
    interfaceInstance: "5a0b7a8e-0000-4000-8000-000000000002",
    subChannels: 0,
    channelFlags: 0,
    mmioMegabytes: 0,
    openResult: "ok",
  },
];
