/**
 * The guest's hypercalls as the host sees them: checks in QEMU's
 * order, then the incoming queue. Answered synchronously with a hypercall status.
 */
import { CONNECTION_ID_MASK, HV_MESSAGE_VMBUS, HvStatus, Limits } from "../wire/constants.js";
import { MessageType } from "../wire/messages.js";
import { type Ctx, emit, findChannel, qtrace, reject } from "./common.js";
import type { HostInput } from "./interface.js";
import { areaHex, messageTypeAt, payloadArea } from "./raw.js";
import { qemuEnqueued } from "./qemu/schedule.js";

const status = (c: Ctx, s: number): void => emit(c, { kind: "hypercallStatus", status: s });

export const postMessageHypercall = (c: Ctx, input: Extract<HostInput, { kind: "postMessage" }>): void => {
  const area = typeof input.payload === "string" ? payloadArea(input.payload) : ({ ok: false, error: "payload must be a hex string" } as const);
  if (!area.ok || !Number.isInteger(input.payloadSize) || input.payloadSize < 0 || !Number.isInteger(input.connectionId) || !Number.isInteger(input.messageType)) {
    reject(c, "HOST-HC-7", area.ok ? "payloadSize, connectionId and messageType must be whole numbers" : area.error);
    return status(c, HvStatus.INVALID_HYPERCALL_INPUT);
  }
  // QEMU hw/hyperv/hyperv.c hyperv_hcall_post_message: payload_size, then the handler lookup.
  if (input.payloadSize > Limits.MESSAGE_PAYLOAD) {
    reject(c, "HOST-HC-2", `payload_size ${input.payloadSize} > ${Limits.MESSAGE_PAYLOAD}`);
    return status(c, HvStatus.INVALID_HYPERCALL_INPUT);
  }
  const conn = (input.connectionId & CONNECTION_ID_MASK) >>> 0;
  if (!c.p.messageConnectionIds.includes(conn)) {
    reject(c, "HOST-HC-3", `no message handler on connection id ${conn}`);
    return status(c, HvStatus.INVALID_CONNECTION_ID);
  }
  // QEMU hw/hyperv/vmbus.c vmbus_recv_message.
  if (input.messageType !== HV_MESSAGE_VMBUS) {
    reject(c, "HOST-HC-1", `SynIC message type ${input.messageType} is not VMBus (1)`);
    return status(c, HvStatus.INVALID_HYPERCALL_INPUT);
  }
  if (input.payloadSize < 8) {
    reject(c, "HOST-HC-4", `payload_size ${input.payloadSize} < 8`);
    return status(c, HvStatus.INVALID_HYPERCALL_INPUT);
  }
  const type = messageTypeAt(area.value);
  qtrace(c, "vmbus_recv_message", type, input.payloadSize);
  if (c.p.rejectUnknownTypesAtHypercall && (type === MessageType.Invalid || type >= MessageType.OpenReservedChannel)) {
    reject(c, "HOST-HC-5", `vmbus: unknown message type ${type >= 0 ? "0x" + type.toString(16) : type}`);
    return status(c, HvStatus.INVALID_HYPERCALL_INPUT);
  }
  if (c.s.rxQueue.length >= c.p.incomingQueueCapacity) {
    reject(c, "HOST-HC-6", `incoming queue full (${c.p.incomingQueueCapacity} entries)`);
    return status(c, HvStatus.INSUFFICIENT_BUFFERS);
  }
  const before = c.s.rxQueue.length;
  c.s = { ...c.s, rxQueue: [...c.s.rxQueue, { connectionId: conn, payloadSize: input.payloadSize, payload: areaHex(input.payload, area.value) }] };
  if (c.p.replyModel === "stateRunner") qemuEnqueued(c, before);
  status(c, HvStatus.SUCCESS);
};

/** Connection id QEMU/OpenVMM registers for an open channel's HvSignalEvent. */
export const channelConnectionId = (c: Ctx, relid: number): number =>
  c.p.channelConnectionId === "16+relid" ? Limits.QEMU_CHANNEL_CONNECTION_OFFSET + relid : (0x2000 | relid) >>> 0;

export const signalEventHypercall = (c: Ctx, input: Extract<HostInput, { kind: "signalEvent" }>): void => {
  if (!Number.isInteger(input.connectionId) || !Number.isInteger(input.flagNumber) || input.connectionId < 0 || input.flagNumber < 0) {
    reject(c, "HOST-HC-7", "connectionId and flagNumber must be non-negative whole numbers");
    return status(c, HvStatus.INVALID_HYPERCALL_INPUT);
  }
  if (input.flagNumber !== 0) {
    reject(c, "HOST-SIG-1", `flag number ${input.flagNumber} ≠ 0`);
    return status(c, HvStatus.INVALID_PORT_ID);
  }
  if (input.connectionId > CONNECTION_ID_MASK) {
    reject(c, "HOST-SIG-2", `connection id 0x${input.connectionId.toString(16)} has bits above the low 24`);
    return status(c, HvStatus.INVALID_HYPERCALL_INPUT);
  }
  if (input.connectionId === 2) {
    // vmbus_signal_event: with an interrupt page (< 2.4), every channel whose bit is set
    // in the page's send half has it cleared and, if open, its device notified.
    qtrace(c, "vmbus_signal_event");
    const bits = Array.isArray(input.interruptPageBits) ? input.interruptPageBits : [];
    if (c.s.interruptPage !== "0")
      for (const ch of c.s.channels) if (bits.includes(ch.relid) && ch.isOpen) emit(c, { kind: "deviceNotify", relid: ch.relid, reason: "guestSignal" });
    return status(c, HvStatus.SUCCESS);
  }
  const ch = c.s.channels.find((x) => x.isOpen && channelConnectionId(c, x.relid) === input.connectionId);
  if (!ch) {
    reject(c, "HOST-SIG-3", `no event handler on connection id ${input.connectionId}`);
    return status(c, HvStatus.INVALID_CONNECTION_ID);
  }
  emit(c, { kind: "deviceNotify", relid: ch.relid, reason: "guestSignal" });
  status(c, HvStatus.SUCCESS);
};

/** A device signals the guest on a channel (vmbus_channel_notify_guest). */
export const deviceSignal = (c: Ctx, relid: number): void => {
  const ch = findChannel(c.s, relid);
  if (!ch || !ch.isOpen) return reject(c, "HOST-SIG-4", `channel ${relid} is not open`);
  qtrace(c, "vmbus_channel_notify_guest", relid);
  emit(c, { kind: "channelSignal", relid, targetVp: ch.targetVp });
};
