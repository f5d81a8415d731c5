// Summarise StrykerJS JSON reports per folder (docs/testing.md "Score"):
//   node properties/mutation/summary.mjs reports/mutation/*/mutation.json [--survivors]
// A folder's score is (killed + timeout) / (killed + timeout + survived + no coverage), as
// Stryker counts it; ignored mutants (message text) and static ones are left out.
import { readFileSync } from "node:fs";
import { dirname } from "node:path";

const args = process.argv.slice(2);
const survivors = args.includes("--survivors");
const files = args.filter((a) => !a.startsWith("--"));
const folders = new Map();
const list = [];
for (const f of files) {
  const report = JSON.parse(readFileSync(f, "utf8"));
  for (const [path, file] of Object.entries(report.files)) {
    const folder = dirname(path);
    const row = folders.get(folder) ?? { mutants: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
    for (const m of file.mutants) {
      if (m.status === "Ignored" || m.status === "CompileError" || m.status === "RuntimeError") continue;
      row.mutants++;
      if (m.status === "Killed") row.killed++;
      else if (m.status === "Timeout") row.timeout++;
      else if (m.status === "Survived") row.survived++;
      else if (m.status === "NoCoverage") row.noCoverage++;
      if (m.status === "Survived" || m.status === "NoCoverage") list.push(`${path}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName}: ${String(m.replacement ?? "").replace(/\s+/g, " ").slice(0, 120)}`);
    }
    folders.set(folder, row);
  }
}
const pct = (r) => (r.mutants ? ((100 * (r.killed + r.timeout)) / r.mutants).toFixed(1) : "–");
console.log("| folder | mutants | killed | timeout | survived | no coverage | score |");
console.log("|---|---|---|---|---|---|---|");
const total = { mutants: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
for (const [folder, r] of [...folders].sort()) {
  console.log(`| ${folder} | ${r.mutants} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${pct(r)} % |`);
  for (const k of Object.keys(total)) total[k] += r[k];
}
console.log(`| **all** | ${total.mutants} | ${total.killed} | ${total.timeout} | ${total.survived} | ${total.noCoverage} | ${pct(total)} % |`);
if (survivors) for (const l of list) console.log(l);
