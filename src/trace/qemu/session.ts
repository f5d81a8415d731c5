/**
 * A reconstructed QEMU session, written out: as a `vmbus-spec host` script (src/io/host-inputs.ts
 * shapes) plus, when there are devices, a devices file for `--devices`, which together replay to
 * the same trace lines; and as a Mermaid sequence diagram.
 */
import { hostStep, initialHostState, type HostConfig } from "../../../spec/host/host.js";
import type { DeviceSpec, HostInput } from "../../../spec/host/interface.js";
import { messageTypeName } from "../../../spec/wire/messages.js";
import { formatVersion } from "../../../spec/wire/versions.js";
import { payloadArea, u32At } from "../../../spec/host/raw.js";

export interface SessionStep {
  readonly input: HostInput;
  readonly lineNo: number;
}

/** Where the devices of a script are written (the host command realizes them at boot: QEMU has no hotplug). */
export const devicesPath = (script: string): string => `${script}.devices.json`;

/** The replay command for a script. */
export const replayCommand = (script: string, devices: readonly DeviceSpec[], vcpus: number): string =>
  `vmbus-spec host --profile qemu --devices ${devices.length ? devicesPath(script) : "none"} --vcpus ${vcpus} --trace qemu < ${script}`;

export const sessionToScript = (steps: readonly SessionStep[], script: string, devices: readonly DeviceSpec[], vcpus: number, source: string): string => {
  const out = [`# Reconstructed by vmbus-spec trace from ${source.replace(/[\r\n]/g, " ")}`, `# replay: ${replayCommand(script, devices, vcpus)}`];
  let last = -1;
  for (const s of steps) {
    if (s.lineNo !== last && s.lineNo > 0) out.push(`# log line ${s.lineNo}`);
    last = s.lineNo;
    const i = s.input;
    out.push(JSON.stringify(i.kind === "postMessage" ? { kind: "postMessage", connectionId: i.connectionId, payload: i.payload, payloadSize: i.payloadSize } : i));
  }
  return out.join("\n") + "\n";
};

const typeLabel = (n: number): string => `${messageTypeName(n) ?? "type"} (${n})`;
const esc = (s: string): string => s.replace(/[;#]/g, " ").replace(/:/g, " -");

/** Guest post details worth a diagram label (version for INITIATE_CONTACT). */
const postLabel = (payload: string, size: number): string => {
  const a = payloadArea(payload);
  if (!a.ok) return `? size ${size}`;
  const type = u32At(a.value, 0);
  const extra = type === 14 && size >= 40 ? ` v${formatVersion(u32At(a.value, 8))}` : "";
  return `${typeLabel(type)}${extra}`;
};

export const sessionToMermaid = (steps: readonly SessionStep[], config: HostConfig, verdict: string): string => {
  const lines = ["sequenceDiagram", "  participant G as Guest", "  participant H as Host (QEMU)"];
  let s = initialHostState(config);
  for (const { input } of steps) {
    const r = hostStep(config, s, input);
    s = r.state;
    if (input.kind === "postMessage") lines.push(`  G->>H: ${esc(postLabel(input.payload, input.payloadSize))}`);
    else if (input.kind === "reset") lines.push("  Note over G,H: machine reset");
    else if (input.kind === "deliveryResult" && input.result !== "delivered") lines.push(`  Note over H: delivery ${input.result}`);
    else if (input.kind === "signalEvent") lines.push(`  G->>H: HvSignalEvent conn ${input.connectionId}`);
    else if (input.kind === "deviceSignal") lines.push(`  H-->>G: signal channel ${input.relid}`);
    for (const o of r.outputs) {
      if (o.kind === "postMessage") lines.push(`  H-->>G: ${esc(o.message.type)}`);
      else if (o.kind === "rejected" || o.kind === "defect") lines.push(`  Note over H: ${o.kind === "defect" ? "DEFECT " : "drops "}[${o.rule}]`);
    }
  }
  lines.push(`  Note over G,H: ${esc(verdict).slice(0, 160)}`);
  return lines.join("\n") + "\n";
};
