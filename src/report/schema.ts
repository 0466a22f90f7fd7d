import { z } from 'zod';
import { ProfileSchema } from '../config/schema.ts';
import { DiagnosticSchema, SeveritySchema } from '../diagnostics.ts';
import { DocKindSchema, StageSchema } from '../pipeline/stage-schemas.ts';

import { REPORT_SCHEMA_ID } from './schema-id.ts';

export { REPORT_SCHEMA_ID };

export const RuleDescriptorSchema = z.object({
  code: z.string(),
  name: z.string(),
  description: z.string(),
  article: z.string(),
  /** Severity under the `recommended` profile. */
  defaultSeverity: SeveritySchema,
  /** Severity under the `strict` profile. */
  strictSeverity: SeveritySchema.optional(),
  url: z.string(),
});
export type RuleDescriptor = z.infer<typeof RuleDescriptorSchema>;

export const CoverageSchema = z.object({
  requirements: z.number().int(),
  /** Requirements cited by at least one task. */
  withTasks: z.number().int(),
  /** Requirements cited by the test plan. */
  withTests: z.number().int(),
  /** Requirements cited by a ticked task and by the test plan: specified, built and tested. */
  aligned: z.number().int(),
  tasks: z.number().int(),
  tasksDone: z.number().int(),
});
export type Coverage = z.infer<typeof CoverageSchema>;

export const SessionSummarySchema = z.object({
  project: z.string(),
  session: z.string(),
  /** Folder of the session, workspace-relative. */
  path: z.string(),
  /**
   * Furthest stage whose doc has content beyond its template (markers, placeholders and upstream
   * template text don't count); absent when none has, so a session of untouched templates is at its
   * start whatever docs it holds.
   */
  stage: StageSchema.optional(),
  status: z.string().optional(),
  current: z.boolean(),
  docs: z.array(z.object({ kind: DocKindSchema, path: z.string() })),
  missing: z.array(DocKindSchema),
  markers: z.number().int(),
  coverage: CoverageSchema,
  errors: z.number().int(),
  warnings: z.number().int(),
});
export type SessionSummary = z.infer<typeof SessionSummarySchema>;

export const ReportSchema = z.object({
  schema: z.literal(REPORT_SCHEMA_ID),
  tool: z.object({ name: z.literal('idse'), version: z.string() }),
  /** Absolute path of the workspace root the paths below are relative to. */
  root: z.string(),
  /** The profile the rules ran under. */
  profile: ProfileSchema.optional(),
  /**
   * Set when the run looked at part of the workspace: the folders asked about and/or the change since a
   * git ref. The summary's files and sessions then count only what is in scope.
   */
  scope: z.object({ paths: z.array(z.string()).optional(), changedSince: z.string().optional() }).optional(),
  summary: z.object({
    /** Docs checked (in scope). */
    files: z.number().int(),
    /** Sessions checked (in scope). */
    sessions: z.number().int(),
    errors: z.number().int(),
    warnings: z.number().int(),
    infos: z.number().int(),
  }),
  sessions: z.array(SessionSummarySchema),
  diagnostics: z.array(DiagnosticSchema),
  rules: z.array(RuleDescriptorSchema),
});
export type Report = z.infer<typeof ReportSchema>;
