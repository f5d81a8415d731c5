// Summarise StrykerJS JSON reports per folder (docs/testing.md "Score"):
//   node properties/mutation/summary.mjs reports/mutation/*/mutation.json [--survivors] [--files]
// Several reports combine: a file's mutants come from the LAST report (in argument order) that
// has the file, so a re-run of one scope replaces that scope's figures. Files that no longer
// exist (moved out of spec/) are left out. A folder's score is (killed + timeout) / (killed +
// timeout + survived + no coverage), as Stryker counts it; ignored mutants (message text) and
// static ones are left out. --files adds a row per file.
import { existsSync, readFileSync } from "node:fs";
import { dirname } from "node:path";

const args = process.argv.slice(2);
const survivors = args.includes("--survivors");
const perFile = args.includes("--files");
const reports = args.filter((a) => !a.startsWith("--"));
const byFile = new Map();
for (const f of reports) {
  const report = JSON.parse(readFileSync(f, "utf8"));
  for (const [path, file] of Object.entries(report.files)) if (existsSync(path)) byFile.set(path, { file, from: f });
}
const rows = new Map();
const list = [];
const add = (key, m) => {
  const row = rows.get(key) ?? { mutants: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
  row.mutants++;
  if (m.status === "Killed") row.killed++;
  else if (m.status === "Timeout") row.timeout++;
  else if (m.status === "Survived") row.survived++;
  else if (m.status === "NoCoverage") row.noCoverage++;
  rows.set(key, row);
};
for (const [path, { file }] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
  for (const m of file.mutants) {
    if (m.status === "Ignored" || m.status === "CompileError" || m.status === "RuntimeError") continue;
    add(dirname(path), m);
    if (perFile) add(path, m);
    if (m.status === "Survived" || m.status === "NoCoverage") list.push(`${path}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName}: ${String(m.replacement ?? "").replace(/\s+/g, " ").slice(0, 120)}`);
  }
}
const pct = (r) => (r.mutants ? ((100 * (r.killed + r.timeout)) / r.mutants).toFixed(1) : "–");
console.log("| folder | mutants | killed | timeout | survived | no coverage | score |");
console.log("|---|---|---|---|---|---|---|");
const total = { mutants: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
for (const [key, r] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`| ${key.endsWith(".ts") ? `&nbsp;&nbsp;${key}` : key} | ${r.mutants} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${pct(r)} % |`);
  if (!key.endsWith(".ts")) for (const k of Object.keys(total)) total[k] += r[k];
}
console.log(`| **all** | ${total.mutants} | ${total.killed} | ${total.timeout} | ${total.survived} | ${total.noCoverage} | ${pct(total)} % |`);
if (survivors) for (const l of list) console.log(l);
