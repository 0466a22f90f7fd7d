import { type Doc, fence, list, MARKER, padTo, type Section, sizeTarget, snippet, table } from './doc.ts';
import type { SessionModel } from './model.ts';
import type { Rng } from './prng.ts';
import { component, object, paragraph, qualifier, STACK, sentence } from './prose.ts';

const byline = (m: SessionModel, verb = 'Created'): string =>
  `Project: ${m.project} · Owner: ${m.owner} · ${verb}: ${m.date}`;

/** An unresolved marker, as authors leave them: a bullet with the question still open. */
export const markerItem = (rng: Rng): string => `${MARKER} ${sentence(rng)}`;

const sentences = (rng: Rng, min: number, max: number): string[] =>
  Array.from({ length: rng.int(min, max) }, () => sentence(rng));

export function intent(rng: Rng, m: SessionModel): string {
  const doc: Doc = {
    head: [`# Intent: ${m.session}`, byline(m)],
    sections: [
      { title: 'Goal', blocks: [paragraph(rng, 2, 3)], prose: true },
      { title: 'Problem / Opportunity', blocks: [list(sentences(rng, 3, 5))], prose: true },
      {
        title: 'Stakeholders / Users',
        blocks: [
          list([`Maintainers of the ${component(rng)}`, `${m.owner} (session owner)`, 'CI pipelines']),
        ],
      },
      {
        title: 'Success Criteria',
        blocks: [list([`p95 under ${rng.int(50, 500)} ms`, `Zero lost ${object(rng)}`, sentence(rng)])],
      },
      { title: 'Constraints / Assumptions / Risks', blocks: [list(sentences(rng, 2, 4))], prose: true },
      {
        title: 'Scope',
        blocks: [list([`In scope: ${object(rng)}, ${object(rng)}`, `Out of scope: ${object(rng)}`])],
      },
      { title: 'Time / Priority', blocks: [list([`Priority: ${rng.pick(['High', 'Medium', 'Low'])}`])] },
    ],
  };
  if (rng.chance(0.4)) doc.sections[1]!.blocks.push(snippet(rng, 'bash'));
  return padTo(rng, doc, sizeTarget(rng));
}

export function context(rng: Rng, m: SessionModel): string {
  const stack = rng.sample(STACK, rng.int(4, 7)).map(([layer, choice]) => [layer, choice, sentence(rng)]);
  const risks: Section = { title: 'Risks & Unknowns', blocks: [], prose: true };
  risks.blocks.push(
    table(
      ['Risk', 'Likelihood', 'Mitigation'],
      Array.from({ length: rng.int(2, 4) }, () => [
        `Drift in ${object(rng)}`,
        rng.pick(['Low', 'Medium', 'High']),
        `Guard the ${component(rng)} ${qualifier(rng)}`,
      ]),
    ),
  );
  if (m.flaws.marker === 'context') risks.blocks.push(list([markerItem(rng)]));
  const doc: Doc = {
    head: [`# Context: ${m.session}`, byline(m)],
    sections: [
      { title: 'Environment', blocks: [paragraph(rng), snippet(rng, 'bash')], prose: true },
      {
        title: 'Stack',
        blocks: [
          table(['Layer', 'Choice', 'Notes'], stack),
          `Reference: [SQLite docs](https://www.sqlite.org/docs.html), [Node.js fs API](https://nodejs.org/api/fs.html).`,
        ],
      },
      { title: 'Constraints', blocks: [list(sentences(rng, 2, 5))], prose: true },
      risks,
    ],
  };
  return padTo(rng, doc, sizeTarget(rng));
}

export function spec(rng: Rng, m: SessionModel): string {
  // Upstream sessions use both `### FR-1: …` headings and `- FR-1: …` bullets.
  const headings = rng.chance(0.85);
  const frBlocks = headings
    ? m.frs.map((r) => `### ${r.id}: ${r.title}\n\n${paragraph(rng, 1, 3)}`)
    : [list(m.frs.map((r) => `${r.id}: ${r.title}. ${sentence(rng)}`))];
  const questions =
    m.flaws.marker === 'spec' ? list([markerItem(rng)]) : rng.pick(['None.', list([sentence(rng)])]);
  const profile = rng.chance(0.5)
    ? ['Not applicable: this session defines no agent.']
    : [
        sentence(rng),
        fence(
          'yaml',
          `id: ${m.session}-agent\nname: ${m.session}\ndescription: ${sentence(rng)}\ngoals:\n  - ${sentence(rng)}\ntools: []\nversion: "1.0"\nsource_session: ${m.session}`,
        ),
      ];
  const doc: Doc = {
    head: [
      `# Specification: ${m.session}`,
      'Traces to: [intent](../intents/intent.md) · [context](../contexts/context.md)',
    ],
    sections: [
      {
        title: 'Overview',
        blocks: [
          paragraph(rng),
          table(
            // No requirement IDs here: a table row led by an ID reads as a second definition of it.
            ['Area', 'Priority', 'Notes'],
            m.frs.map(() => [component(rng), rng.pick(['Must', 'Should', 'Could']), sentence(rng)]),
          ),
        ],
        prose: true,
      },
      {
        title: 'User Stories',
        blocks: [
          list(
            Array.from(
              { length: rng.int(2, 4) },
              () =>
                `As ${rng.pick(['a maintainer', 'a reviewer', 'an agent', 'an operator'])}, I want ${object(rng)} handled ${qualifier(rng)}, so that releases stay predictable.`,
            ),
          ),
        ],
      },
      { title: 'Functional Requirements', blocks: frBlocks },
      {
        title: 'Non-Functional Requirements',
        blocks: [list(m.nfrs.map((r) => `${r.id}: ${r.title}; ${sentence(rng)}`))],
      },
      {
        title: 'Acceptance Criteria',
        blocks: [list(m.acs.map((r) => `${r.id}: ${sentence(rng)} (${rng.pick(m.frs).id})`))],
      },
      {
        title: 'Assumptions / Constraints / Dependencies',
        blocks: [list(sentences(rng, 2, 4))],
        prose: true,
      },
      { title: 'Open Questions', blocks: [questions] },
      { title: 'Agent Profile', blocks: profile },
    ],
  };
  return padTo(rng, doc, sizeTarget(rng));
}
