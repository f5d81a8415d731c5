/** `vmbus-spec ring-check`: every interleaving of a ring's writer and reader, access by access. */
import { getInt, getString, parseArgs, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { isProfileName, PROFILE_NAMES } from "../../../spec/profiles.js";
import { accessConfigProblem, type AccessConfig, type PlantedBug } from "../../../spec/ring/access.js";
import { RING_PROFILES } from "../../../spec/ring/profile.js";
import { checkRingInterleavings, formatInterleaving } from "../../ringcheck/explore.js";

const BUGS: readonly PlantedBug[] = ["readerSkipsRecheck", "writerPublishesFirst", "writerSkipsRecheck"];

const HELP = `usage: vmbus-spec ring-check [--profile P] [--data-size N] [--packets T,T,…] [--max-states N]
                            [--planted-bug B] [--json]

Explores every interleaving of one ring writer and one reader at the level of single loads and
stores of write_index, read_index, interrupt_mask, pending_send_sz and the packet bytes, with
the sleep/wake protocol (a writer waits for space with pending_send_sz; a reader sleeps with
interrupts unmasked), under sequential consistency. Every decision is the profile's rule from
spec/ring/decide.ts. Reports lost wake-ups (RING-LIVE-1) and reads of unstored bytes
(RING-SAFE-1), each with its shortest interleaving. docs/ring-interleavings.md explains the model.

--profile      strict (default), qemu, linux, openvmm, dpdk
--data-size    the data area in bytes (default 64; a multiple of 8, at least 64)
--packets      the totals (len8 × 8 + 8 bytes) the writer sends, in order (default 32,24,40,24)
--max-states   stop after this many states (default 2000000; the verdict then says "bounded")
--planted-bug  a deliberate defect to show what the checker finds: ${BUGS.join(", ")}
--json         one JSON object

Exit codes: 0 no violation (exhaustive), 1 a violation, 2 usage, 4 bounded (not exhaustive).

Example (QEMU computes no free space on a drained ring, so a waiting writer is never woken):
  $ vmbus-spec ring-check --profile qemu`;

export const command: Command = {
  name: "ring-check",
  summary: "every interleaving of a ring writer and reader, load by store: lost wake-ups, torn reads",
  help: HELP,
  run: async (argv) => {
    const a = parseArgs(argv, [
      { name: "profile", kind: "string" },
      { name: "data-size", kind: "string" },
      { name: "packets", kind: "string" },
      { name: "max-states", kind: "string" },
      { name: "planted-bug", kind: "string" },
      { name: "json", kind: "boolean" },
    ]);
    if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
    const profile = getString(a, "profile") ?? "strict";
    if (!isProfileName(profile)) throw new UsageError(`--profile must be one of ${PROFILE_NAMES.join(", ")}, got '${profile}'`);
    const dataSize = getInt(a, "data-size", 64, 1 << 16) ?? 64;
    const list = getString(a, "packets") ?? "32,24,40,24";
    if (!/^\d+(,\d+){0,15}$/.test(list)) throw new UsageError(`--packets takes 1 to 16 byte counts separated by commas, got '${list}'`);
    const bug = getString(a, "planted-bug");
    if (bug !== undefined && !(BUGS as readonly string[]).includes(bug)) throw new UsageError(`--planted-bug must be one of ${BUGS.join(", ")}, got '${bug}'`);
    const config: AccessConfig = { profile: RING_PROFILES[profile], dataSize, packets: list.split(",").map(Number), ...(bug ? { bug: bug as PlantedBug } : {}) };
    const problem = accessConfigProblem(config);
    if (problem) throw new UsageError(problem);
    const maxStates = getInt(a, "max-states", 1, 50_000_000) ?? 2_000_000;
    const r = checkRingInterleavings(config, maxStates);
    const verdict = r.findings.length > 0 ? "violation" : r.exhaustive ? "no violation (exhaustive)" : "no violation found (bounded: not exhaustive)";
    if (a.booleans.has("json")) process.stdout.write(JSON.stringify({ profile, dataSize, packets: config.packets, plantedBug: bug ?? null, ...r, verdict }) + "\n");
    else {
      process.stdout.write(`ring-check: profile ${profile}, data size ${dataSize}, packets ${config.packets.join(",")}${bug ? `, planted bug ${bug}` : ""}\n`);
      process.stdout.write(`  ${r.states} states, ${r.transitions} transitions: ${verdict}\n`);
      for (const f of r.findings) process.stdout.write(`\n${f.rule}: ${f.message}\nshortest interleaving (${f.steps.length} step${f.steps.length === 1 ? "" : "s"}; W = writer, R = reader):\n${formatInterleaving(f.steps)}\n`);
    }
    return r.findings.length > 0 ? 1 : r.exhaustive ? 0 : 4;
  },
};
