/** The model checker's public surface. */
export { explore, replayPath, type ExploreOptions, type ExploreResult, type Finding, type TraceStep } from "./bfs.js";
export { runCheck, runCheckWith, checkConfig, checkDevices, formatReport, type CheckOptions, type CheckReport, type ViolationReport } from "./check.js";
export { DEFAULT_CHECKS, runDefaultCheck, judge, type DefaultCheck, type DefaultCheckResult } from "./default.js";
export { decodeRunFile, runFile, type RunFile } from "./run-file.js";
export { traceToJson, traceToMermaid, traceToText, type TraceStepJson } from "./trace.js";
