/**
 * Everything that can happen next in the system, as data. A run is a list of these; replaying
 * it reproduces the run byte for byte.
 */
import { match } from "ts-pattern";
import type { DriverAction } from "../guest/io.js";
import type { Hex } from "../wire/primitives.js";

export type SystemInput =
  /** A guest driver action (open, close, unload, …). */
  | { readonly kind: "driver"; readonly action: DriverAction }
  /** The guest posts the head of its outbox (HvPostMessage). */
  | { readonly kind: "guestPost" }
  /** The hostile guest posts raw bytes. */
  | {
      readonly kind: "hostilePost";
      readonly label: string;
      readonly connectionId: number;
      readonly payloadSize: number;
      readonly payload: Hex;
    }
  /** The host's deferred work runs once. */
  | { readonly kind: "hostRun" }
  /** The host's oldest in-flight message meets the guest's slot (delivered, or slot busy). */
  | { readonly kind: "deliver" }
  /** The guest copies and frees its slot, signalling EOM if the pending flag was set. */
  | { readonly kind: "guestReceive" }
  /** A device event: the host rescinds a channel. */
  | { readonly kind: "rescind"; readonly relid: number };

export const describeInput = (i: SystemInput): string =>
  match(i)
    .with({ kind: "driver" }, ({ action: a }) => `driver ${a.kind}${"relid" in a ? ` relid=${a.relid}` : ""}${"gpadl" in a ? ` gpadl=${a.gpadl}` : ""}`)
    .with({ kind: "guestPost" }, () => "guest posts")
    .with({ kind: "hostilePost" }, (i) => `hostile post ${i.label} (conn ${i.connectionId}, ${i.payloadSize} bytes)`)
    .with({ kind: "hostRun" }, () => "host runs")
    .with({ kind: "deliver" }, () => "host message meets slot")
    .with({ kind: "guestReceive" }, () => "guest reads slot")
    .with({ kind: "rescind" }, (i) => `device rescinds relid ${i.relid}`)
    .exhaustive();
