import { readStdinText } from "../files.js";
import { parseArgs, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { encodeMessage, validateMessage } from "../../../spec/wire/codec.js";
import { bytesToHex } from "../../../spec/wire/hex.js";
import { decodeMessageJson } from "../../io/messages.js";

const fail = (line: string, code = 1): number => {
  process.stderr.write(`vmbus-spec encode: ${line}\n`);
  return code;
};

export const command: Command = {
  name: "encode",
  summary: "encode a channel message given as JSON (the decode output's `message`) to canonical hex",
  help: `usage: vmbus-spec encode <json | ->

Reads one message as JSON (or a JSON array of messages; '-' reads stdin), checks it (shape,
every field's range, form rules — see docs/wire.md) and prints its canonical bytes as hex, one
line per message. Reserved fields are written as zero. Example:
  $ vmbus-spec encode '{"type":"CloseChannel","childRelid":5}'
Input that is not a message (bad JSON, a missing, mistyped or unknown field) exits 2 with one
line naming the field, e.g.
  OpenChannel.userData: expected 240 hex digits, got "00"
A message that breaks a wire rule (a value out of range, a form rule) exits 1 with the rule ID.
'-' reads at most 16 MiB from stdin.`,
  run: async (argv) => {
    const a = parseArgs(argv, []);
    if (a.positionals.length !== 1) throw new UsageError("give exactly one JSON argument (or - for stdin)");
    const text = a.positionals[0] === "-" ? await readStdinText() : a.positionals[0]!;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      return fail(`bad JSON: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`, 2);
    }
    const items = Array.isArray(json) ? json : [json];
    const out: string[] = [];
    for (const [i, item] of items.entries()) {
      const root = Array.isArray(json) ? `message[${i}]` : "message";
      const shaped = decodeMessageJson(item, root);
      if (!shaped.ok) return fail(shaped.errors[0]! + (shaped.errors.length > 1 ? ` (and ${shaped.errors.length - 1} more)` : ""), 2);
      const v = validateMessage(shaped.value);
      if (!v.ok) return fail(`${v.error.kind}: ${v.error.message}${v.error.rule ? ` [${v.error.rule}]` : ""}`);
      out.push(bytesToHex(encodeMessage(v.value)));
    }
    process.stdout.write(out.join("\n") + "\n");
    return 0;
  },
};
