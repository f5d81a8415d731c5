/**
 * The host reducer's inputs and outputs: the contract between spec/host (the VMBus server)
 * and everything that drives it (spec/system, the CLI, the explorer, vectors).
 *
 *   hostStep(config, state, input) -> { state', outputs }
 *
 * All plain, serialisable data. Where a real host has a choice (which queued message next,
 * when its deferred work runs), the choice is an explicit input, so runs replay byte for byte.
 */
import type { Message } from "../wire/messages.js";
import type { Guid, Hex } from "../wire/primitives.js";

/** A device the host offers: one primary channel plus `subChannels` sub-channels. */
export interface DeviceSpec {
  readonly name: string;
  readonly interfaceType: Guid;
  readonly interfaceInstance: Guid;
  readonly subChannels: number;
  readonly channelFlags: number;
  readonly mmioMegabytes: number;
  /** What the device's open_channel callback returns (QEMU step 5). */
  readonly openResult: "ok" | "fail";
}

export type HostInput =
  /** The guest's HvPostMessage hypercall: answered synchronously with a hypercall status. */
  | {
      readonly kind: "postMessage";
      readonly connectionId: number;
      /** SynIC message type of the post (VMBus = 1). */
      readonly messageType: number;
      readonly payloadSize: number;
      /** The payload bytes (at most 240; payloadSize may disagree: the host checks). */
      readonly payload: Hex;
    }
  /** The host's deferred work runs once (QEMU: one vmbus_run bottom half; OpenVMM: one poll). */
  | { readonly kind: "run" }
  /** The delivery result of the host's message in flight (QEMU vmbus_msg_cb status). */
  | { readonly kind: "deliveryResult"; readonly result: "delivered" | "slotBusy" | "fatal" }
  /** The guest's HvSignalEvent hypercall. */
  | {
      readonly kind: "signalEvent";
      readonly connectionId: number;
      readonly flagNumber: number;
      /**
       * Legacy shared event (connection id 2, versions < 2.4): the relids whose bits the guest
       * set in the send half of its interrupt page (guest memory the host reads and clears).
       */
      readonly interruptPageBits?: readonly number[];
    }
  /** Device-side events. */
  | { readonly kind: "deviceAdded"; readonly device: DeviceSpec }
  | { readonly kind: "rescindChannel"; readonly relid: number }
  | { readonly kind: "deviceSignal"; readonly relid: number }
  /** Machine reset. */
  | { readonly kind: "reset" };

export type HostOutput =
  /** Status returned to the guest's hypercall (HvStatus value). */
  | { readonly kind: "hypercallStatus"; readonly status: number }
  /** A message the host posts to the guest's SINT on VP `targetVp`. */
  | {
      readonly kind: "postMessage";
      readonly message: Message;
      /** Exact bytes posted (including any padding the profile adds). */
      readonly bytes: Hex;
      /** payload_size written into the SynIC slot header. */
      readonly payloadSize: number;
      readonly targetVp: number;
      readonly sint: number;
    }
  /** An interrupt for a channel (event flag `relid`, or the legacy interrupt page). */
  | { readonly kind: "channelSignal"; readonly relid: number; readonly targetVp: number }
  /**
   * The host notifies its device of a channel event. Reasons: "opened" (device open callback
   * succeeded), "closed" (channel resources released), "reset" (device reset: bus reset or, in
   * QEMU, last channel closed), "hostNotify" (QEMU's self-notification after a successful open),
   * "guestSignal" (the guest's HvSignalEvent on the channel's connection id).
   */
  | { readonly kind: "deviceNotify"; readonly relid: number; readonly reason: string }
  /** An input the host rejected or dropped, with the rule that says so. */
  | { readonly kind: "rejected"; readonly rule: string; readonly reason: string }
  /** A real implementation would crash/abort/misbehave here: the spec records it. */
  | { readonly kind: "defect"; readonly rule: string; readonly description: string }
  /** A trace event (QEMU's hw/hyperv/trace-events names and arguments). */
  | { readonly kind: "trace"; readonly event: string; readonly args: readonly (number | string)[] };
