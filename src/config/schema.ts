import { z } from 'zod';
import { LIMITS, type LimitName } from '../pipeline/limits.ts';
import { DOC_KINDS } from '../pipeline/stages.ts';
import { PROFILES } from './profiles.ts';

export { PROFILES };

const RuleSettingSchema = z.enum(['error', 'warning', 'info', 'off']);
export type RuleSetting = z.infer<typeof RuleSettingSchema>;

export const ProfileSchema = z.enum(PROFILES);
export type Profile = z.infer<typeof ProfileSchema>;

const IdFamily = z
  .string()
  .regex(/^[A-Z][A-Z0-9]{0,9}$/, 'an ID family is 1–10 capital letters or digits, like FR');

/** Required H2 sections per doc kind; a kind left out keeps the template's sections. */
const SectionsSchema = z.partialRecord(z.enum(DOC_KINDS), z.array(z.string().min(1)));

export const ConfigSchema = z
  .object({
    $schema: z.string().optional(),
    /** How demanding the rules are (each rule's page says where it stands in each); `--profile` overrides it. */
    profile: ProfileSchema.default('recommended'),
    /** Let `idse validate` pass on a workspace without sessions (it exits 2 otherwise). */
    allowEmptyWorkspace: z.boolean().default(false),
    /** Which session layout to accept; `auto` accepts every upstream layout. */
    layout: z.enum(['auto', 'stage-folders', 'flat']).default('auto'),
    /** Severity per rule, by code (`IDSE012`) or name (`requirement-without-task`). */
    rules: z.record(z.string(), RuleSettingSchema).default({}),
    ids: z
      .strictObject({
        requirements: z.array(IdFamily).min(1).default(['FR', 'NFR', 'AC', 'SC']),
        tests: z.array(IdFamily).default(['TC']),
        /** Families every requirement of which must be cited by a task. */
        needTasks: z.array(IdFamily).default(['FR']),
        /** Families every requirement of which must be cited by the test plan. */
        needTests: z.array(IdFamily).default(['FR', 'AC']),
      })
      .prefault({}),
    sections: SectionsSchema.default({}),
    /** Globs (relative to the workspace root) of files never read. */
    ignore: z.array(z.string()).default([]),
    /**
     * Enter folder symlinks inside the workspace (off: they are skipped). Nothing outside the
     * workspace root is read either way.
     */
    followSymlinks: z.boolean().default(false),
    /** Files larger than this many bytes are reported and not parsed. */
    maxFileBytes: z
      .number()
      .int()
      .positive()
      .default(5 * 1024 * 1024),
    /**
     * What a doc may hold before it is parsed, and how long parsing may take; a doc past one is
     * reported (IDSE028) and not checked. Bounded, so no setting makes a run unsafe.
     */
    limits: z
      .strictObject(
        Object.fromEntries(
          Object.entries(LIMITS).map(([name, { default: value, min, max }]) => [
            name,
            z.number().int().min(min).max(max).default(value),
          ]),
        ) as { [K in LimitName]: z.ZodDefault<z.ZodNumber> },
      )
      .prefault({}),
    /** Agents that take tasks, by name, with the other names tasks use for them. */
    agents: z
      .record(z.string().regex(/^[\w.-]+$/), z.strictObject({ aliases: z.array(z.string()).default([]) }))
      .default({}),
    /** First matching route assigns a task whose owner names no agent. */
    routes: z
      .array(
        z.strictObject({
          agent: z.string(),
          when: z
            .strictObject({
              owner: z.string().optional(),
              tag: z.string().optional(),
              phase: z.string().optional(),
              parallel: z.boolean().optional(),
            })
            .refine((w) => Object.keys(w).length > 0, 'a route needs at least one condition'),
        }),
      )
      .default([]),
    /** Agent for tasks nothing else assigns. */
    defaultAgent: z.string().optional(),
    design: z
      .strictObject({
        /** The Design Sandbox manifest (`design.json`): a path from the workspace root or an http(s) URL. */
        manifest: z.string().min(1),
      })
      .optional(),
    /** Where `idse sync` reaches Agency Core (the API key comes from IDSE_API_KEY only, never a file). */
    sync: z
      .strictObject({
        /** Agency Core's address, e.g. https://agency.example.com; IDSE_AGENCY_URL overrides it. */
        url: z.url({ protocol: /^https?$/ }).optional(),
        /** The project this workspace syncs, for keys that reach several; --project overrides it. */
        project: z.string().min(1).optional(),
      })
      .optional(),
    boundary: z
      .strictObject({
        /** How many sessions one change may touch before `session-boundary` fires. */
        maxSessions: z.number().int().positive().default(1),
      })
      .prefault({}),
  })
  .strict();

export type ConfigInput = z.input<typeof ConfigSchema>;
export type Config = z.output<typeof ConfigSchema>;

export const defaultConfig = (): Config => ConfigSchema.parse({});
