import { describe, expect, it } from 'vitest';
import { StoreError, toStoreError } from '../../../src/store/errors.ts';

const coded = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('toStoreError', () => {
  it('maps SQLSTATEs to codes a caller can act on, keeping the database message and the state', () => {
    const cases: Array<[string, string, boolean]> = [
      ['23505', 'store-conflict', true],
      ['23503', 'store-conflict', true],
      ['40001', 'store-conflict', true],
      ['40P01', 'store-conflict', true],
      ['22023', 'invalid-payload', false],
      ['42501', 'store-denied', false],
      ['28P01', 'store-denied', false],
      ['08006', 'store-unavailable', true],
      ['57P01', 'store-unavailable', true],
      ['53300', 'store-unavailable', true],
      ['42883', 'store-failed', false],
    ];
    for (const [state, code, retryable] of cases) {
      const error = toStoreError(coded(state, 'duplicate key'), 'record validation');
      expect({ state, code: error.code, retryable: error.retryable, detail: error.detail }).toEqual({
        state,
        code,
        retryable,
        detail: state,
      });
      expect(error.message).toBe('record validation: duplicate key');
    }
  });

  it('reads a lost connection from socket codes, their causes and driver wording', () => {
    expect(toStoreError(coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), 'open').code).toBe(
      'store-unavailable',
    );
    const wrapped = Object.assign(new Error('fetch failed'), { cause: { code: 'ENOTFOUND' } });
    expect(toStoreError(wrapped, 'call').code).toBe('store-unavailable');
    expect(toStoreError(new Error('Connection terminated unexpectedly'), 'call').message).toBe(
      'call: store unavailable (Connection terminated unexpectedly)',
    );
  });

  it('reads HTTP answers without a SQLSTATE (PostgREST, the gateway in front of it)', () => {
    expect(toStoreError({ status: 503, message: 'Service Unavailable' }, 'rpc').code).toBe(
      'store-unavailable',
    );
    expect(toStoreError({ status: 401, message: 'Invalid API key' }, 'rpc')).toMatchObject({
      code: 'store-denied',
      message: 'rpc: Invalid API key (HTTP 401)',
    });
  });

  it('names a thrown object without a message by its name, and passes StoreErrors through', () => {
    expect(toStoreError({ name: 'ErrnoError', errno: 44 }, 'open').message).toBe('open: ErrnoError');
    expect(toStoreError('plain string', 'open').message).toBe('open: plain string');
    const own = new StoreError('invalid-payload', 'bad');
    expect(toStoreError(own, 'other')).toBe(own);
  });
});
