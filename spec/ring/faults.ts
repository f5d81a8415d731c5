/**
 * Named ring faults. Every fault carries the ID of the rule it applies (spec/ring/rules.ts);
 * packet-format faults are the wire decoder's `PacketError`s (RING-PKT-*).
 */
import { match } from "ts-pattern";
import { describePacketError, type PacketError } from "../wire/packet.js";

export type IndexField = "writeIndex" | "readIndex";

export type RingFault =
  | PacketError
  | { readonly kind: "badDataSize"; readonly rule: "RING-GEOM-1"; readonly dataSize: number }
  | { readonly kind: "indexOutOfRange"; readonly rule: "RING-IDX-1"; readonly field: IndexField; readonly value: number; readonly dataSize: number }
  | { readonly kind: "indexMisaligned"; readonly rule: "RING-IDX-2"; readonly field: IndexField; readonly value: number }
  | { readonly kind: "packetTooLarge"; readonly rule: "RING-WRITE-3"; readonly total: number; readonly limit: number }
  | { readonly kind: "unexpectedPacketType"; readonly rule: "RING-READ-3"; readonly type: number };

export type RingFaultKind = RingFault["kind"];

export const describeRingFault = (f: RingFault): string =>
  match(f)
    .with({ kind: "badDataSize" }, (x) => `data size ${x.dataSize} is not a multiple of 8 of at least 64 [${x.rule}]`)
    .with({ kind: "indexOutOfRange" }, (x) => `${x.field} ${x.value} is not below the data size ${x.dataSize} [${x.rule}]`)
    .with({ kind: "indexMisaligned" }, (x) => `${x.field} ${x.value} is not a multiple of 8 [${x.rule}]`)
    .with({ kind: "packetTooLarge" }, (x) => `packet of ${x.total} bytes (trailer included) exceeds the limit ${x.limit} [${x.rule}]`)
    .with({ kind: "unexpectedPacketType" }, (x) => `packet type ${x.type} is not accepted by this reader [${x.rule}]`)
    .otherwise((x) => describePacketError(x as PacketError));
