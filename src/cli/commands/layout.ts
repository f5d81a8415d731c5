import { parseArgs, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { ALL_LAYOUTS, findLayout } from "../../../spec/wire/catalogue.js";
import { layoutText } from "../../docs/layout-render.js";

/** Edit distance, for "did you mean". */
const distance = (a: string, b: string): number => {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
};

export const closeNames = (name: string): string[] => {
  const n = name.toLowerCase();
  const scored = ALL_LAYOUTS.map((l) => ({ l: l.name, d: l.name.toLowerCase().includes(n) || n.includes(l.name.toLowerCase()) ? 0 : distance(n, l.name.toLowerCase()) }));
  return scored.sort((x, y) => x.d - y.d).slice(0, 5).map((s) => s.l);
};

export const command: Command = {
  name: "layout",
  summary: "print the byte layout tables (all, or one by name) from the spec's layout data",
  help: `usage: vmbus-spec layout [NAME] [--json]

Prints every layout (channel messages and their forms, SynIC/hypercall framing, the monitor
page, ring packets) or the one named NAME (case-insensitive, e.g. OfferChannel.preWin7,
SynicMessage, PacketDescriptor). --json prints the layout data itself. An unknown NAME exits 1
and lists close names.`,
  run: async (argv) => {
    const a = parseArgs(argv, [{ name: "json", kind: "boolean" }]);
    if (a.positionals.length > 1) throw new UsageError("give at most one layout name");
    const json = a.booleans.has("json");
    const name = a.positionals[0];
    if (name === undefined) {
      process.stdout.write(json ? JSON.stringify(ALL_LAYOUTS, null, 2) + "\n" : ALL_LAYOUTS.map(layoutText).join("\n"));
      return 0;
    }
    const l = findLayout(name);
    if (!l) {
      process.stderr.write(`vmbus-spec layout: no layout named '${name}'; close names: ${closeNames(name).join(", ")}\n`);
      return 1;
    }
    process.stdout.write(json ? JSON.stringify(l, null, 2) + "\n" : layoutText(l));
    return 0;
  },
};
