import { describe, expect, it } from 'vitest';
import { storeNamed } from '../../../src/store/factory.ts';

describe('storeNamed', () => {
  it('is true for each variable that names a store, Supabase only with its URL and a key', () => {
    const named = [
      { IDSE_STORE: 'pglite' },
      { DATABASE_URL: 'postgresql://db/x' },
      { IDSE_DATA_DIR: 'var/db' },
      { SUPABASE_URL: 'https://p.supabase.co', SUPABASE_SERVICE_ROLE_KEY: 'k' },
      { SUPABASE_URL: 'https://p.supabase.co', SUPABASE_SECRET_KEY: 's' },
    ];
    expect(named.map(storeNamed)).toEqual(named.map(() => true));
  });

  it('is false when nothing (or only half of Supabase, or a blank IDSE_STORE) is set', () => {
    const unnamed = [
      {},
      { SUPABASE_URL: 'https://p.supabase.co' },
      { SUPABASE_SECRET_KEY: 's' },
      { IDSE_STORE: '  ' },
    ];
    expect(unnamed.map(storeNamed)).toEqual(unnamed.map(() => false));
  });
});
