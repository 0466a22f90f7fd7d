import type { Config } from './config/schema.ts';
import type { DesignContext } from './design/manifest.ts';
import { compareDiagnostics, type Diagnostic, type Finding, type Severity } from './diagnostics.ts';
import { buildWorkspace, cachedFacts } from './model/build.ts';
import type { FactsCache, FactsResolver } from './model/facts-key.ts';
import type { Workspace } from './model/model.ts';
import type { SourceFile } from './model/source.ts';
import { RULES } from './rules/registry.ts';
import { profileSeverity, type Rule, ruleUrl } from './rules/rule.ts';
import { isSuppressed } from './suppress.ts';

export interface ValidateInput {
  files: readonly SourceFile[];
  config: Config;
  /** Paths a change touched; findings are then limited to them and `session-boundary` applies. */
  changed?: ReadonlySet<string>;
  /** The Design Sandbox manifest the config names, loaded by the face. */
  design?: DesignContext;
  cache?: FactsCache;
  /** How docs get their facts; defaults to the cache, then extraction in this thread. */
  facts?: FactsResolver;
  /**
   * Every path of the workspace, when `files` are only part of it (one project): links and pointers
   * may lead anywhere. Defaults to the paths of `files`.
   */
  paths?: ReadonlySet<string>;
  rules?: readonly Rule[];
}

export interface ValidateResult {
  workspace: Workspace;
  diagnostics: Diagnostic[];
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** The whole engine: files and config in, workspace model and sorted diagnostics out. No I/O. */
export function validate(input: ValidateInput): ValidateResult {
  const workspace = buildWorkspace(
    input.files,
    input.config,
    input.facts ?? cachedFacts(input.config, input.cache),
    input.paths,
  );
  return { workspace, diagnostics: runRules(workspace, input) };
}

export function runRules(
  workspace: Workspace,
  input: Omit<ValidateInput, 'files' | 'cache' | 'facts' | 'paths'>,
): Diagnostic[] {
  const { config, changed } = input;
  const diagnostics: Diagnostic[] = [];
  for (const rule of input.rules ?? RULES) {
    const configured =
      config.rules[rule.code] ?? config.rules[rule.name] ?? profileSeverity(rule, config.profile);
    if (configured === 'off') continue;
    const context = {
      workspace,
      config,
      ...(changed ? { changed } : {}),
      ...(input.design ? { design: input.design } : {}),
    };
    for (const finding of rule.check(context)) {
      const diagnostic = stamp(rule, finding, configured);
      if (changed && !changed.has(diagnostic.file) && !inChangedFolder(diagnostic.file, changed)) continue;
      const suppressions = workspace.docs.get(diagnostic.file)?.facts.suppressions ?? [];
      if (!isSuppressed(diagnostic, suppressions)) diagnostics.push(diagnostic);
    }
  }
  return diagnostics.sort(compareDiagnostics);
}

/** A finding may lower its rule's severity (never raise it above what the config allows). */
function stamp(rule: Rule, finding: Finding, configured: Severity): Diagnostic {
  const { severity: own, ...rest } = finding;
  const severity = own && RANK[own] < RANK[configured] ? own : configured;
  return { code: rule.code, rule: rule.name, severity, ...rest, url: ruleUrl(rule.code) };
}

/** Session-level findings point at a folder; they count as changed when a file inside it changed. */
function inChangedFolder(path: string, changed: ReadonlySet<string>): boolean {
  const prefix = `${path}/`;
  for (const file of changed) if (file.startsWith(prefix)) return true;
  return false;
}
