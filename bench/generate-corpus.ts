/**
 * Writes a deterministic IDSE workspace for benchmarks:
 *   node bench/generate-corpus.ts [--sessions 1000] [--out bench/.corpus] [--seed 1]
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { context, intent, spec } from './gen/docs-early.ts';
import { feedback, implementation, meta } from './gen/docs-late.ts';
import { plan, tasks, testPlan } from './gen/docs-plan.ts';
import { buildSession, type SessionModel, sessionName, uniqueName } from './gen/model.ts';
import { createRng, type Rng } from './gen/prng.ts';
import { NOUNS } from './gen/prose.ts';

export interface CorpusOptions {
  sessions: number;
  seed: number;
  out: string;
}

export interface CorpusStats {
  projects: number;
  sessions: number;
  docs: number;
  bytes: number;
}

/** The canonical paths `idse init` writes, so the corpus exercises the common layout. */
const DOCS: ReadonlyArray<readonly [string, (rng: Rng, m: SessionModel) => string]> = [
  ['intents/intent.md', intent],
  ['contexts/context.md', context],
  ['specs/spec.md', spec],
  ['plans/plan.md', plan],
  ['plans/test-plan.md', testPlan],
  ['tasks/tasks.md', tasks],
  ['implementation/README.md', implementation],
  ['feedback/feedback.md', feedback],
  ['metadata/meta.md', meta],
];

const PROJECT_KINDS = ['service', 'platform', 'toolkit', 'portal', 'engine', 'gateway'];

export function generateCorpus(options: CorpusOptions): CorpusStats {
  const rng = createRng(options.seed);
  clearOut(options.out);
  const projectNames = new Set<string>();
  const projects = Array.from({ length: Math.max(1, Math.round(options.sessions / 10)) }, () => ({
    name: uniqueName(projectNames, () => `${rng.pick(NOUNS)}-${rng.pick(PROJECT_KINDS)}`),
    sessions: [] as string[],
    taken: new Set<string>(),
  }));
  const stats: CorpusStats = { projects: projects.length, sessions: options.sessions, docs: 0, bytes: 0 };
  // Every project gets one session, the rest land unevenly, as in real workspaces.
  for (let i = 0; i < options.sessions; i++) {
    const project = i < projects.length ? projects[i]! : rng.pick(projects);
    project.sessions.push(uniqueName(project.taken, () => sessionName(rng)));
  }
  for (const project of projects) {
    const projectDir = join(options.out, 'projects', project.name);
    const last = project.sessions.length - 1;
    project.sessions.forEach((session, i) => {
      const status =
        i === last ? 'in_progress' : rng.pick(['complete', 'complete', 'complete', 'review'] as const);
      const model = buildSession(rng, {
        project: project.name,
        session,
        day: i * 14 + rng.int(0, 6),
        status,
      });
      for (const [path, render] of DOCS) {
        const text = render(rng, model);
        write(join(projectDir, 'sessions', session, path), text);
        stats.docs++;
        stats.bytes += Buffer.byteLength(text);
      }
    });
    write(join(projectDir, 'CURRENT_SESSION'), `${project.sessions[last]}\n`);
  }
  return stats;
}

/** A mistyped `--out .` must not wipe a checkout: only a folder we generated (or an empty one) goes. */
function clearOut(out: string): void {
  if (!existsSync(out)) return;
  const foreign = readdirSync(out).filter((name) => name !== 'projects');
  if (foreign.length > 0) {
    throw new Error(
      `refusing to delete ${out}: it holds ${foreign.slice(0, 3).join(', ')}, not a generated corpus`,
    );
  }
  rmSync(out, { recursive: true, force: true });
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      sessions: { type: 'string', default: '1000' },
      out: { type: 'string', default: 'bench/.corpus' },
      seed: { type: 'string', default: '1' },
    },
  });
  const sessions = Number(values.sessions);
  const seed = Number(values.seed);
  if (!Number.isInteger(sessions) || sessions < 1 || !Number.isInteger(seed)) {
    console.error('usage: node bench/generate-corpus.ts [--sessions N>=1] [--out DIR] [--seed INT]');
    process.exit(2);
  }
  const out = resolve(values.out);
  const stats = generateCorpus({ sessions, seed, out });
  console.log(
    `${stats.docs} docs, ${stats.bytes} bytes (${(stats.bytes / 1e6).toFixed(1)} MB) in ${stats.sessions} sessions / ${stats.projects} projects → ${out}`,
  );
}

if (import.meta.main) {
  try {
    main();
  } catch (error) {
    console.error(`generate-corpus: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
