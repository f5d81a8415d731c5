/**
 * HOST-OFFER-2 / HOST-OFFER-8 at device realize (spec/host/host.ts realize, spec/host/common.ts
 * freeRelids): how many channels a device spec asks for, the 2047-relid ceiling exactly, and the
 * interface-type order when that parameter is planted in a queue-model host.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { initialHostState } from "../../spec/host/host.js";
import { Harness, config } from "./helpers.js";

const dev = (name: string, subChannels: number) => ({ ...DEFAULT_DEVICES[1]!, name, subChannels });
const relidsOf = (devices: ReturnType<typeof dev>[]) => initialHostState(config("strict", { devices })).channels.map((ch) => [ch.device, ch.subChannelIndex, ch.relid]);

describe("HOST-OFFER-2: a device's channels get the first free relids", () => {
  it("the sub-channel count is floored; a negative, NaN or infinite count means the primary channel alone", () => {
    expect(relidsOf([dev("a", 1.9), dev("b", -2), dev("c", Number.NaN), dev("d", Number.POSITIVE_INFINITY), dev("e", 2)])).toEqual([
      [0, 0, 1], [0, 1, 2], [1, 0, 3], [2, 0, 4], [3, 0, 5], [4, 0, 6], [4, 1, 7], [4, 2, 8],
    ]);
  });

  it("HOST-OFFER-8: exactly 2047 channels fit; one more hot-added channel gets no relid", () => {
    const h = new Harness(config("strict", { devices: [...DEFAULT_DEVICES, dev("big", 2043)] }));
    expect(h.state.channels.length).toBe(2047);
    expect(h.state.channels.at(-1)!.relid).toBe(2047);
    h.step({ kind: "deviceAdded", device: dev("late", 0) });
    expect(h.rejections()).toEqual(["HOST-OFFER-8"]);
    expect(h.state.channels.length).toBe(2047);
    expect(h.state.devices.length).toBe(3);
    // one device of 2047 channels alone also fits
    expect(initialHostState(config("strict", { devices: [dev("all", 2046)] })).channels.length).toBe(2047);
  });

  it("HOST-OFFER-6 order planted in a strict host: devices sorted by interface type, then by their order", () => {
    const [net, scsi] = [DEFAULT_DEVICES[0]!, DEFAULT_DEVICES[1]!]; // net's interface type sorts after scsi's
    const devices = [{ ...net, subChannels: 0 }, scsi, { ...net, name: "net2", subChannels: 0, interfaceInstance: "00000000-0000-4000-8000-000000000000" }, { ...scsi, name: "scsi2" }];
    const s = initialHostState(config("strict", { devices, parameters: { offerOrder: "interfaceInstance" } }));
    expect(s.devices.map((d) => d.name)).toEqual(["storvsc", "scsi2", "netvsc", "net2"]);
    expect(s.channels.map((ch) => ch.relid)).toEqual([1, 2, 3, 4]);
    expect(initialHostState(config("strict", { devices })).devices.map((d) => d.name)).toEqual(["netvsc", "storvsc", "net2", "scsi2"]);
  });
});

describe("a profile name the host does not know", () => {
  it("is read as strict (spec/host/profiles.ts resolveParameters)", () => {
    const odd = { ...config("strict"), profile: "bogus" as unknown as "strict" };
    expect(initialHostState(odd)).toEqual(initialHostState(config("strict")));
    const h = new Harness(odd);
    h.step({ kind: "deviceAdded", device: dev("late", 0) }); // qemu would refuse it (HOST-OFFER-9)
    expect(h.rejections()).toEqual([]);
    expect(h.state.channels.length).toBe(4);
  });
});
