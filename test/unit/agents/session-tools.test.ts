import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFeedback, findSession, markTaskDone, readDoc } from '../../../src/agents/session-tools.ts';
import { IdseError } from '../../../src/errors.ts';
import { type LoadedWorkspace, loadWorkspace } from '../../../src/run/load.ts';

const S = 'projects/p/sessions/s';
const TASKS = '# Tasks\n\n## Phase 0\n\n- [ ] Task 0.1 – build (Owner: @codex) (Acceptance: FR-1)\n';
const SPEC = '# Specification: s\n\n## Functional Requirements\n\n- FR-1: Export a report as CSV.\n';
let root: string;
let outside: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'idse-tools-'));
  outside = mkdtempSync(join(tmpdir(), 'idse-tools-outside-'));
  put(`${S}/intents/intent.md`, '# Intent: s\n\n## Goal\n\nCSV export.\n');
  put(`${S}/specs/spec.md`, SPEC);
  put(`${S}/tasks/tasks.md`, TASKS);
  writeFileSync(join(outside, 'secret.md'), 'outside the session\n');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

function put(rel: string, text: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

/** Swaps a file or folder for a symlink to `target` after the workspace was loaded. */
function swap(rel: string, target: string): void {
  rmSync(join(root, rel), { recursive: true, force: true });
  symlinkSync(target, join(root, rel));
}

const load = () => loadWorkspace({ cwd: root, cache: false });
const read = (abs: string) => readFileSync(abs, 'utf8');
const codeOf = (work: () => unknown): string | undefined => {
  try {
    work();
  } catch (error) {
    if (error instanceof IdseError) return error.code;
    throw error;
  }
  return undefined;
};

describe('session tools stay inside the session after symlinks', () => {
  let loaded: LoadedWorkspace;
  beforeEach(async () => {
    loaded = await load();
  });
  const session = () => findSession(loaded, 'p', 's');

  it('read_doc by kind does not follow a doc symlinked out of the session', () => {
    expect(readDoc(loaded, session(), { kind: 'spec' }, read).text).toBe(SPEC);
    swap(`${S}/specs/spec.md`, join(outside, 'secret.md'));
    expect(codeOf(() => readDoc(loaded, session(), { kind: 'spec' }, read))).toBe('outside-session');
  });

  it('read_doc by kind does not read another session through a symlink', async () => {
    put('projects/p/sessions/other/specs/spec.md', '# Specification: other\n');
    swap(`${S}/specs/spec.md`, '../../other/specs/spec.md');
    loaded = await load();
    expect(codeOf(() => readDoc(loaded, session(), { kind: 'spec' }, read))).toBe('outside-session');
  });

  it('append_feedback writes nothing through a symlinked folder, even for a file not created yet', () => {
    symlinkSync(outside, join(root, S, 'feedback'));
    const entry = { text: 'built', tasks: ['0.1'], date: '2026-11-25' };
    const readIfThere = (abs: string) => (existsSync(abs) ? read(abs) : undefined);
    expect(codeOf(() => appendFeedback(loaded, session(), entry, readIfThere))).toBe('outside-session');
    expect(existsSync(join(outside, 'feedback.md'))).toBe(false);
  });

  it('mark_task_done does not write through a tasks doc swapped for a symlink', () => {
    writeFileSync(join(outside, 'tasks.md'), TASKS);
    swap(`${S}/tasks/tasks.md`, join(outside, 'tasks.md'));
    expect(codeOf(() => markTaskDone(loaded, session(), 'Task 0.1', read))).toBe('outside-session');
    expect(read(join(outside, 'tasks.md'))).toBe(TASKS);
  });

  it('refuses a 5 MB path at once', () => {
    const huge = 'a/'.repeat(2_500_000);
    const started = performance.now();
    expect(codeOf(() => readDoc(loaded, session(), { path: huge }, read))).toBe('usage');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
