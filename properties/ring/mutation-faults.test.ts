/**
 * Every ring fault is described with the rule it applies (issue 13: the fault kinds that pick
 * the description are mutated; the rule ID and the fault's numbers must reach the line).
 */
import { describe, expect, it } from "vitest";
import { describeRingFault, type RingFault } from "../../spec/ring/faults.js";

const cases: readonly [RingFault, readonly string[]][] = [
  [{ kind: "badDataSize", rule: "RING-GEOM-1", dataSize: 60 }, ["60", "[RING-GEOM-1]"]],
  [{ kind: "indexOutOfRange", rule: "RING-IDX-1", field: "writeIndex", value: 4104, dataSize: 4096 }, ["writeIndex", "4104", "4096", "[RING-IDX-1]"]],
  [{ kind: "indexMisaligned", rule: "RING-IDX-2", field: "readIndex", value: 12 }, ["readIndex", "12", "[RING-IDX-2]"]],
  [{ kind: "packetTooLarge", rule: "RING-WRITE-3", total: 4096, limit: 4088 }, ["4096", "4088", "[RING-WRITE-3]"]],
  [{ kind: "unexpectedPacketType", rule: "RING-READ-3", type: 13 }, ["13", "[RING-READ-3]"]],
  [{ kind: "offset8TooSmall", rule: "RING-PKT-2", offset8: 1 }, ["offset8 1"]],
];

describe("describeRingFault", () => {
  for (const [fault, parts] of cases) {
    it(`${fault.rule}: a ${fault.kind} fault names its numbers and its rule`, () => {
      const line = describeRingFault(fault);
      for (const part of parts) expect(line).toContain(part);
    });
  }
});
