/**
 * Blueprint commands on a copy of the upstream orchestrator's own workspace, whose blueprint
 * repeats an invariant and keeps its evidence in meta.md's promotion record.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { idse, tempDir } from '../../helpers/cli.ts';

const CORPUS = new URL('../../fixtures/corpus/idse-orchestrator/', import.meta.url);
const PROJECT = '.idse/projects/idse-orchestrator';
const BLUEPRINT = `${PROJECT}/sessions/__blueprint__/metadata/blueprint.md`;

function corpusCopy(): string {
  const root = tempDir('idse-blueprint-');
  cpSync(CORPUS, root, { recursive: true });
  return root;
}

const json = async (args: string[], cwd: string) => {
  const run = await idse([...args, '--json'], { cwd });
  return { code: run.code, data: JSON.parse(run.stdout), stderr: run.stderr };
};

describe('idse blueprint on the orchestrator’s own workspace', () => {
  it('lists the promoted claims with the evidence upstream recorded in meta.md, and verify names the repeated invariant', async () => {
    const root = corpusCopy();
    const claims = await json(['blueprint', 'claims'], root);
    expect(
      claims.data.claims.map(
        (c: { id: number; classification: string; status: string }) =>
          `#${c.id} ${c.classification} ${c.status}`,
      ),
    ).toEqual(['#1 invariant active', '#2 invariant active', '#3 non_negotiable_constraint active']);
    expect(claims.data.claims[0].evidence).toEqual([
      { session: 'notion-designstore-refactor', stages: ['feedback', 'spec'] },
      { session: 'sqlite-cms-refactor', stages: ['feedback', 'spec'] },
    ]);
    const verify = await idse(['blueprint', 'verify'], { cwd: root });
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(
      `${BLUEPRINT}:12  "SQLite is the default storage backend for project artifacts." is stated again in Core Invariants (first on line 11)  [IDSE041]`,
    );
    expect(verify.stdout).toContain('✖ 1 problem(s)');
  });

  it('promotes through the gate, refuses what it must, reinforces, demotes and verifies what it wrote', async () => {
    const root = corpusCopy();
    const file = join(root, BLUEPRINT);
    const original = readFileSync(file, 'utf8');
    const claim = 'Compiled agent specs are deterministic for the same inputs.';
    const promote = (...args: string[]) =>
      json(['blueprint', 'promote', '--claim', claim, '--classification', 'invariant', ...args], root);

    const lone = await promote(
      '--source',
      'agent-spec-compiler:spec',
      '--source',
      'agent-spec-compiler:feedback',
    );
    expect(lone.code).toBe(1);
    expect(lone.data.failed.map((f: { test: string }) => f.test)).toEqual([
      'INSUFFICIENT_SESSION_DIVERSITY',
      'INSUFFICIENT_TEMPORAL_STABILITY',
    ]);
    const missing = await promote(
      '--source',
      'no-such-session:spec',
      '--source',
      'agent-spec-compiler:feedback',
    );
    expect(missing.data.failed[0]).toEqual({
      test: 'SOURCE_NOT_FOUND',
      detail: 'no-such-session:spec has no doc with content',
    });
    const tooSoon = await promote(
      '--source',
      'sqlite-cms-refactor:spec',
      '--source',
      'agent-spec-compiler:feedback',
    );
    expect(tooSoon.data.failed).toEqual([
      { test: 'INSUFFICIENT_TEMPORAL_STABILITY', detail: 'evidence spans less than 7 day(s)' },
    ]);
    const dry = await promote(
      '--source',
      '__blueprint__:intent',
      '--source',
      'agent-spec-compiler:feedback',
      '--dry-run',
    );
    expect([dry.code, dry.data.status, dry.data.written]).toEqual([0, 'ALLOW', undefined]);
    expect(readFileSync(file, 'utf8')).toBe(original);

    const allowed = await promote(
      '--source',
      '__blueprint__:intent',
      '--source',
      'agent-spec-compiler:feedback',
    );
    expect([allowed.code, allowed.data.status, allowed.data.written]).toEqual([0, 'ALLOW', BLUEPRINT]);
    const written = readFileSync(file, 'utf8');
    // Appended, nothing else touched: the old text is a prefix once the new lines are taken out.
    expect(written).toContain(
      `- [invariant] ${claim}\n  - Evidence: __blueprint__:intent, agent-spec-compiler:feedback\n  - Promoted: 2026-11-25 (converged, by architect)`,
    );
    expect(written.split('\n').filter((l) => l === `- ${claim}`)).toHaveLength(1);
    const again = await promote(
      '--source',
      '__blueprint__:intent',
      '--source',
      'agent-spec-compiler:feedback',
    );
    expect(again.data.failed).toEqual([{ test: 'ALREADY_PROMOTED', detail: 'claim #4 already states it' }]);

    expect(
      (
        await idse(
          ['blueprint', 'reinforce', '--claim-id', '4', '--source', 'component-impact-parser:implementation'],
          { cwd: root },
        )
      ).code,
    ).toBe(0);
    const bad = await idse(
      ['blueprint', 'reinforce', '--claim-id', '4', '--source', 'component-impact-parser'],
      { cwd: root },
    );
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('is not session:stage')]);
    expect(
      (await idse(['blueprint', 'reinforce', '--claim-id', '9', '--source', 'a:spec'], { cwd: root })).stderr,
    ).toContain('no claim #9 (claims: #1, #2, #3, #4)');

    const noReason = await idse(
      ['blueprint', 'demote', '--claim-id', '1', '--status', 'superseded', '--reason', 'narrowed'],
      { cwd: root },
    );
    expect(noReason.stderr).toContain('needs --superseding-claim-id');
    const demote = await idse(
      [
        'blueprint',
        'demote',
        '--claim-id',
        '1',
        '--status',
        'superseded',
        '--superseding-claim-id',
        '2',
        '--reason',
        'authoritative says more than default',
      ],
      { cwd: root },
    );
    expect(demote.stdout).toBe('Demoted claim #1 (active → superseded)\n');
    const after = (await json(['blueprint', 'claims'], root)).data.claims;
    expect(after.map((c: { status: string }) => c.status)).toEqual([
      'superseded',
      'active',
      'active',
      'active',
    ]);
    expect(after[0].demotion).toEqual({
      reason: 'authoritative says more than default',
      date: '2026-11-25',
      actor: 'operator',
      supersededBy: 2,
    });
    expect(after[3].reinforcements).toEqual([
      {
        source: { session: 'component-impact-parser', stages: ['implementation'] },
        date: '2026-11-25',
        actor: 'system',
      },
    ]);
    // The demoted statement left Core Invariants (both copies), so nothing is repeated any more.
    const verified = await json(['blueprint', 'verify'], root);
    expect([verified.code, verified.data.ok, verified.data.active]).toEqual([0, true, 3]);
  });

  it('verify reports dead evidence and feedback that contradicts a claim', async () => {
    const root = corpusCopy();
    rmSync(join(root, PROJECT, 'sessions/designstore-file-artifacts'), { recursive: true });
    const feedback = join(root, PROJECT, 'sessions/agent-spec-compiler/feedback/feedback.md');
    writeFileSync(
      feedback,
      `${readFileSync(feedback, 'utf8')}\n- [contradiction] claim #2: Postgres, not SQLite, became the storage backend.\n`,
    );
    const verify = await json(['blueprint', 'verify'], root);
    expect(verify.code).toBe(1);
    expect(
      verify.data.problems.map((p: { code: string; message: string }) => `${p.code} ${p.message}`),
    ).toEqual([
      'IDSE041 "SQLite is the default storage backend for project artifacts." is stated again in Core Invariants (first on line 11)',
      'IDSE042 blueprint claim #3 cites designstore-file-artifacts:context|intent, but session designstore-file-artifacts no longer exists',
      'contradicted contradicts blueprint claim #2',
    ]);
  });

  it('declares a founding claim from one session only, and creates the blueprint when there is none', async () => {
    const root = tempDir();
    await idse(['init', 'demo'], { cwd: root });
    const intent = join(root, 'projects/demo/sessions/kickoff/intents/intent.md');
    writeFileSync(
      intent,
      '# Intent\n\n## Goal\nPayments stay with the provider; we never store card numbers.\n',
    );
    const two = await idse(
      [
        'blueprint',
        'declare',
        '--claim',
        'x',
        '--classification',
        'boundary',
        '--source',
        'kickoff:intent',
        '--source',
        'other:spec',
      ],
      { cwd: root },
    );
    expect([two.code, two.stderr]).toEqual([
      2,
      'idse: every --source of a declared claim comes from one session [usage]\n',
    ]);
    const declared = await idse(
      [
        'blueprint',
        'declare',
        '--claim',
        'Card numbers are out of scope: the provider stores them.',
        '--classification',
        'boundary',
        '--source',
        'kickoff:intent',
        '--actor',
        'cto',
      ],
      { cwd: root },
    );
    expect(declared.code).toBe(0);
    const blueprint = readFileSync(
      join(root, 'projects/demo/sessions/__blueprint__/metadata/blueprint.md'),
      'utf8',
    );
    expect(blueprint).toContain(
      '## System Boundaries\n- Card numbers are out of scope: the provider stores them.\n',
    );
    expect(blueprint).toContain(
      '## Promoted Converged Intent\n- [boundary] Card numbers are out of scope: the provider stores them.\n  - Evidence: kickoff:intent\n  - Declared: 2026-11-25 (declared, by cto)',
    );
    expect(blueprint).not.toContain('No converged intent promoted yet');
    const classless = await idse(
      ['blueprint', 'declare', '--claim', 'x', '--classification', 'wish', '--source', 'kickoff:intent'],
      { cwd: root },
    );
    expect(classless.stderr).toContain("unknown classification 'wish'");
  });
});
