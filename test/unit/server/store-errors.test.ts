import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/server/http.ts';
import { storeHttpError } from '../../../src/server/store-errors.ts';
import { StoreError, type StoreErrorCode } from '../../../src/store/errors.ts';

const answer = (error: HttpError | undefined) =>
  error && { status: error.status, code: error.code, message: error.message };

describe('storeHttpError', () => {
  it('gives each store failure a caller can act on one status, with the store’s code and message', () => {
    const codes: StoreErrorCode[] = [
      'invalid-payload',
      'store-denied',
      'store-conflict',
      'store-unavailable',
    ];
    expect(codes.map((code) => answer(storeHttpError(new StoreError(code, `said ${code}`))))).toEqual([
      { status: 400, code: 'invalid-payload', message: 'said invalid-payload' },
      { status: 403, code: 'store-denied', message: 'said store-denied' },
      { status: 409, code: 'store-conflict', message: 'said store-conflict' },
      { status: 503, code: 'store-unavailable', message: 'said store-unavailable' },
    ]);
  });

  it('leaves the server’s own failures and anything that is not a store failure alone', () => {
    for (const code of ['store-failed', 'store-misconfigured', 'migration-failed'] as const) {
      expect(storeHttpError(new StoreError(code, 'no'))).toBeUndefined();
    }
    expect(storeHttpError(new Error('no'))).toBeUndefined();
    expect(storeHttpError(new HttpError(400, 'x', 'no'))).toBeUndefined();
  });

  it('passes on only what a route words, in its words, keeping the status', () => {
    const wording = {
      'invalid-payload': { code: 'invalid-query' },
      'store-unavailable': { message: 'later' },
    };
    expect(answer(storeHttpError(new StoreError('invalid-payload', 'bad'), wording))).toEqual({
      status: 400,
      code: 'invalid-query',
      message: 'bad',
    });
    expect(answer(storeHttpError(new StoreError('store-unavailable', 'down'), wording))).toEqual({
      status: 503,
      code: 'store-unavailable',
      message: 'later',
    });
    expect(storeHttpError(new StoreError('store-denied', 'no'), wording)).toBeUndefined();
  });
});
