/** The engine as a library: every face (CLI, App, Action, MCP) uses exactly this. */

export { loadConfig } from './config/load.ts';
export { parseConfig } from './config/parse.ts';
export { type Config, ConfigSchema, defaultConfig } from './config/schema.ts';
export * from './diagnostics.ts';
export { type ValidateInput, type ValidateResult, validate } from './engine.ts';
export { IdseError, type IdseErrorCode } from './errors.ts';
export type { FactsCache } from './model/facts-key.ts';
export type * from './model/model.ts';
export type { SourceFile, SourceProblem } from './model/source.ts';
export { extractFacts } from './pipeline/extract.ts';
export type * from './pipeline/facts.ts';
export * from './pipeline/stages.ts';
export { buildReport, summarizeSession } from './report/build.ts';
export { FORMATS, type FormatName, formatReport } from './report/format.ts';
export * from './report/schema.ts';
export { findRule, RULES } from './rules/registry.ts';
export type { Rule, RuleMeta } from './rules/rule.ts';
export { VERSION } from './version.ts';
