import { z } from 'zod';
import { DocKindSchema, StageSchema } from '../pipeline/stage-schemas.ts';

export const EXPORT_SCHEMA_ID = 'idse.export/v1';

export const ExportSectionSchema = z.object({
  title: z.string(),
  depth: z.number().int(),
  line: z.number().int(),
  endLine: z.number().int(),
  /** The section's markdown below its heading, up to the next heading of the same or a higher level. */
  text: z.string(),
});

export const ExportDocSchema = z.object({
  kind: DocKindSchema,
  stage: StageSchema.optional(),
  path: z.string(),
  title: z.string().optional(),
  /** Has content beyond its template (what stage progress is derived from). */
  started: z.boolean(),
  markers: z.number().int(),
  sections: z.array(ExportSectionSchema),
  text: z.string(),
});

export const ExportRequirementSchema = z.object({
  id: z.string(),
  key: z.string(),
  family: z.string(),
  file: z.string(),
  line: z.number().int(),
  /** Keys of the tasks citing it. */
  tasks: z.array(z.string()),
  /** Cited by a ticked task. */
  done: z.boolean(),
  /** Cited by the test plan. */
  tested: z.boolean(),
});

export const ExportTaskSchema = z.object({
  key: z.string().optional(),
  label: z.string().optional(),
  text: z.string(),
  done: z.boolean(),
  /** Open and every dependency done. */
  ready: z.boolean(),
  parallel: z.boolean(),
  owner: z.string().optional(),
  agent: z.string().optional(),
  phase: z.string().optional(),
  deps: z.array(z.string()),
  acceptance: z.string().optional(),
  /** Requirement keys the task cites. */
  requirements: z.array(z.string()),
  file: z.string(),
  line: z.number().int(),
});

export const ExportSessionSchema = z.object({
  project: z.string(),
  session: z.string(),
  path: z.string(),
  status: z.string().optional(),
  owner: z.string().optional(),
  closed: z.boolean(),
  current: z.boolean(),
  /** Furthest stage with a started doc. */
  stage: StageSchema.optional(),
  docs: z.array(ExportDocSchema),
  requirements: z.array(ExportRequirementSchema),
  tasks: z.array(ExportTaskSchema),
  markers: z.array(z.object({ file: z.string(), line: z.number().int() })),
});

export const ExportSchema = z.object({
  schema: z.literal(EXPORT_SCHEMA_ID),
  tool: z.object({ name: z.literal('idse'), version: z.string() }),
  /** Stages whose docs are included (traceability lists always cover the whole session). */
  stages: z.array(StageSchema),
  sessions: z.array(ExportSessionSchema),
});

export type ExportDocument = z.infer<typeof ExportSchema>;
export type ExportSession = z.infer<typeof ExportSessionSchema>;
export type ExportTask = z.infer<typeof ExportTaskSchema>;
export type ExportRequirement = z.infer<typeof ExportRequirementSchema>;
