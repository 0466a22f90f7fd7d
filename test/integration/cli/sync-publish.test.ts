/** `idse agency publish` against the real Postgres, read back the way the gateway pulls it. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/factory.ts';
import { idse, tempDir } from '../../helpers/cli.ts';
import { useTestDatabase } from '../../helpers/postgres.ts';

const database = useTestDatabase('idse_cli_publish');

describe('idse agency publish', () => {
  it('publishes a file for every project of a client or one, once per content', async () => {
    const cwd = tempDir();
    const env = { IDSE_STORE: 'postgres', DATABASE_URL: database().url };
    const run = (...args: string[]) => idse(args, { cwd, env });
    const { client_id } = JSON.parse((await run('agency', 'clients', 'add', 'Initech', '--json')).stdout);
    writeFileSync(join(cwd, 'constitution.md'), '# Constitution\n');
    writeFileSync(join(cwd, 'review.md'), '# Review\n');

    const first = await run(
      'agency',
      'publish',
      '--client',
      'initech',
      'constitution.md',
      '--as',
      '.idse/constitution.md',
    );
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(
      /^Published constitution \.idse\/constitution\.md for every project of Initech \(cursor \d+\)\n$/,
    );
    const again = await run(
      'agency',
      'publish',
      '--client',
      'initech',
      'constitution.md',
      '--as',
      '.idse/constitution.md',
    );
    expect(again.stdout).toMatch(/^Already published constitution/);
    const review = await run(
      'agency',
      'publish',
      '--client',
      client_id,
      '--project',
      'web',
      'review.md',
      '--as',
      'projects/web/sessions/s1/feedback/review.md',
      '--json',
    );
    expect(JSON.parse(review.stdout)).toMatchObject({
      client_id,
      project: 'web',
      kind: 'feedback',
      path: 'projects/web/sessions/s1/feedback/review.md',
      duplicate: false,
    });

    const store = await openStore({ env, cwd });
    try {
      const web = await store.pullPublished({ client_id, project: 'web' });
      expect(web.docs.map((d) => [d.path, d.kind, d.content])).toEqual([
        ['.idse/constitution.md', 'constitution', '# Constitution\n'],
        ['projects/web/sessions/s1/feedback/review.md', 'feedback', '# Review\n'],
      ]);
      expect((await store.pullPublished({ client_id, project: 'api' })).docs).toHaveLength(1);
    } finally {
      await store.close();
    }

    writeFileSync(join(cwd, 'latin1.md'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    const refused = [
      [
        ['review.md', '--as', '../outside.md'],
        /^idse: cannot publish at "\.\.\/outside\.md": .*\[usage\]\n$/,
      ],
      [['review.md', '--as', '.git/hooks/pre-commit'], /the path is inside \.git \(--as\) \[usage\]\n$/],
      [['latin1.md'], /latin1\.md is not UTF-8 text; only text docs can be published \[usage\]\n$/],
      [['missing.md'], /^idse: cannot read .*missing\.md: .*\[path-not-found\]\n$/],
    ] as const;
    for (const [args, stderr] of refused) {
      const result = await run('agency', 'publish', '--client', 'initech', ...args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({
        args,
        code: 2,
        stderr: expect.stringMatching(stderr),
      });
    }
    const unknown = await run('agency', 'publish', '--client', 'nobody', 'review.md');
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining("no client 'nobody'") });
  });
});
