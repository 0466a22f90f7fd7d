import { z } from 'zod';

/** 1-based line and column, as editors and GitHub annotations count them. */
export const PositionSchema = z.object({
  line: z.number().int().min(1),
  column: z.number().int().min(1),
});
export type Position = z.infer<typeof PositionSchema>;

export const RangeSchema = z.object({ start: PositionSchema, end: PositionSchema });
export type Range = z.infer<typeof RangeSchema>;

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

export const RelatedLocationSchema = z.object({
  file: z.string(),
  range: RangeSchema.optional(),
  message: z.string(),
});
export type RelatedLocation = z.infer<typeof RelatedLocationSchema>;

/** A text edit that fixes a finding: replace `range` in `file` with `text`. */
export const FixSchema = z.object({
  description: z.string(),
  file: z.string(),
  range: RangeSchema,
  text: z.string(),
});
export type Fix = z.infer<typeof FixSchema>;

export const DiagnosticSchema = z.object({
  /** Stable code, e.g. `IDSE012`; never reused once retired. */
  code: z.string().regex(/^IDSE\d{3}$/),
  /** Readable alias of the code, e.g. `requirement-without-task`. */
  rule: z.string(),
  severity: SeveritySchema,
  message: z.string(),
  /** Workspace-relative POSIX path. */
  file: z.string(),
  range: RangeSchema.optional(),
  project: z.string().optional(),
  session: z.string().optional(),
  related: z.array(RelatedLocationSchema).optional(),
  fix: FixSchema.optional(),
  /** Link to the rule's documentation page. */
  url: z.string().optional(),
});
export type Diagnostic = z.infer<typeof DiagnosticSchema>;

/** What a rule reports before the engine stamps code, rule name, severity and url on it. */
export type Finding = Omit<Diagnostic, 'code' | 'rule' | 'severity' | 'url'> & {
  /** Overrides the rule's default severity for this finding (e.g. markers after a later stage exists). */
  severity?: Severity;
};

export const point = (line: number, column: number): Position => ({ line, column });

export { compareDiagnostics } from './compare-diagnostics.ts';
