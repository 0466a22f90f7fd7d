import { IdseError } from '../errors.ts';

export type AuthErrorCode =
  /** The API key is unknown, revoked, malformed or of the wrong scope. */
  | 'key-invalid'
  /** The token is not ours: bad signature, wrong audience or issuer, malformed. */
  | 'token-invalid'
  | 'token-expired'
  /** A valid credential that doesn't reach what was asked for. */
  | 'forbidden';

/** Credential failures; the HTTP faces answer them 401 (403 for `forbidden`) with the code. */
export class AuthError extends IdseError {
  override readonly code: AuthErrorCode;
  constructor(code: AuthErrorCode, message: string) {
    super(code, message);
    this.name = 'AuthError';
    this.code = code;
  }
}

export const isAuthError = (value: unknown): value is AuthError => value instanceof AuthError;
