/**
 * The KVM backend's HvPostMessage / HvSignalEvent (OpenVMM vm/hv1/hv1_hypercall/src/imp.rs:41-70,
 * vmm_core/virt/src/synic.rs:49-103, vmm_core/virt_kvm/src/arch/x86_64/mod.rs:1515-1529 at
 * 1488a37b): profile parameter `hypercallBackend: "kvm"`. Only payload_size > 240 and the port
 * lookup (whole 32-bit connection id) are checked; the SynIC message type, a short payload and the
 * event flag number are not.
 */
import { HvStatus, Limits } from "../../wire/constants.js";
import { bytesToHex } from "../../wire/hex.js";
import { type Ctx, emit, reject } from "../common.js";
import { channelConnectionId } from "../hypercall.js";
import type { HostInput } from "../interface.js";
import { payloadArea } from "../raw.js";

const status = (c: Ctx, st: number): void => emit(c, { kind: "hypercallStatus", status: st });

/** HvPostMessage on the KVM backend (hv1_hypercall imp.rs:41, virt/src/synic.rs:49). */
export const kvmPostMessage = (c: Ctx, i: Extract<HostInput, { kind: "postMessage" }>): void => {
  const area = typeof i.payload === "string" ? payloadArea(i.payload) : ({ ok: false, error: "payload must be a hex string" } as const);
  if (!area.ok || !Number.isInteger(i.payloadSize) || i.payloadSize < 0 || !Number.isInteger(i.connectionId)) {
    reject(c, "HOST-HC-7", area.ok ? "payloadSize and connectionId must be whole numbers" : area.error);
    return status(c, HvStatus.INVALID_HYPERCALL_INPUT);
  }
  if (i.payloadSize > Limits.MESSAGE_PAYLOAD) {
    reject(c, "HOST-OPENVMM-HC-1", `payload_size ${i.payloadSize} > 240: InvalidParameter`);
    return status(c, HV_STATUS_INVALID_PARAMETER);
  }
  if (!c.p.messageConnectionIds.includes(i.connectionId >>> 0)) {
    reject(c, "HOST-OPENVMM-HC-2", `no message port on connection id ${i.connectionId >>> 0}`);
    return status(c, HvStatus.INVALID_CONNECTION_ID);
  }
  if (c.s.openvmm?.crashed) {
    // The receiver is gone: the port's send fails, is logged, and the hypercall succeeds (lib.rs:2240).
    reject(c, "HOST-OPENVMM-CRASHED-1", `the server task panicked (${c.s.openvmm?.crashed}): message dropped`);
    return status(c, HvStatus.SUCCESS);
  }
  if (c.s.rxQueue.length >= c.p.incomingQueueCapacity) {
    reject(c, "HOST-OPENVMM-HC-3", `message port queue full (${c.p.incomingQueueCapacity})`);
    return status(c, HvStatus.INSUFFICIENT_BUFFERS);
  }
  c.s = { ...c.s, rxQueue: [...c.s.rxQueue, { connectionId: i.connectionId >>> 0, payloadSize: i.payloadSize, payload: bytesToHex(area.value) }] };
  status(c, HvStatus.SUCCESS);
};

/** HV_STATUS_INVALID_PARAMETER. */
export const HV_STATUS_INVALID_PARAMETER = 5;

export const kvmSignalEvent = (c: Ctx, i: Extract<HostInput, { kind: "signalEvent" }>): void => {
  if (!Number.isInteger(i.connectionId) || !Number.isInteger(i.flagNumber) || i.connectionId < 0 || i.flagNumber < 0) {
    reject(c, "HOST-HC-7", "connectionId and flagNumber must be non-negative whole numbers");
    return status(c, HvStatus.INVALID_HYPERCALL_INPUT);
  }
  // openvmm: the event port of an open channel is the connection id its OPENCHANNEL settled on.
  const own = c.s.openvmm?.channels.find((x) => x.state === "Open" && x.params?.connectionId === i.connectionId);
  const ch = c.s.openvmm ? c.s.channels.find((x) => x.relid === own?.channelId) : c.s.channels.find((x) => x.isOpen && channelConnectionId(c, x.relid) === i.connectionId);
  if (!ch) {
    reject(c, "HOST-OPENVMM-HC-2", `no event port on connection id ${i.connectionId}`);
    return status(c, HvStatus.INVALID_CONNECTION_ID);
  }
  emit(c, { kind: "deviceNotify", relid: ch.relid, reason: "guestSignal" });
  status(c, HvStatus.SUCCESS);
};

