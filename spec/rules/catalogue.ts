/**
 * The rule catalogue: every normative rule of every area of the spec, in one list.
 * docs/rules.md is generated from it (src/docs/rules-doc.ts adds where each rule is enforced
 * and which properties check it).
 */
import { RULES as GUEST_RULES } from "../guest/rules.js";
import { RULES as HOST_RULES } from "../host/rules.js";
import { RULES as RING_RULES } from "../ring/rules.js";
import { RULES as SYSTEM_RULES } from "../system/rules.js";
import { RULES as WIRE_RULES } from "../wire/rules.js";
import type { Rule } from "./rule.js";

export const ALL_RULES: readonly Rule[] = [...WIRE_RULES, ...RING_RULES, ...HOST_RULES, ...GUEST_RULES, ...SYSTEM_RULES];

export const ruleById = (id: string): Rule | undefined => ALL_RULES.find((r) => r.id === id);
