/** docs/host.md sections of the openvmm engineer: strict's choices against each implementation, and the openvmm model. */
import { RULES } from "../../spec/host/rules.js";
import { STRICT_CHOICES } from "../../spec/host/strict-choices.js";

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export const strictChoicesSection = (): string[] => [
  "## Why strict interoperates: its choices against QEMU, OpenVMM and Linux",
  "",
  "| Choice | strict | qemu | openvmm | Linux guest | Rules |",
  "|---|---|---|---|---|---|",
  ...STRICT_CHOICES.map((r) => `| ${cell(r.choice)} | ${cell(r.strict)} | ${cell(r.qemu)} | ${cell(r.openvmm)} | ${cell(r.linux)} | ${cell(r.rules)} |`),
  "",
];

export const openvmmSection = (): string[] => [
  "## The openvmm profile (OpenVMM vm/devices/vmbus/vmbus_server at 1488a37b)",
  "",
  "spec/host/openvmm keeps OpenVMM's own state: one channel per offer in a `ChannelState`",
  "(ClientReleased, Closed, Opening, Open, Closing, ClosingReopen, Revoked, Reoffered,",
  "ClosingClientRelease, OpeningClientRelease), the connection (Disconnected or Connected with",
  "version, features, target VP, offers sent, paused), GPADLs keyed by (gpadl id, offer) in a",
  "`GpadlState` (InProgress, Offered, OfferedTearingDown, Accepted, TearingDown), the incomplete-GPADL",
  "map, PendingMessages and the KVM backend's SynIC queue. Messages parse as vmbus_core's",
  "`Message::parse` does (per state, version, features and size); every dropped input names its",
  "ChannelError and rule. The shared HostState fields are a projection of this state.",
  "",
  "Devices, the notifier and the relay answer within the step: Opening, Closing, ClosingReopen,",
  "the *ClientRelease states, Offered GPADLs and the Connecting/Disconnecting connection states",
  "are therefore never seen between inputs. A ring GPADL torn down while its channel is open",
  "stays TearingDown until the channel closes.",
  "",
  "Guest-reachable panics (the server task stops; later posts succeed and are dropped):",
  "",
  ...RULES.filter((r) => r.id.startsWith("HOST-OPENVMM-DEFECT")).map((r) => `- **${r.id}** — ${r.sentence} (${r.source})`),
  "",
];
