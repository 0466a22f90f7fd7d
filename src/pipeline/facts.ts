import type { Range } from '../diagnostics.ts';
import type { GuardrailKind } from './guardrails.ts';
import type { ScaffoldKind } from './placeholders.ts';

/**
 * `[line, column, endLine, endColumn]`, 1-based, end exclusive. Facts keep positions as tuples, not
 * `Range` objects: a workspace holds hundreds of thousands of them and the cache loads them all.
 */
export type Span = readonly [line: number, column: number, endLine: number, endColumn: number];

export const toRange = (span: Span): Range => ({
  start: { line: span[0], column: span[1] },
  end: { line: span[2], column: span[3] },
});

/**
 * What the engine knows about one doc after parsing. Rules read facts, never the syntax tree, so facts
 * must be plain JSON: they are cached by content hash and a second run skips parsing altogether.
 */
export interface DocFacts {
  lineCount: number;
  title?: string;
  headings: HeadingFact[];
  ids: IdFact[];
  tasks: TaskFact[];
  markers: Span[];
  links: LinkFact[];
  /** `Task 1.2` / `T012` mentions outside task items' own labels (feedback, implementation notes). */
  taskRefs: TaskRefFact[];
  suppressions: SuppressionFact[];
  secrets: SecretFact[];
  /** Text aimed at agents reading the doc (leaked prompts, injection phrasing), outside code. */
  guardrails: GuardrailFact[];
  /** `agency://component@version` references to the Design Sandbox. */
  designRefs: DesignRefFact[];
  /** Template leftovers outside code: unrendered `{{ x }}`, placeholder text, truncation notes. */
  scaffolds: ScaffoldFact[];
  /** The doc below its title says something beyond template text (for docs without sections). */
  filled: boolean;
  /** Set when the doc is only a notice that it lives elsewhere ("Legacy path notice"). */
  pointer?: PointerFact;
  frontMatter?: FrontMatterFact;
}

export interface HeadingFact {
  depth: number;
  text: string;
  /** Normalised words (`## 2. Risks & Unknowns` → `risk unknown`), for matching template sections. */
  key: string;
  span: Span;
  /** Nothing but whitespace or comments before the next heading of the same or a higher level. */
  empty: boolean;
  /**
   * Holds real content: something besides markers, placeholders (`TODO`, `...`, `[Describe …]`) and
   * lines of the upstream templates. A stage whose doc has no filled section has not started.
   */
  filled: boolean;
  /** Last line of the section (up to the next heading of the same or a higher level). */
  endLine: number;
}

export interface IdFact {
  /** As written, e.g. `FR-001`. */
  id: string;
  /** Normalised for matching: `FR-001` and `FR-1` are the same requirement. */
  key: string;
  family: string;
  span: Span;
  /** First thing in its heading, list item, paragraph or table cell: the place where an ID is defined. */
  leading: boolean;
  /**
   * In a table. A table row that starts with an ID defines it only when no heading or list item
   * does: specs often repeat their requirements in a summary or traceability table.
   */
  inTable?: boolean;
  /** Index into `tasks` of the innermost task item this ID appears in. */
  task?: number;
}

export type DepRef =
  | { kind: 'task'; key: string; text: string }
  | { kind: 'range'; from: string; to: string; text: string }
  | { kind: 'phase'; phase: string; text: string };

export interface TaskFact {
  /** As written (`Task 1.2`, `T012`), absent for a task item without an ID. */
  label?: string;
  /** Normalised task key (`1.2`, `T12`). */
  key?: string;
  text: string;
  checked: boolean;
  parallel: boolean;
  owner?: string;
  deps?: DepRef[];
  acceptance?: string;
  /** Heading the task sits under (its phase). */
  phase?: string;
  span: Span;
  /** Index of the task item this one is nested in. */
  parent?: number;
}

export interface TaskRefFact {
  label: string;
  key: string;
  span: Span;
}

export interface LinkFact {
  url: string;
  span: Span;
}

export interface SuppressionFact {
  kind: 'disable-next-line' | 'disable' | 'enable';
  /** Codes or rule names; empty means every rule. */
  rules: string[];
  line: number;
}

export interface SecretFact {
  kind: string;
  span: Span;
}

export interface GuardrailFact {
  kind: GuardrailKind;
  phrase: string;
  span: Span;
}

export interface DesignRefFact {
  component: string;
  version?: string;
  span: Span;
}

export interface ScaffoldFact {
  kind: ScaffoldKind;
  /** As written, e.g. `{{ project_name }}`. */
  text: string;
  span: Span;
}

export interface PointerFact {
  /** The path the notice names (`Canonical location: projects/…/intent.md`), when it names one. */
  target?: string;
  span: Span;
}

export interface FrontMatterFact {
  span: Span;
  data?: unknown;
  error?: string;
  /** Where in the doc the YAML error is, when the parser says. */
  errorSpan?: Span;
}
