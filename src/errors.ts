import type { AuthErrorCode } from './auth/errors.ts';
import type { StoreErrorCode } from './store/errors.ts';
import type { SyncErrorCode } from './sync/errors.ts';

/**
 * Failures a user can cause outside of doc content (bad config, bad arguments, unreadable paths).
 * They are values with stable codes; faces turn them into exit code 2 with a one-line message.
 */
export type IdseErrorCode =
  | StoreErrorCode
  | AuthErrorCode
  | SyncErrorCode
  | 'config-invalid'
  | 'config-unreadable'
  | 'path-not-found'
  | 'usage'
  | 'git-failed'
  | 'write-conflict'
  | 'metadata-invalid'
  | 'not-a-workspace'
  | 'no-sessions'
  | 'outside-session'
  | 'agent-profile-missing'
  | 'agent-profile-invalid';

export class IdseError extends Error {
  readonly code: IdseErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(code: IdseErrorCode, message: string, where: { file?: string; line?: number } = {}) {
    super(message);
    this.name = 'IdseError';
    this.code = code;
    this.file = where.file;
    this.line = where.line;
  }

  /** `file:line: message [code]`, the form every face prints. */
  format(): string {
    const at = this.file ? `${this.file}${this.line ? `:${this.line}` : ''}: ` : '';
    return `${at}${this.message} [${this.code}]`;
  }
}

export const isIdseError = (value: unknown): value is IdseError => value instanceof IdseError;
