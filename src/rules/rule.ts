import type { Config, Profile } from '../config/schema.ts';
import type { DesignContext } from '../design/manifest.ts';
import type { Finding, Severity } from '../diagnostics.ts';
import type { Workspace } from '../model/model.ts';
import { VERSION } from '../version.ts';

/** The constitution article a rule makes checkable (see templates/constitution.md). */
export type Article = 'I' | 'II' | 'III' | 'IV' | 'V' | 'VI' | 'VII' | 'VIII' | 'IX' | 'X';

export interface RuleMeta {
  /** Stable forever; a retired code is never reused. */
  code: `IDSE${string}`;
  name: string;
  description: string;
  article: Article;
  /** Severity under the `recommended` profile, the default. */
  defaultSeverity: Severity;
  /** Severity under the `strict` profile; the recommended one when absent. */
  strictSeverity?: Severity;
}

/** A rule's severity under a profile, before the config's `rules:` overrides. */
export const profileSeverity = (rule: RuleMeta, profile: Profile): Severity =>
  profile === 'strict' ? (rule.strictSeverity ?? rule.defaultSeverity) : rule.defaultSeverity;

export interface RuleContext {
  workspace: Workspace;
  config: Config;
  /** Paths a change touched (`--changed`, a push, a pull request); absent when validating everything. */
  changed?: ReadonlySet<string>;
  /** The Design Sandbox manifest, when the config names one (loaded by the face). */
  design?: DesignContext;
}

/** Metadata plus a pure function from the workspace to findings. No rule does I/O. */
export interface Rule extends RuleMeta {
  check(context: RuleContext): Iterable<Finding>;
}

export const defineRule = (rule: Rule): Rule => rule;

/** Rule pages as this version shipped them: a finding links to the page of the rule that made it. */
export const DOCS_BASE = `https://github.com/idse-toolkit/idse/blob/v${VERSION}/docs/rules/`;
export const ruleUrl = (code: string): string => `${DOCS_BASE}${code}.md`;
