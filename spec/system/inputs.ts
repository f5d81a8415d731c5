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
  /** The guest posts the head of one lane of its outbox (HvPostMessage); lane 0 = bus, else a relid. */
  | { readonly kind: "guestPost"; readonly lane: number }
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
  /** The guest rings an opened channel's doorbell: HvSignalEvent with the offer's connection id. */
  | { readonly kind: "guestSignal"; readonly relid: number }
  /** A device event: the host rescinds a channel. */
  | { readonly kind: "rescind"; readonly relid: number }
  /** The Linux-like guest's kernel crashes into a kdump kernel (DriverScript.crash). */
  | { readonly kind: "guestCrash" }
  /** The kdump kernel starts: SynIC enabled again, a fresh guest connects. */
  | { readonly kind: "kdumpBoot" }
  /** The hostile guest changes its SynIC (HostileConfig.synic). */
  | { readonly kind: "hostileSynic"; readonly action: SynicAction };

export type SynicAction = "disableMessagePage" | "enableMessagePage" | "maskSint" | "unmaskSint";
export const SYNIC_ACTIONS: readonly SynicAction[] = ["disableMessagePage", "enableMessagePage", "maskSint", "unmaskSint"];

/** Every input kind with what it models (docs/system.md). */
export const INPUT_KINDS: readonly { readonly kind: SystemInput["kind"]; readonly models: string; readonly enabledWhen: string }[] = [
  { kind: "driver", models: "a driver or the kernel asks the VMBus client to open, close, create/tear down a buffer GPADL, MODIFYCHANNEL, or UNLOAD", enabledWhen: "the driver script allows it and the guest is connected (each step at most once per channel); in mixed mode only until the hostile start point" },
  { kind: "guestPost", models: "HvPostMessage of the next message of one of the guest's lanes (bus, or one per channel: Linux's concurrent driver threads); the host answers a hypercall status at once", enabledWhen: "the guest has a message to post in that lane" },
  { kind: "hostilePost", models: "the hostile guest's HvPostMessage of raw bytes (any type, boundary fields and lengths)", enabledWhen: "hostile mode, armed (from boot, or once the Linux-like guest reached the start point), and fewer hostile posts than the budget were made; whatever the host queue holds" },
  { kind: "hostRun", models: "one unit of the host's deferred work (QEMU: one vmbus_run bottom half)", enabledWhen: "the host says running would do something" },
  { kind: "deliver", models: "the host's oldest posted message meets the guest's SINT-2 slot: written if free, else the PENDING flag is set", enabledWhen: "a host message is in flight and the slot has no PENDING flag yet" },
  { kind: "guestReceive", models: "the guest copies the slot, handles the message, frees the slot, and signals EOM if PENDING was set (the waiting message goes back to the host as slotBusy)", enabledWhen: "the slot holds a message" },
  { kind: "guestSignal", models: "HvSignalEvent with the connection id from the channel's offer (flag number 0), as Linux's vmbus_set_event", enabledWhen: "the driver script signals, the guest believes the channel opened, once per open" },
  { kind: "rescind", models: "a device event: the host rescinds an offered channel", enabledWhen: "fewer rescinds than the configuration allows have happened" },
  { kind: "guestCrash", models: "the guest kernel crashes into kdump (Linux hv_crash_handler): UNLOAD posted from 3.0 (status ignored), the slot drained (EOM if PENDING), then the SynIC message page disabled and the SINT masked", enabledWhen: "the driver script allows a crash, the guest is connected, and it has not crashed yet" },
  { kind: "kdumpBoot", models: "the crash kernel starts: SynIC message page enabled, SINT unmasked, a fresh guest that connects from scratch", enabledWhen: "the guest crashed" },
  { kind: "hostileSynic", models: "the hostile guest disables or enables its SynIC message page, or masks or unmasks the VMBus SINT (QEMU hw/hyperv/hyperv.c cpu_post_msg: no message page → -ENXIO)", enabledWhen: "hostile mode with SynIC actions, armed, within the budget, and the action changes something" },
];

export const describeInput = (i: SystemInput): string =>
  match(i)
    .with({ kind: "driver" }, ({ action: a }) => `driver ${a.kind}${"relid" in a ? ` relid=${a.relid}` : ""}${"gpadl" in a ? ` gpadl=${a.gpadl}` : ""}`)
    .with({ kind: "guestPost" }, (i) => `guest posts (lane ${i.lane})`)
    .with({ kind: "hostilePost" }, (i) => `hostile post ${i.label} (conn ${i.connectionId}, ${i.payloadSize} bytes)`)
    .with({ kind: "hostRun" }, () => "host runs")
    .with({ kind: "deliver" }, () => "host message meets slot")
    .with({ kind: "guestReceive" }, () => "guest reads slot")
    .with({ kind: "guestSignal" }, (i) => `guest signals channel ${i.relid}`)
    .with({ kind: "rescind" }, (i) => `device rescinds relid ${i.relid}`)
    .with({ kind: "guestCrash" }, () => "guest kernel crashes (kdump)")
    .with({ kind: "kdumpBoot" }, () => "kdump kernel starts")
    .with({ kind: "hostileSynic" }, (i) => `hostile guest: ${i.action}`)
    .exhaustive();
