import { z } from 'zod';
import { StageSchema } from '../pipeline/stage-schemas.ts';

/** Orchestrator `metadata/session.json`. Unknown keys are allowed: newer orchestrators add some. */
export const SessionJsonSchema = z.looseObject({
  session_id: z.string(),
  name: z.string().optional(),
  session_type: z.string().nullish(),
  description: z.string().nullish(),
  is_blueprint: z.boolean().optional(),
  parent_session: z.string().nullish(),
  related_sessions: z.array(z.string()).optional(),
  owner: z.string().nullish(),
  collaborators: z
    .array(
      z.union([
        z.string(),
        z.looseObject({ name: z.string(), role: z.string().optional(), joined_at: z.string().optional() }),
      ]),
    )
    .optional(),
  tags: z.array(z.string()).optional(),
  status: z.enum(['draft', 'in_progress', 'review', 'complete', 'archived']).optional(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
});

/** Orchestrator `session_state.json` (project level and per session). */
export const SessionStateSchema = z.looseObject({
  project_name: z.string().optional(),
  session_id: z.string(),
  is_blueprint: z.boolean().optional(),
  stages: z.partialRecord(StageSchema, z.enum(['pending', 'in_progress', 'completed'])).optional(),
  last_sync: z.string().nullish(),
  validation_status: z.string().nullish(),
  created_at: z.string().nullish(),
});

/** `metadata/meta.md` front matter as `idse init` writes it. */
export const MetaFrontMatterSchema = z.looseObject({
  session: z.string().optional(),
  project: z.string().optional(),
  owner: z.string().nullish(),
  status: z.enum(['draft', 'in_progress', 'review', 'complete', 'archived']).optional(),
  created: z.union([z.string(), z.date()]).optional(),
  tags: z.array(z.string()).nullish(),
});
