/**
 * How store methods reach the database: validate the input (zod) so a bad payload writes nothing,
 * call one SQL function (one transaction), and check its answer. Every method group of the Store
 * (mirror, sync, agency…) is built on these two helpers.
 */
import type { z } from 'zod';
import { describeIssues } from '../zod-issues.ts';
import { StoreError, toStoreError } from './errors.ts';
import type { CallFunction, StoreFunction } from './functions.ts';

export type StoreCall = <T>(
  action: string,
  fn: StoreFunction,
  args: Record<string, unknown>,
  out: z.ZodType<T>,
) => Promise<T>;

/** Calls `fn` through the transport; driver failures and unexpected answers become StoreErrors. */
export function storeCaller(transport: { call: CallFunction }): StoreCall {
  return async (action, fn, args, out) => {
    let value: unknown;
    try {
      value = await transport.call(fn, args);
    } catch (error) {
      throw toStoreError(error, action);
    }
    const parsed = out.safeParse(value);
    if (!parsed.success) {
      throw new StoreError(
        'store-failed',
        `${action}: unexpected answer from idse.${fn} (is the database migrated to this version?)`,
      );
    }
    return parsed.data;
  };
}

/** The input as the schema reads it, or an `invalid-payload` StoreError naming the first bad field. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, action: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new StoreError('invalid-payload', `${action}: ${describeIssues(parsed.error)}`);
}
