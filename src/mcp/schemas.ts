/** What each MCP tool takes: zod shapes the SDK turns into the tools' JSON Schemas and checks calls against. */
import { z } from 'zod';
import { DocKindSchema } from '../pipeline/stage-schemas.ts';

const session = {
  project: z.string().describe('Project name'),
  session: z.string().describe('Session name'),
};

export const ListSessionsInput = { project: z.string().optional() };

export const NextTasksInput = {
  agent: z.string().optional(),
  session: z.string().optional(),
  limit: z.number().int().positive().max(50).optional(),
};

export const ReadDocInput = {
  ...session,
  kind: DocKindSchema.optional(),
  path: z.string().max(4096).optional(),
  section: z.string().optional(),
};

export const ValidateSessionInput = session;

export const MarkTaskDoneInput = { ...session, task: z.string() };

export const AppendFeedbackInput = {
  ...session,
  text: z.string().min(1).max(4000),
  tasks: z.array(z.string()).optional(),
  requirements: z.array(z.string()).optional(),
};
