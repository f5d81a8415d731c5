/** Pure text renderings of layouts (used by docs/wire.md and the `layout` command). */
import type { Layout } from "../../spec/wire/layout.js";

const cell = (s: string | undefined): string => (s ?? "").replace(/\|/g, "\\|");

/** One layout as a Markdown table. */
export const layoutMarkdown = (l: Layout): string => {
  const rows = l.fields.map((f) =>
    `| ${f.offset} | ${f.type === "array" ? `${f.size} × n` : f.size} | ${f.name} | ${f.type} | ${cell(f.names.linux)} | ${cell(f.names.qemu)} | ${cell(f.names.openvmm)} | ${cell(f.names.ms)} | ${cell(f.note)} |`,
  );
  return [
    `### ${l.name}`,
    "",
    `${l.title}. Size: ${l.size} bytes${l.fields.some((f) => f.type === "array") ? " (fixed part)" : ""}. Source: ${l.source}.`,
    "",
    "| Off | Size | Field | Type | Linux | QEMU | OpenVMM | MS | Note |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
};

/** One layout as a plain-text table for terminals. */
export const layoutText = (l: Layout): string => {
  const head = ["off", "size", "field", "type", "names", "note"];
  const rows = l.fields.map((f) => [
    String(f.offset),
    f.type === "array" ? `${f.size}×n` : String(f.size),
    f.name,
    f.type,
    Object.entries(f.names)
      .map(([k, v]) => `${k}:${v}`)
      .join(" "),
    f.note ?? "",
  ]);
  const widths = head.map((h, i) => Math.min(48, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [`${l.name} — ${l.title} (${l.size} bytes)`, `source: ${l.source}`, line(head), ...rows.map(line), ""].join("\n");
};
