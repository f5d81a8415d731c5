/**
 * HOST-OFFER-6 planted in a queue-model host (spec/host/host.ts initialHostState): the devices are
 * grouped by interface type, the types ascending, each type's devices in their given order.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { initialHostState } from "../../spec/host/host.js";
import { config } from "./helpers.js";

const dev = (name: string, interfaceType: string) => ({ ...DEFAULT_DEVICES[1]!, name, interfaceType, subChannels: 0 });
const names = (devices: ReturnType<typeof dev>[], offerOrder: "device" | "interfaceInstance") =>
  initialHostState(config("strict", { devices, parameters: { offerOrder } })).devices.map((d) => d.name);

describe("HOST-OFFER-6: interface type order, then offer order", () => {
  const [a, b, c] = ["0a000000-0000-0000-0000-000000000000", "0b000000-0000-0000-0000-000000000000", "0c000000-0000-0000-0000-000000000000"];
  const devices = [dev("c1", c), dev("a1", a), dev("c2", c), dev("b1", b), dev("a2", a), dev("c3", c), dev("a3", a)];

  it("three types interleaved: each type's devices keep their order", () => {
    expect(names(devices, "interfaceInstance")).toEqual(["a1", "a2", "a3", "b1", "c1", "c2", "c3"]);
  });
  it("the same devices reversed: the types still ascend, the devices of a type are reversed", () => {
    expect(names([...devices].reverse(), "interfaceInstance")).toEqual(["a3", "a2", "a1", "b1", "c3", "c2", "c1"]);
  });
  it("offer order 'device' keeps the given order; relids follow the order", () => {
    expect(names(devices, "device")).toEqual(["c1", "a1", "c2", "b1", "a2", "c3", "a3"]);
    expect(initialHostState(config("strict", { devices, parameters: { offerOrder: "interfaceInstance" } })).channels.map((ch) => [ch.device, ch.relid])).toEqual([
      [0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 6], [6, 7],
    ]);
  });
});
