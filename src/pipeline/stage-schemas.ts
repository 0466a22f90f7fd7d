import { z } from 'zod';
import { DOC_KINDS, STAGES } from './stages.ts';

// Apart from stages.ts, which the facts workers load: their bundle holds no zod.
export const StageSchema = z.enum(STAGES);
export const DocKindSchema = z.enum(DOC_KINDS);
