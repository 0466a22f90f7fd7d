import { describe, expect, it } from 'vitest';
import { routeWorkspace } from '../../../src/agents/routing.ts';
import { parseConfig } from '../../../src/config/parse.ts';
import { defaultConfig } from '../../../src/config/schema.ts';
import { validate } from '../../../src/engine.ts';
import type { SourceFile } from '../../../src/model/source.ts';
import { RULE_KEYS } from '../../../src/rules/registry.ts';

const file = (path: string, text: string): SourceFile => {
  const content = new TextEncoder().encode(text);
  return { path, size: content.byteLength, content };
};

const UPSTREAM_TASKS = `# Tasks

## Phase 0 – Foundations
- [x] Task 0.1 – Schema (Owner: implementer) (Deps: none) (Acceptance: FR-1)
- [ ] Task 0.2 – Loader [P] (Owner: @claude) (Deps: Task 0.1) (Acceptance: FR-1)

## Phase 1 – Core
- [ ] Task 1.1 – API #api (Owner: someone) (Deps: Phase 0) (Acceptance: FR-2)
- [ ] Task 1.2 – Docs (Deps: 0.1-0.2) (Acceptance: FR-2)
`;

const SPECKIT_TASKS = `# Tasks

## Phase 1: Setup
- [ ] T001 Create project structure
- [ ] T002 [P] Configure linting @codex
- [x] T003 Write contract tests
`;

const config = (yaml: string) => parseConfig(yaml, 'idse.config.yml', RULE_KEYS);

function route(files: SourceFile[], cfg = defaultConfig()) {
  const { workspace } = validate({ files, config: cfg });
  return routeWorkspace(workspace, cfg, { allSessions: true }).map((t) => [
    t.key,
    t.agent ?? '-',
    t.reason,
    t.done ? 'done' : t.ready ? 'ready' : 'waiting',
  ]);
}

describe('task routing', () => {
  it('routes upstream-style tasks by owner alias, route rules and defaults, and knows which can start', () => {
    const cfg = config(
      [
        'agents:',
        '  codex: { aliases: [implementer, gpt-codex] }',
        '  claude: { aliases: [claude-code] }',
        'routes:',
        '  - { agent: codex, when: { tag: api } }',
        '  - { agent: claude, when: { phase: "Phase 1" } }',
        'defaultAgent: claude',
      ].join('\n'),
    );
    expect(route([file('projects/p/sessions/s/tasks/tasks.md', UPSTREAM_TASKS)], cfg)).toEqual([
      ['0.1', 'codex', 'owner', 'done'],
      ['0.2', 'claude', 'owner', 'ready'],
      ['1.1', 'codex', 'route', 'waiting'],
      ['1.2', 'claude', 'route', 'waiting'],
    ]);
  });

  it('routes spec-kit T001 tasks by mention, then the registry’s implementation agent', () => {
    const registry = JSON.stringify({
      agents: [
        { id: 'gpt-codex', stages: ['implementation'] },
        { id: 'claude-code', stages: ['plan'] },
      ],
    });
    const files = [
      file('projects/p/sessions/s/tasks/tasks.md', SPECKIT_TASKS),
      file('projects/p/agent_registry.json', registry),
    ];
    // `@codex` is the registry's `gpt-codex`: one agent, whichever name a task uses.
    expect(route(files)).toEqual([
      ['T1', 'gpt-codex', 'registry', 'ready'],
      ['T2', 'gpt-codex', 'owner', 'ready'],
      ['T3', 'gpt-codex', 'registry', 'done'],
    ]);
  });

  it('knows the common IDE agents without any config, by any of their names, case or @', () => {
    const tasks = [
      '# Tasks',
      '',
      '## Phase 0',
      ...[
        'claude',
        '@Claude-Code',
        'CODEX',
        'gpt-codex',
        '@copilot',
        'GitHub-Copilot',
        'gemini',
        'Cursor',
        'someone',
      ].map((owner, i) => `- [ ] Task 0.${i + 1} – work (Owner: ${owner}) (Acceptance: FR-1)`),
      '',
    ].join('\n');
    const files = [file('projects/p/sessions/s/tasks/tasks.md', tasks)];
    expect(route(files).map(([key, agent, reason]) => `${key} ${agent} ${reason}`)).toEqual([
      '0.1 claude owner',
      '0.2 claude owner',
      '0.3 codex owner',
      '0.4 codex owner',
      '0.5 copilot owner',
      '0.6 copilot owner',
      '0.7 gemini owner',
      '0.8 cursor owner',
      '0.9 - none',
    ]);
    // The registry's names win: the same owners now route to the agents it lists.
    const registry = JSON.stringify({ agents: [{ id: 'claude-code' }, { id: 'github-copilot' }] });
    const withRegistry = route([...files, file('projects/p/agent_registry.json', registry)]);
    expect(withRegistry.map(([, agent]) => agent).slice(0, 6)).toEqual([
      'claude-code',
      'claude-code',
      'codex',
      'codex',
      'github-copilot',
      'github-copilot',
    ]);
    // And the config's agents and aliases win over both.
    const cfg = config('agents:\n  opus: { aliases: [claude, claude-code] }\n');
    expect(
      route(files, cfg)
        .map(([, agent]) => agent)
        .slice(0, 2),
    ).toEqual(['opus', 'opus']);
  });

  it('rejects a route without conditions', () => {
    expect(() => config('routes:\n  - { agent: codex, when: {} }\n')).toThrow(/at least one condition/);
  });
});
