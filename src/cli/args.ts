/**
 * A small, strict argument parser shared by every command: `--name value`, `--name=value`,
 * boolean `--flag`, and positionals. Unknown options are errors, never silently ignored.
 */
export interface OptionSpec {
  readonly name: string; // without the leading "--"
  readonly kind: "string" | "boolean";
  readonly repeatable?: boolean;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly strings: ReadonlyMap<string, readonly string[]>;
  readonly booleans: ReadonlySet<string>;
}

export class UsageError extends Error {}

export const parseArgs = (argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs => {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const positionals: string[] = [];
  const strings = new Map<string, string[]>();
  const booleans = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--") && arg.length > 2) {
      const eq = arg.indexOf("=");
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      const spec = byName.get(name);
      if (!spec) throw new UsageError(`unknown option --${name}`);
      if (spec.kind === "boolean") {
        if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
        booleans.add(name);
        continue;
      }
      let value: string;
      if (eq >= 0) value = arg.slice(eq + 1);
      else {
        const next = argv[i + 1];
        if (next === undefined || (next.startsWith("--") && next.length > 2)) throw new UsageError(`option --${name} needs a value`);
        value = next;
        i++;
      }
      const list = strings.get(name) ?? [];
      if (list.length > 0 && !spec.repeatable) throw new UsageError(`option --${name} given more than once`);
      list.push(value);
      strings.set(name, list);
      continue;
    }
    positionals.push(arg);
  }
  return { positionals, strings, booleans };
};

export const getString = (a: ParsedArgs, name: string): string | undefined => a.strings.get(name)?.[0];

/** A whole non-negative integer option (decimal or 0x-hex), with a range check. */
export const getInt = (a: ParsedArgs, name: string, min: number, max: number): number | undefined => {
  const s = getString(a, name);
  if (s === undefined) return undefined;
  const n = /^0x[0-9a-f]+$/i.test(s) ? parseInt(s.slice(2), 16) : /^\d+$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got '${s}'`);
  return n;
};
