import { type Doc, list, padTo, sizeTarget, snippet, table } from './doc.ts';
import { markerItem } from './docs-early.ts';
import type { SessionModel, Task } from './model.ts';
import type { Rng } from './prng.ts';
import { component, ident, object, paragraph, sentence } from './prose.ts';

export function plan(rng: Rng, m: SessionModel): string {
  const links = m.flaws.brokenLink
    ? 'Implements: [spec](../specs/spec.md) · Tests: [test plan](./test-plan.md) · Design: [notes](./design-notes.md)'
    : 'Implements: [spec](../specs/spec.md) · Tests: [test plan](./test-plan.md)';
  const dataModel = [paragraph(rng, 1, 3), snippet(rng, rng.pick(['sql', 'ts', 'json']))];
  if (m.flaws.marker === 'plan') dataModel.push(list([markerItem(rng)]));
  const doc: Doc = {
    head: [`# Plan: ${m.session}`, links],
    sections: [
      { title: 'Architecture Summary', blocks: [paragraph(rng), snippet(rng, 'text')], prose: true },
      {
        title: 'Components',
        blocks: [
          table(
            ['Component', 'Responsibility', 'Interfaces / Dependencies', 'Requirements'],
            m.frs.map((r) => [`\`${ident(rng)}\``, `Owns ${object(rng)}`, component(rng), r.id]),
          ),
        ],
      },
      { title: 'Data Model', blocks: dataModel, prose: true },
      { title: 'API Contracts', blocks: [sentence(rng), snippet(rng, 'ts')], prose: true },
      {
        title: 'Test Strategy',
        blocks: [`${sentence(rng)} Cases live in the [test plan](./test-plan.md).`],
        prose: true,
      },
      {
        title: 'Phases',
        blocks: [list(m.phases.map((p) => `Phase ${p.index} – ${p.title}: ${sentence(rng)}`))],
      },
    ],
  };
  return padTo(rng, doc, sizeTarget(rng));
}

export function testPlan(rng: Rng, m: SessionModel): string {
  const envs = [snippet(rng, 'bash')];
  if (m.flaws.marker === 'test-plan') envs.push(list([markerItem(rng)]));
  const doc: Doc = {
    head: [`# Test Plan: ${m.session}`, 'Verifies: [spec](../specs/spec.md) · Follows: [plan](./plan.md)'],
    sections: [
      { title: 'Scope', blocks: [paragraph(rng)], prose: true },
      {
        title: 'Strategy',
        blocks: [
          table(
            ['Level', 'Tool', 'Where'],
            [
              ['Unit', 'Vitest', 'local, CI'],
              ['Integration', 'Vitest + fixtures', 'CI'],
              ['End-to-end', rng.pick(['CLI harness', 'Playwright']), rng.pick(['CI', 'staging'])],
            ],
          ),
          paragraph(rng, 1, 2),
        ],
        prose: true,
      },
      {
        title: 'Test Cases',
        blocks: [list(m.tests.map((t) => `${t.id} covers ${t.covers.join(', ')}: ${sentence(rng)}`))],
      },
      { title: 'Environments', blocks: envs, prose: true },
      {
        title: 'Exit Criteria',
        blocks: [
          list(['All cases pass in CI', `Coverage of changed lines ≥ ${rng.int(70, 95)}%`, sentence(rng)]),
        ],
      },
    ],
  };
  return padTo(rng, doc, sizeTarget(rng));
}

const taskLine = (t: Task, dash: string): string =>
  `- [${t.done ? 'x' : ' '}] Task ${t.key} ${dash} ${t.text}${t.parallel ? ' [P]' : ''} (Owner: ${t.owner}) (Deps: ${t.deps}) (Acceptance: ${t.acceptance.join(', ')})`;

export function tasks(rng: Rng, m: SessionModel): string {
  // Upstream docs use both the em and the en dash after the task label.
  const dash = rng.pick(['–', '—']);
  const notes = [paragraph(rng, 1, 3)];
  if (rng.chance(0.6)) notes.push(snippet(rng, 'bash'));
  if (m.flaws.marker === 'tasks') notes.push(list([markerItem(rng)]));
  const doc: Doc = {
    head: [`# Tasks: ${m.session}`, '[P] = parallel safe', `Derived from the [plan](../plans/plan.md).`],
    sections: [
      ...m.phases.map((p) => ({
        title: `Phase ${p.index} – ${p.title}`,
        blocks: [p.tasks.map((t) => taskLine(t, dash)).join('\n')],
      })),
      { title: 'Notes', blocks: notes, prose: true },
    ],
  };
  return padTo(rng, doc, sizeTarget(rng));
}
