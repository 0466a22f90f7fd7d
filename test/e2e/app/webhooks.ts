/**
 * Real webhook payloads from @octokit/webhooks-examples, brought up to date where GitHub's schema
 * (@octokit/openapi-webhooks) has moved on, pointed at the test repository, and checked against
 * that schema before use, so the handlers see the shapes GitHub sends today.
 */
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';

const require = createRequire(import.meta.url);

interface Example {
  name: string;
  examples: Array<Record<string, unknown>>;
}

const EXAMPLES = require('@octokit/webhooks-examples/api.github.com/index.json') as Example[];
const SCHEMA = require('@octokit/openapi-webhooks/generated/api.github.com.json') as object;

/** A payload being patched: GitHub's shapes are checked by the schema after patching, not by TypeScript. */
// biome-ignore lint/suspicious/noExplicitAny: payloads are edited freely, then validated against GitHub's schema.
type Payload = Record<string, any>;

let ajv: Ajv2020 | undefined;

/** Throws, listing GitHub's schema violations, unless `payload` is a valid `event` payload. */
export function assertWebhookShape(event: string, payload: Record<string, unknown>): void {
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true });
    ajvFormats.default(ajv);
    ajv.addSchema(SCHEMA, 'webhooks');
  }
  const action = typeof payload.action === 'string' ? `-${payload.action}` : '';
  const key = `${event.replace(/_/g, '-')}${action}`;
  const validate = ajv.compile({
    $ref: `webhooks#/webhooks/${key}/post/requestBody/content/application~1json/schema`,
  });
  if (!validate(payload)) {
    const problems = (validate.errors ?? []).map(
      (e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`,
    );
    throw new Error(`${key} payload does not match GitHub's schema:\n${problems.join('\n')}`);
  }
}

/** A deep copy of the first example of `event` with `action` (or, for push, no action). */
function example(event: string, action?: string): Payload {
  const entry = EXAMPLES.find((e) => e.name === event);
  const found = entry?.examples.find((x) => x.action === action && conformable(event, x));
  if (!found)
    throw new Error(`no ${event}${action ? `.${action}` : ''} example in @octokit/webhooks-examples`);
  return structuredClone(found) as Payload;
}

/** Skips examples whose sample data breaks formats (e.g. an email that is not one). */
function conformable(event: string, payload: Record<string, unknown>): boolean {
  try {
    assertWebhookShape(event, modernise(structuredClone(payload) as Payload));
    return true;
  } catch {
    return false;
  }
}

/**
 * Fields GitHub added after the examples were recorded. Each is a real field of today's payloads
 * (required by the schema); values are what GitHub sends for a plain repository and App.
 */
function modernise(p: Payload): Payload {
  const repos = [p.repository, p.pull_request?.head?.repo, p.pull_request?.base?.repo].filter(Boolean);
  for (const repo of repos) {
    repo.has_discussions ??= false;
    repo.topics ??= [];
    repo.visibility ??= repo.private ? 'private' : 'public';
    repo.disabled ??= false;
  }
  if (p.pull_request) p.pull_request.auto_merge ??= null;
  if (p.installation && 'account' in p.installation) {
    const i = p.installation;
    i.app_slug ??= 'idse';
    i.suspended_by ??= null;
    i.suspended_at ??= null;
    for (const key of ['created_at', 'updated_at']) {
      if (typeof i[key] === 'number') i[key] = new Date(i[key] * 1000).toISOString();
    }
  }
  if ('repositories_added' in p) p.requester ??= null;
  const run = p.check_run;
  if (run) {
    run.node_id ??= 'CR_kwDOtest';
    run.details_url ??= 'https://github.example/apps/idse';
    // Old examples wrote App timestamps as `2018-04-25 20:42:10`; GitHub sends ISO 8601 now.
    for (const app of [run.app, run.check_suite?.app].filter(Boolean)) {
      app.permissions ??= { checks: 'write', contents: 'read', pull_requests: 'read', metadata: 'read' };
      app.events ??= ['check_run', 'check_suite', 'pull_request', 'push'];
      for (const key of ['created_at', 'updated_at']) {
        if (typeof app[key] === 'string' && app[key].includes(' '))
          app[key] = `${app[key].replace(' ', 'T')}Z`;
      }
    }
  }
  return p;
}

export interface RepoTarget {
  owner: string;
  repo: string;
  repoId: number;
  installationId: number;
  appId: number;
}

function retarget(p: Payload, t: RepoTarget): Payload {
  modernise(p);
  const point = (repo: Payload | undefined) => {
    if (!repo) return;
    repo.id = t.repoId;
    repo.name = t.repo;
    repo.full_name = `${t.owner}/${t.repo}`;
    // The test repository's only long-lived branch (the examples say master).
    repo.default_branch = 'main';
    if ('master_branch' in repo) repo.master_branch = 'main';
    if (repo.owner) {
      repo.owner.login = t.owner;
      if ('name' in repo.owner) repo.owner.name = t.owner;
    }
  };
  point(p.repository);
  point(p.pull_request?.head?.repo);
  point(p.pull_request?.base?.repo);
  if (p.installation) p.installation.id = t.installationId;
  else p.installation = { id: t.installationId, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  return p;
}

export function pushPayload(
  t: RepoTarget,
  push: {
    ref?: string;
    before: string;
    after: string;
    forced?: boolean;
    deleted?: boolean;
    created?: boolean;
  },
): Payload {
  const p = retarget(example('push'), t);
  p.ref = push.ref ?? 'refs/heads/main';
  p.before = push.before;
  p.after = push.after;
  p.forced = push.forced ?? false;
  p.deleted = push.deleted ?? false;
  p.created = push.created ?? /^0+$/.test(push.before);
  if (p.deleted) {
    p.head_commit = null;
    p.commits = [];
  } else if (p.head_commit) {
    p.head_commit.id = push.after;
    p.head_commit.tree_id = push.after;
  }
  p.compare = `https://github.example/${t.owner}/${t.repo}/compare/${push.before.slice(0, 12)}...${push.after.slice(0, 12)}`;
  assertWebhookShape('push', p);
  return p;
}

export function pullRequestPayload(
  t: RepoTarget,
  action: 'opened' | 'synchronize' | 'reopened',
  pr: { number: number; head: string; base: string; headRef: string; baseRef?: string; before?: string },
): Payload {
  const p = retarget(example('pull_request', action), t);
  p.number = pr.number;
  p.pull_request.number = pr.number;
  p.pull_request.state = 'open';
  p.pull_request.head.sha = pr.head;
  p.pull_request.head.ref = pr.headRef;
  p.pull_request.base.sha = pr.base;
  p.pull_request.base.ref = pr.baseRef ?? 'main';
  if (action === 'synchronize') {
    p.before = pr.before ?? pr.base;
    p.after = pr.head;
  }
  assertWebhookShape('pull_request', p);
  return p;
}

export function checkSuitePayload(
  t: RepoTarget,
  action: 'requested' | 'rerequested',
  suite: { head: string; branch?: string; before?: string },
): Payload {
  const p = retarget(example('check_suite', action), t);
  const s = p.check_suite;
  s.head_sha = suite.head;
  s.after = suite.head;
  s.before = suite.before ?? null;
  s.head_branch = suite.branch ?? 'main';
  s.pull_requests = [];
  if (s.head_commit) s.head_commit.id = suite.head;
  if (s.app) s.app.id = t.appId;
  assertWebhookShape('check_suite', p);
  return p;
}

export function checkRunPayload(
  t: RepoTarget,
  run: {
    id: number;
    head: string;
    name?: string;
    pull?: { number: number; base: string; baseRef?: string; headRef: string };
  },
): Payload {
  const p = retarget(example('check_run', 'rerequested'), t);
  const r = p.check_run;
  r.id = run.id;
  r.name = run.name ?? 'idse';
  r.head_sha = run.head;
  r.app.id = t.appId;
  r.check_suite.head_sha = run.head;
  r.check_suite.after = run.head;
  r.check_suite.head_branch = run.pull?.headRef ?? 'main';
  const prs = run.pull
    ? [
        {
          id: 1,
          number: run.pull.number,
          url: `https://github.example/api/v3/repos/${t.owner}/${t.repo}/pulls/${run.pull.number}`,
          head: {
            ref: run.pull.headRef,
            sha: run.head,
            repo: { id: t.repoId, name: t.repo, url: 'https://x' },
          },
          base: {
            ref: run.pull.baseRef ?? 'main',
            sha: run.pull.base,
            repo: { id: t.repoId, name: t.repo, url: 'https://x' },
          },
        },
      ]
    : [];
  r.pull_requests = prs;
  r.check_suite.pull_requests = prs;
  assertWebhookShape('check_run', p);
  return p;
}

export function installationPayload(t: RepoTarget, action: 'created' | 'deleted'): Payload {
  const p = retarget(example('installation', action), t);
  p.repositories = [
    { id: t.repoId, node_id: 'R_1', name: t.repo, full_name: `${t.owner}/${t.repo}`, private: false },
  ];
  assertWebhookShape('installation', p);
  return p;
}

export function installationRepositoriesPayload(
  t: RepoTarget,
  action: 'added' | 'removed',
  repos: Array<{ id: number; name: string }>,
): Payload {
  const p = retarget(example('installation_repositories', action), t);
  const list = repos.map((r) => ({
    id: r.id,
    node_id: `R_${r.id}`,
    name: r.name,
    full_name: `${t.owner}/${r.name}`,
    private: false,
  }));
  p.repositories_added = action === 'added' ? list : [];
  p.repositories_removed = action === 'removed' ? list : [];
  p.repository_selection = 'selected';
  assertWebhookShape('installation_repositories', p);
  return p;
}

/** `x-hub-signature-256` as GitHub computes it. */
export const sign = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
