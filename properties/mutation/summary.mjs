// Summarise StrykerJS JSON reports per folder (docs/testing.md "Mutation testing", docs/mutation.md):
//   node properties/mutation/summary.mjs REPORT.json... [--files] [--survivors]
//        [--equivalents docs/mutation/equivalents.json] [--write docs/mutation/score.json --date YYYY-MM-DD]
// Several reports combine, in argument order, per MUTANT (its mutator, replacement and place):
// - a later report of the same source text overlays the earlier: the mutants it has take its
//   result, the others keep theirs. So a targeted run (`--mutate 'file:LINE-LINE'`) after new
//   tests replaces exactly the mutants it re-ran.
// - a later report of a changed source keeps the earlier results only for mutants whose lines are
//   unchanged (lines matched by a longest common subsequence, as Stryker's incremental mode reuses
//   results of unchanged code); the mutants of changed lines come from the later report alone.
// Files that no longer exist are left out. A folder's score is (killed + timeout) / (killed +
// timeout + survived + no coverage), as Stryker counts it; ignored mutants (message text) and
// static ones are left out. --files adds a row per file.
// --equivalents: a survivor listed there (same file, mutator, replacement and source line text,
// so the list survives code moving) is equivalent: no test could tell it from the original. The
// table then also gives the score over the mutants that are not equivalent, and --survivors
// prints only the survivors that are neither killed nor listed (as JSON lines ready to be
// listed with a reason). Entries that match no survivor are reported as stale.
// --write: the combined figures as JSON (docs/mutation/score.json, with the SHA-256 of each file's
// measured source, so docs/mutation.md can say which files changed since), from which `npm run
// docs` renders docs/mutation.md.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const survivors = args.includes("--survivors");
const perFile = args.includes("--files");
const equivalentsFile = option("--equivalents");
const writeFile = option("--write");
const date = option("--date") ?? new Date().toISOString().slice(0, 10);
const valued = new Set([equivalentsFile, writeFile, option("--date")].filter(Boolean));
const reports = args.filter((a) => !a.startsWith("--") && !valued.has(a));
if (reports.length === 0) {
  console.error("usage: summary.mjs REPORT.json... [--files] [--survivors] [--equivalents FILE] [--write FILE --date YYYY-MM-DD]");
  process.exit(2);
}

/** For each line of `a` (0-based), the index of the same line in `b` by a longest common subsequence, or -1. */
const lineMap = (a, b) => {
  const n = a.length, m = b.length;
  const w = m + 1;
  const len = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) len[i * w + j] = a[i] === b[j] ? len[(i + 1) * w + j + 1] + 1 : Math.max(len[(i + 1) * w + j], len[i * w + j + 1]);
  const map = new Array(n).fill(-1);
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) (map[i] = j), i++, j++;
    else if (len[(i + 1) * w + j] >= len[i * w + j + 1]) i++;
    else j++;
  }
  return map;
};
const mutantKey = (m) => `${m.mutatorName}|${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column}|${String(m.replacement ?? "")}`;
/** The earlier mutants moved onto a changed source: only those whose lines all map to lines of it. */
const carry = (mutants, oldSource, newSource) => {
  const map = lineMap(oldSource.split("\n"), newSource.split("\n"));
  const out = [];
  for (const m of mutants) {
    const { start, end } = m.location;
    let ok = true;
    for (let l = start.line; l <= end.line && ok; l++) ok = map[l - 1] !== -1 && map[l - 1] - (l - 1) === map[start.line - 1] - (start.line - 1);
    if (ok) {
      const shift = map[start.line - 1] - (start.line - 1);
      out.push({ ...m, location: { start: { ...start, line: start.line + shift }, end: { ...end, line: end.line + shift } } });
    }
  }
  return out;
};

const byFile = new Map();
let stryker = "unknown";
for (const f of reports) {
  const report = JSON.parse(readFileSync(f, "utf8"));
  stryker = report.framework?.version ?? stryker;
  for (const [path, file] of Object.entries(report.files)) {
    if (!existsSync(path)) continue;
    const before = byFile.get(path);
    const kept = before === undefined ? [] : before.file.source === file.source ? before.file.mutants : carry(before.file.mutants, before.file.source, file.source);
    const merged = new Map(kept.map((m) => [mutantKey(m), m]));
    for (const m of file.mutants) merged.set(mutantKey(m), m);
    const from = [...(before === undefined ? [] : before.from.filter(() => kept.length > 0)), f];
    byFile.set(path, { file: { source: file.source, mutants: [...merged.values()] }, from });
  }
}

const lineText = (source, line) => (source.split("\n")[line - 1] ?? "").trim();
const key = (file, code, mutator, replacement) => JSON.stringify([file, code, mutator, replacement]);
const equivalents = new Map();
if (equivalentsFile) {
  const list = JSON.parse(readFileSync(equivalentsFile, "utf8")).equivalents;
  for (const e of list) equivalents.set(key(e.file, e.code, e.mutator, e.replacement), { ...e, used: false });
}

const EMPTY = () => ({ mutants: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0, equivalent: 0 });
const rows = new Map();
const files = {};
const unlisted = [];
const add = (row, m, equivalent) => {
  row.mutants++;
  if (m.status === "Killed") row.killed++;
  else if (m.status === "Timeout") row.timeout++;
  else if (m.status === "Survived") row.survived++;
  else if (m.status === "NoCoverage") row.noCoverage++;
  if (equivalent) row.equivalent++;
};
for (const [path, { file, from }] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
  const fileRow = { ...EMPTY(), reports: from.map((r) => r.replace(/^.*reports\/mutation\//, "")), sha256: createHash("sha256").update(file.source).digest("hex") };
  for (const m of file.mutants) {
    if (m.status === "Ignored" || m.status === "CompileError" || m.status === "RuntimeError") continue;
    let equivalent = false;
    if (m.status === "Survived" || m.status === "NoCoverage") {
      const code = lineText(file.source, m.location.start.line);
      const e = equivalents.get(key(path, code, m.mutatorName, String(m.replacement ?? "")));
      if (e) {
        equivalent = true;
        e.used = true;
      } else unlisted.push({ file: path, line: m.location.start.line, column: m.location.start.column, status: m.status, mutator: m.mutatorName, replacement: String(m.replacement ?? ""), code });
    }
    const folder = dirname(path);
    if (!rows.has(folder)) rows.set(folder, EMPTY());
    add(rows.get(folder), m, equivalent);
    add(fileRow, m, equivalent);
  }
  files[path] = fileRow;
}

const pct = (r) => (r.mutants ? ((100 * (r.killed + r.timeout)) / r.mutants).toFixed(1) : "–");
const pctNonEq = (r) => (r.mutants - r.equivalent ? ((100 * (r.killed + r.timeout)) / (r.mutants - r.equivalent)).toFixed(1) : "–");
const withEq = equivalentsFile !== undefined;
console.log(`| folder | mutants | killed | timeout | survived | no coverage | score |${withEq ? " equivalent | score of non-equivalent |" : ""}`);
console.log(`|---|---|---|---|---|---|---|${withEq ? "---|---|" : ""}`);
const line = (name, r) => `| ${name} | ${r.mutants} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${pct(r)} % |${withEq ? ` ${r.equivalent} | ${pctNonEq(r)} % |` : ""}`;
const total = EMPTY();
for (const [folder, r] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(line(folder, r));
  if (perFile) for (const [path, f] of Object.entries(files)) if (dirname(path) === folder) console.log(line(`&nbsp;&nbsp;${path}`, f));
  for (const k of Object.keys(total)) total[k] += r[k];
}
console.log(line("**all**", total));
if (survivors) for (const u of unlisted) console.log(JSON.stringify(u));
const stale = [...equivalents.values()].filter((e) => !e.used);
for (const e of stale) console.error(`stale equivalent (matches no survivor in these reports): ${e.file}: ${e.mutator} ${e.replacement} in \`${e.code}\``);

/** The files of spec/ with code (their build in dist/ has more than imports, type exports and comments). */
const specFiles = (dir) =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? specFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
const hasCode = (file) => {
  const js = join("dist", file.replace(/\.ts$/, ".js"));
  if (!existsSync(js)) return true;
  return readFileSync(js, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "").replace(/^\s*(import|export)\s[^;]*;\s*$/gm, "").trim().length > 0;
};

if (writeFile) {
  const unmeasured = specFiles("spec").filter((f) => !(f in files) && hasCode(f)).sort();
  const out = {
    format: "vmbus-spec-mutation-score",
    formatVersion: 2,
    date,
    stryker,
    reports: reports.map((r) => r.replace(/^.*reports\/mutation\//, "")),
    files,
    unlisted,
    unmeasured,
  };
  writeFileSync(writeFile, `${JSON.stringify(out, null, 2)}\n`);
  console.error(`wrote ${writeFile}: ${Object.keys(files).length} files, ${unlisted.length} survivor(s) neither killed nor listed as equivalent, ${unmeasured.length} file(s) with code not measured`);
}
