import { IdseError } from '../errors.ts';

export type SyncErrorCode =
  /** No Agency Core address or no API key: nothing to sync with. */
  | 'sync-not-configured'
  /** Agency Core could not be reached, or the connection broke before it answered. */
  | 'agency-unreachable'
  /** Agency Core answered with an error (its own code is in the message). */
  | 'agency-refused'
  /** .idse/sync-state.json is not what idse wrote. */
  | 'sync-state-invalid';

/** A sync failure; the CLI prints it as one line and exits 2. */
export class SyncError extends IdseError {
  override readonly code: SyncErrorCode;
  /** The gateway's error code when it answered one (token-expired, unsafe-path…). */
  readonly remoteCode: string | undefined;

  constructor(code: SyncErrorCode, message: string, remoteCode?: string) {
    super(code, message);
    this.name = 'SyncError';
    this.code = code;
    this.remoteCode = remoteCode;
  }
}
