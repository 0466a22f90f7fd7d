import { type Doc, list, padTo, sizeTarget, snippet, table } from './doc.ts';
import { markerItem } from './docs-early.ts';
import { isoDate, type SessionModel, type Task } from './model.ts';
import type { Rng } from './prng.ts';
import { component, ident, NOUNS, object, paragraph, sentence } from './prose.ts';

const allTasks = (m: SessionModel): Task[] => m.phases.flatMap((p) => p.tasks);

/** `Task 1.2 / FR-3`: how implementation and feedback docs point back at the plan. */
const taskRef = (rng: Rng, m: SessionModel): string => {
  const task = rng.pick(allTasks(m));
  return `Task ${task.key} / ${rng.pick(task.acceptance.filter((id) => id !== m.flaws.unknownId))}`;
};

export function implementation(rng: Rng, m: SessionModel): string {
  const built = allTasks(m)
    .filter((t) => t.done)
    .map((t) => `Task ${t.key} / ${t.acceptance[0]}: ${sentence(rng)}`);
  const deviations = [paragraph(rng, 1, 2)];
  if (m.flaws.marker === 'implementation') deviations.push(list([markerItem(rng)]));
  const files = () =>
    Array.from({ length: rng.int(1, 3) }, () => `\`src/${rng.pick(NOUNS)}/${ident(rng)}.ts\``);
  const doc: Doc = {
    head: [
      `# Implementation: ${m.session}`,
      `Project: ${m.project} · Owner: ${m.owner} · Started: ${m.date} · Follows: [plan](../plans/plan.md), [tasks](../tasks/tasks.md)`,
    ],
    sections: [
      { title: 'Architecture', blocks: [paragraph(rng), snippet(rng, 'ts')], prose: true },
      { title: 'What Was Built', blocks: [built.length > 0 ? list(built) : 'Nothing merged yet.'] },
      {
        title: 'Validation Reports',
        blocks: [
          table(
            ['Check', 'Result', 'Notes'],
            [
              ['Unit tests', `${rng.int(20, 400)} passed`, sentence(rng)],
              ['Lint', 'clean', 'Biome'],
              ['Type check', 'clean', 'tsc --noEmit'],
            ],
          ),
        ],
        prose: true,
      },
      { title: 'Deviations from Plan', blocks: deviations, prose: true },
      {
        title: 'Component Impact Report',
        blocks: [
          `### Modified Components\n\n${list(files())}`,
          `### New Components Created\n\n${list(files())}`,
          `### Files Edited (no component mapping)\n\n${list(files())}`,
        ],
      },
    ],
  };
  return padTo(rng, doc, sizeTarget(rng));
}

export function feedback(rng: Rng, m: SessionModel): string {
  const actions = Array.from(
    { length: rng.int(1, 3) },
    () =>
      `${taskRef(rng, m)}: ${sentence(rng)} (Owner: ${m.owner}) (Due: ${isoDate(m.day + rng.int(7, 90))})`,
  );
  const doc: Doc = {
    head: [`# Feedback: ${m.session}`, `Project: ${m.project} · Owner: ${m.owner} · Opened: ${m.date}`],
    sections: [
      {
        title: 'External / Internal Feedback',
        blocks: [list([sentence(rng), `${taskRef(rng, m)}: ${sentence(rng)}`])],
        prose: true,
      },
      {
        title: 'Impacted Artifacts',
        blocks: [
          list([
            'Intent / Context: no changes',
            `Spec / Plan / Test Plan: [spec](../specs/spec.md) clarified ${rng.pick(m.frs).id}`,
            `Tasks / Implementation: see [implementation](../implementation/README.md)`,
          ]),
        ],
      },
      {
        title: 'Risks / Issues Raised',
        blocks: [list([`Drift in ${object(rng)}`, sentence(rng)])],
        prose: true,
      },
      { title: 'Actions / Follow-ups', blocks: [list(actions)] },
      {
        title: 'Decision Log',
        blocks: [
          list([
            `${taskRef(rng, m)}: keep the ${component(rng)} ${rng.pick(['stateless', 'behind a flag', 'synchronous'])}`,
          ]),
        ],
        prose: true,
      },
    ],
  };
  if (rng.chance(0.3)) doc.sections[2]!.blocks.push(snippet(rng, 'json'));
  return padTo(rng, doc, sizeTarget(rng));
}

export function meta(rng: Rng, m: SessionModel): string {
  const frontMatter = [
    '---',
    `session: ${m.session}`,
    `project: ${m.project}`,
    `owner: "${m.owner}"`,
    `status: ${m.status}`,
    `created: ${m.date}`,
    `tags: [${rng.sample(NOUNS, rng.int(0, 3)).join(', ')}]`,
    '---',
  ].join('\n');
  const doc: Doc = {
    head: [frontMatter, `# Session: ${m.session}`],
    sections: [
      { title: 'Notes', blocks: [paragraph(rng)], prose: true },
      {
        title: 'Documents',
        blocks: [
          list([
            '[Intent](../intents/intent.md)',
            '[Spec](../specs/spec.md)',
            '[Plan](../plans/plan.md) and [test plan](../plans/test-plan.md)',
            '[Tasks](../tasks/tasks.md)',
          ]),
        ],
      },
      {
        title: 'History',
        blocks: [
          table(
            ['Date', 'Status', 'By'],
            [
              [m.date, 'draft', m.owner],
              [isoDate(m.day + rng.int(1, 60)), m.status, m.owner],
            ],
          ),
          snippet(rng, 'yaml'),
        ],
        prose: true,
      },
    ],
  };
  return padTo(rng, doc, sizeTarget(rng));
}
