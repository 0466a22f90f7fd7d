import type { Diagnostic } from '../../../src/diagnostics.ts';
import type { Report } from '../../../src/report/schema.ts';
import { VERSION } from '../../../src/version.ts';

const S1 = 'projects/alpha/sessions/s1';
const S2 = 'projects/beta/sessions/s2';
const DOCS = `https://github.com/idse-toolkit/idse/blob/v${VERSION}/docs/rules/`;

/** A message exercising every escaping rule: `%`, `,`, `:`, quotes, a newline and `<&>`. */
export const TRICKY_MESSAGE = 'Secret "api_key" at 100%, rotate: now\nthen <&> purge';

const diagnostics: Diagnostic[] = [
  {
    code: 'IDSE012',
    rule: 'requirement-without-task',
    severity: 'warning',
    message: 'REQ-3 is not cited by any task',
    file: `${S1}/specs/spec.md`,
    range: { start: { line: 30, column: 5 }, end: { line: 30, column: 10 } },
    project: 'alpha',
    session: 's1',
    url: `${DOCS}IDSE012.md`,
  },
  {
    code: 'IDSE020',
    rule: 'secret-in-doc',
    severity: 'error',
    message: TRICKY_MESSAGE,
    file: `${S1}/intents/intent.md`,
    range: { start: { line: 3, column: 1 }, end: { line: 3, column: 9 } },
    project: 'alpha',
    session: 's1',
    fix: {
      description: 'Redact the secret',
      file: `${S1}/intents/intent.md`,
      range: { start: { line: 3, column: 1 }, end: { line: 3, column: 9 } },
      text: '[redacted]',
    },
    url: `${DOCS}IDSE020.md`,
  },
  {
    code: 'IDSE012',
    rule: 'requirement-without-task',
    severity: 'warning',
    message: 'REQ-3 is not cited by any task',
    file: `${S1}/specs/spec.md`,
    range: { start: { line: 12, column: 5 }, end: { line: 12, column: 10 } },
    project: 'alpha',
    session: 's1',
    related: [
      {
        file: `${S1}/tasks/tasks.md`,
        range: { start: { line: 4, column: 1 }, end: { line: 4, column: 20 } },
        message: 'tasks are listed here',
      },
    ],
    url: `${DOCS}IDSE012.md`,
  },
  {
    code: 'IDSE003',
    rule: 'required-section',
    severity: 'warning',
    message: 'Missing section "Goals"',
    file: `${S2}/intents/intent.md`,
    project: 'beta',
    session: 's2',
    url: `${DOCS}IDSE003.md`,
  },
  {
    code: 'IDSE099',
    rule: 'readme-hint',
    severity: 'info',
    message: 'Consider linking the constitution',
    file: 'README.md',
    range: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
  },
];

/** Two sessions, one clean file per session, findings with and without ranges and one outside sessions. */
export function sampleReport(): Report {
  return {
    schema: 'idse.report/v1',
    tool: { name: 'idse', version: '1.2.3' },
    root: '/work/ws',
    summary: { files: 6, sessions: 2, errors: 1, warnings: 3, infos: 1 },
    sessions: [
      {
        project: 'alpha',
        session: 's1',
        path: S1,
        stage: 'spec',
        status: 'in-progress',
        current: true,
        docs: [
          { kind: 'intent', path: `${S1}/intents/intent.md` },
          { kind: 'spec', path: `${S1}/specs/spec.md` },
          { kind: 'tasks', path: `${S1}/tasks/tasks.md` },
        ],
        missing: ['context', 'plan', 'test-plan', 'implementation', 'feedback'],
        markers: 0,
        coverage: { requirements: 4, withTasks: 3, withTests: 2, aligned: 1, tasks: 5, tasksDone: 1 },
        errors: 1,
        warnings: 2,
      },
      {
        project: 'beta',
        session: 's2',
        path: S2,
        current: false,
        docs: [
          { kind: 'intent', path: `${S2}/intents/intent.md` },
          { kind: 'context', path: `${S2}/contexts/context.md` },
        ],
        missing: ['spec', 'plan', 'test-plan', 'tasks', 'implementation', 'feedback'],
        markers: 1,
        coverage: { requirements: 0, withTasks: 0, withTests: 0, aligned: 0, tasks: 0, tasksDone: 0 },
        errors: 0,
        warnings: 1,
      },
    ],
    diagnostics: structuredClone(diagnostics),
    rules: [
      {
        code: 'IDSE003',
        name: 'required-section',
        description: 'Each doc has the sections its template defines.',
        article: 'III',
        defaultSeverity: 'error',
        url: `${DOCS}IDSE003.md`,
      },
      {
        code: 'IDSE012',
        name: 'requirement-without-task',
        description: 'Every requirement the spec defines is cited by at least one task.',
        article: 'VIII',
        defaultSeverity: 'warning',
        url: `${DOCS}IDSE012.md`,
      },
      {
        code: 'IDSE020',
        name: 'secret-in-doc',
        description: 'Docs do not contain credentials.',
        article: 'VI',
        defaultSeverity: 'error',
        url: `${DOCS}IDSE020.md`,
      },
    ],
  };
}
