import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileOutbox, type OutboxEntry } from '../../../src/app/mirror/outbox.ts';
import { StoreError } from '../../../src/store/errors.ts';
import { tempDir } from '../../helpers/cli.ts';

const installation = (delivery: string): OutboxEntry => ({
  kind: 'installation',
  payload: {
    delivery_id: delivery,
    action: 'created',
    installation_id: 7,
    account: { id: 9, login: 'acme' },
  },
});

describe('FileOutbox', () => {
  it('replays entries in the order they were put, and removes each once written', async () => {
    const outbox = new FileOutbox(join(tempDir(), 'outbox'));
    expect(outbox.pending()).toEqual([]);
    for (const d of ['d1', 'd2', 'd3']) outbox.put(installation(d));
    expect(outbox.pending()).toHaveLength(3);
    expect(readdirSync(outbox.dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const seen: string[] = [];
    const result = await outbox.drain(async (entry) => {
      seen.push(entry.payload.delivery_id);
    });
    expect(result).toEqual({ replayed: 3, left: 0, rejected: 0 });
    expect(seen).toEqual(['d1', 'd2', 'd3']);
    expect(outbox.pending()).toEqual([]);
  });

  it('stops at a failure worth retrying and keeps that entry and the ones after it', async () => {
    const outbox = new FileOutbox(tempDir());
    for (const d of ['d1', 'd2', 'd3']) outbox.put(installation(d));
    const result = await outbox.drain(async (entry) => {
      if (entry.payload.delivery_id === 'd2') throw new StoreError('store-unavailable', 'connection refused');
    });
    expect(result).toEqual({ replayed: 1, left: 2, rejected: 0 });
    expect(outbox.pending()).toHaveLength(2);
  });

  it('keeps an entry that meets a conflict and goes on with the rest, which keep their order', async () => {
    const outbox = new FileOutbox(tempDir());
    for (const d of ['d1', 'd2', 'd3', 'd4']) outbox.put(installation(d));
    const seen: string[] = [];
    const first = await outbox.drain(async (entry) => {
      seen.push(entry.payload.delivery_id);
      if (entry.payload.delivery_id === 'd2')
        throw new StoreError('store-conflict', 'installation 7 is not recorded');
    });
    expect(first).toEqual({ replayed: 3, left: 1, rejected: 0 });
    expect(seen).toEqual(['d1', 'd2', 'd3', 'd4']);
    const again = await outbox.drain(async (entry) => {
      seen.push(entry.payload.delivery_id);
    });
    expect(again).toEqual({ replayed: 1, left: 0, rejected: 0 });
    expect(seen.slice(4)).toEqual(['d2']);
  });

  it('sets aside, with the reason, an entry the store refuses for good or that is unreadable', async () => {
    const outbox = new FileOutbox(tempDir());
    outbox.put(installation('bad'));
    outbox.put(installation('good'));
    writeFileSync(join(outbox.dir, '999999999999999-zz.json'), '{"kind": "validation"');
    const result = await outbox.drain(async (entry) => {
      if (entry.payload.delivery_id === 'bad') throw new StoreError('invalid-payload', 'no such client');
    });
    expect(result).toEqual({ replayed: 1, left: 0, rejected: 2 });
    expect(outbox.pending()).toEqual([]);
    const failed = readdirSync(join(outbox.dir, 'failed')).sort();
    expect(failed.filter((n) => n.endsWith('.json'))).toHaveLength(2);
    const reasons = failed
      .filter((n) => n.endsWith('.reason.txt'))
      .map((n) => readFileSync(join(outbox.dir, 'failed', n), 'utf8'));
    expect(reasons.sort()).toEqual(
      ['no such client [invalid-payload]\n', 'unreadable entry: not JSON\n'].sort(),
    );
    expect(existsSync(join(outbox.dir, 'failed', '999999999999999-zz.json'))).toBe(true);
  });
});
