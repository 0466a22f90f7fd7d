import * as core from '@actions/core';
import { z } from 'zod';
import { IdseError } from '../../src/errors.ts';
import { FORMATS, type FormatName } from '../../src/report/format.ts';

export const FAIL_ON = ['error', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface ActionInputs {
  /** Workspace root, relative to the checkout. */
  path: string;
  config: string | undefined;
  changedOnly: boolean;
  base: string | undefined;
  failOn: FailOn;
  sarifFile: string | undefined;
  format: FormatName;
  /** Restore and save the facts cache through the Actions cache service. */
  cache: boolean;
}

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

// The YAML 1.2 core booleans, as core.getBooleanInput accepts them.
const BOOLEAN = ['true', 'True', 'TRUE', 'false', 'False', 'FALSE'] as const;

/** Raw strings as the runner passes them; empty means "not given". */
const InputsSchema = z.object({
  path: z.string(),
  config: z.string(),
  'changed-only': z.enum(BOOLEAN, { error: 'must be true or false' }),
  base: z.string(),
  'fail-on': oneOf(FAIL_ON),
  'sarif-file': z.string(),
  format: oneOf(FORMATS),
  cache: z.enum(BOOLEAN, { error: 'must be true or false' }),
});
type InputName = keyof z.input<typeof InputsSchema>;

/**
 * action.yml declares these defaults too, but the runner only applies them in a workflow: repeating
 * them keeps a direct `node dist/index.js` (and the tests) behaving the same.
 */
const DEFAULTS: Partial<Record<InputName, string>> = {
  path: '.',
  'changed-only': 'false',
  'fail-on': 'error',
  format: 'pretty',
  cache: 'true',
};

/** Reads and checks every input; the first bad one becomes a single-line usage error. */
export function readInputs(read: (name: string) => string = (name) => core.getInput(name)): ActionInputs {
  const raw = Object.fromEntries(
    Object.keys(InputsSchema.shape).map((name) => [name, read(name) || (DEFAULTS[name as InputName] ?? '')]),
  ) as Record<InputName, string>;
  const parsed = InputsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]) as InputName;
    throw new IdseError('usage', `input '${name}' ${issue.message} (got '${raw[name]}')`);
  }
  const inputs = parsed.data;
  return {
    path: inputs.path,
    config: inputs.config || undefined,
    changedOnly: inputs['changed-only'].toLowerCase() === 'true',
    base: inputs.base || undefined,
    failOn: inputs['fail-on'],
    sarifFile: inputs['sarif-file'] || undefined,
    format: inputs.format,
    cache: inputs.cache.toLowerCase() === 'true',
  };
}
