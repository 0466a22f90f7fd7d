import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'clipanion';
import { type Candidate, extractCandidates } from '../../src/blueprint/candidates.ts';
import {
  addToClaim,
  appendClaim,
  blueprintTemplate,
  CLAIM_STATUSES,
  CLASSIFICATIONS,
  type Claim,
  type Classification,
  type Evidence,
  formatEvidence,
  parseSource,
  withdrawStatement,
} from '../../src/blueprint/claims.ts';
import { contradictingLines } from '../../src/blueprint/contradiction.ts';
import { evaluatePromotion, type PromotionDecision, sessionsFeedback } from '../../src/blueprint/gate.ts';
import { BLUEPRINT_SESSION, blueprintOf } from '../../src/blueprint/workspace.ts';
import { IdseError } from '../../src/errors.ts';
import { type Stage, StageSchema, stageOfKind } from '../../src/pipeline/stages.ts';
import { writeFilesAtomically } from '../../src/scaffold/write.ts';
import { type LoadedWorkspace, loadWorkspace } from '../../src/workspace/load.ts';
import type { ProjectModel } from '../../src/workspace/model.ts';
import { docStarted } from '../../src/workspace/progress.ts';
import { IdseCommand } from '../base.ts';
import { pickProject } from '../project.ts';

/** Rules whose findings `verify` reports with its own checks. */
const BLUEPRINT_RULES = new Set(['IDSE040', 'IDSE041', 'IDSE042']);

abstract class BlueprintCommand extends IdseCommand {
  project = Option.String('-p,--project', { description: 'Project (default: the only one)' });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

  protected async load() {
    const loaded = await loadWorkspace({ cwd: this.context.cwd, env: this.context.env, root: this.root });
    const project = pickProject(loaded.workspace, this.project);
    return { loaded, project, blueprint: blueprintOf(project) };
  }

  protected readText(loaded: LoadedWorkspace): (path: string) => string | undefined {
    return (path) => {
      const abs = join(loaded.root, path);
      return existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
    };
  }

  protected today(): string {
    return this.context.now().toISOString().slice(0, 10);
  }

  protected sources(refs: readonly string[]): Evidence[] {
    return refs.map((ref) => {
      const source = parseSource(ref);
      if ('problem' in source) throw new IdseError('usage', `--source ${source.problem}`);
      return source;
    });
  }

  /** The claim `--claim-id` names, or a usage error listing the ids there are. */
  protected claimOf(claims: readonly Claim[], id: string): Claim {
    const claim = claims.find((c) => String(c.id) === id.replace(/^#/, ''));
    if (!claim)
      throw new IdseError(
        'usage',
        `no claim #${id} (claims: ${claims.map((c) => `#${c.id}`).join(', ') || 'none'})`,
      );
    return claim;
  }

  protected write(loaded: LoadedWorkspace, file: string, text: string): void {
    writeFilesAtomically(loaded.root, new Map([[file, text]]), { force: true });
  }
}

abstract class ClaimWriteCommand extends BlueprintCommand {
  claim = Option.String('--claim', { required: true, description: 'The claim, one sentence' });
  classification = Option.String('--classification', {
    required: true,
    description: `Its constitutional class: ${CLASSIFICATIONS.join(', ')}`,
  });
  source = Option.Array('--source', {
    required: true,
    description: 'Evidence as session:stage (repeatable)',
  });
  actor = Option.String('--actor', { description: 'Who records it (default: architect)' });

  /** Evaluate the claim and, unless told not to, append it to the blueprint (created if missing). */
  protected async record(
    origin: 'converged' | 'declared',
    minDays: number,
    dryRun: boolean,
  ): Promise<number> {
    const classification = this.classification.toLowerCase();
    if (!(CLASSIFICATIONS as readonly string[]).includes(classification))
      throw new IdseError(
        'usage',
        `unknown classification '${this.classification}' (${CLASSIFICATIONS.join(', ')})`,
      );
    const claim = this.claim.trim().replace(/\s+/g, ' ');
    if (!claim) throw new IdseError('usage', 'a claim cannot be empty');
    const sources = this.sources(this.source);
    if (origin === 'declared' && new Set(sources.map((s) => s.session)).size !== 1)
      throw new IdseError('usage', 'every --source of a declared claim comes from one session');
    const { loaded, project, blueprint } = await this.load();
    const decision = evaluatePromotion({
      project,
      claim,
      classification,
      sources,
      existing: blueprint?.claims ?? [],
      minDays,
      readText: this.readText(loaded),
      convergence: origin === 'converged',
    });
    const written = decision.status === 'ALLOW' && !dryRun;
    let file = blueprint?.file;
    if (written) {
      file ??= `${project.dir}/sessions/${BLUEPRINT_SESSION}/metadata/blueprint.md`;
      const text = appendClaim(blueprint?.text ?? blueprintTemplate(project.name), {
        classification: classification as Classification,
        text: claim,
        evidence: sources,
        origin,
        date: this.today(),
        actor: this.actor ?? 'architect',
      });
      this.write(loaded, file, text);
    }
    this.report(decision, written ? file : undefined);
    return decision.status === 'ALLOW' ? 0 : 1;
  }

  private report(decision: PromotionDecision, file: string | undefined): void {
    if (this.json) {
      this.print(JSON.stringify({ ...decision, ...(file ? { written: file } : {}) }, null, 2));
      return;
    }
    this.print(`Blueprint promotion decision: ${decision.status}`);
    for (const { test, detail } of decision.failed) this.print(`  ✖ ${test}: ${detail}`);
    this.print(
      `Evidence: sessions=${decision.sessions.length} stages=${decision.stages.length} feedback=${decision.feedback.length}`,
    );
    if (file) this.print(`Recorded in ${file}`);
  }
}

export class BlueprintPromoteCommand extends ClaimWriteCommand {
  static override paths = [['blueprint', 'promote']];
  static override usage = Command.Usage({
    category: 'Blueprint',
    description:
      'Promote a claim several sessions converged on into the project blueprint, through the gate.',
    details:
      'The gate (upstream’s tests) asks for evidence from at least two sessions and two stages, feedback in those sessions that does not contradict the claim, evidence docs that are not copies of each other, and sessions created at least `--min-days` apart. On ALLOW the claim is appended to `## Promoted Converged Intent` of `metadata/blueprint.md` with its evidence, and stated in the section it belongs to. Exit 1 on DENY.',
    examples: [
      [
        'Promote an invariant',
        '$0 blueprint promote --claim "SQLite is the default storage backend." --classification invariant --source sqlite-cms-refactor:spec --source notion-designstore-refactor:feedback',
      ],
      [
        'Only evaluate',
        '$0 blueprint promote --claim "…" --classification boundary --source a:spec --source b:feedback --dry-run',
      ],
    ],
  });

  minDays = Option.String('--min-days', '7', { description: 'Days the evidence must span (default: 7)' });
  dryRun = Option.Boolean('--dry-run', false, { description: 'Evaluate without writing' });

  async run(): Promise<number> {
    const minDays = Number(this.minDays);
    if (!Number.isInteger(minDays) || minDays < 0)
      throw new IdseError('usage', '--min-days is a whole number of days');
    return this.record('converged', minDays, this.dryRun);
  }
}

export class BlueprintDeclareCommand extends ClaimWriteCommand {
  static override paths = [['blueprint', 'declare']];
  static override usage = Command.Usage({
    category: 'Blueprint',
    description: 'Declare a founding blueprint claim from one session, without the convergence tests.',
    details:
      'For what a project holds from day one. The sources must all be docs of one session and exist; the claim must not already be in the blueprint.',
    examples: [
      [
        'A founding boundary',
        '$0 blueprint declare --claim "Payments stay out of scope." --classification boundary --source __blueprint__:intent',
      ],
    ],
  });

  async run(): Promise<number> {
    return this.record('declared', 0, false);
  }
}

export class BlueprintReinforceCommand extends BlueprintCommand {
  static override paths = [['blueprint', 'reinforce']];
  static override usage = Command.Usage({
    category: 'Blueprint',
    description: 'Record more evidence for an active claim (its status does not change).',
    examples: [
      ['Another session agrees', '$0 blueprint reinforce --claim-id 2 --source export-v2:implementation'],
    ],
  });

  claimId = Option.String('--claim-id', {
    required: true,
    description: 'The claim’s number (`idse blueprint claims`)',
  });
  source = Option.String('--source', { required: true, description: 'Evidence as session:stage' });
  actor = Option.String('--actor', 'system', { description: 'Who records it (default: system)' });

  async run(): Promise<number> {
    const [source] = this.sources([this.source]);
    const { loaded, project, blueprint } = await this.load();
    if (!blueprint) throw new IdseError('usage', `project ${project.name} has no blueprint yet`);
    const claim = this.claimOf(blueprint.claims, this.claimId);
    if (claim.status !== 'active')
      throw new IdseError(
        'usage',
        `claim #${claim.id} is ${claim.status}; only active claims are reinforced`,
      );
    const check = evaluatePromotion({
      project,
      claim: claim.text,
      classification: claim.classification,
      sources: [source!],
      existing: [],
      minDays: 0,
      readText: this.readText(loaded),
      convergence: false,
    });
    const missing = check.failed.find(
      (f) => f.test === 'SOURCE_NOT_FOUND' || f.test === 'CONTRADICTED_BY_FEEDBACK',
    );
    if (missing) throw new IdseError('usage', `${missing.test}: ${missing.detail}`);
    const item = `Reinforced: ${formatEvidence([source!])} on ${this.today()} by ${this.actor}`;
    this.write(loaded, blueprint.file, addToClaim(blueprint.text, claim, item));
    this.print(
      this.json
        ? JSON.stringify({ claim: claim.id, reinforced: formatEvidence([source!]) })
        : `Reinforced claim #${claim.id}`,
    );
    return 0;
  }
}

export class BlueprintDemoteCommand extends BlueprintCommand {
  static override paths = [['blueprint', 'demote']];
  static override usage = Command.Usage({
    category: 'Blueprint',
    description: 'Demote an active claim to superseded or invalidated, with the reason.',
    details:
      'The promoted section is append-only: the claim stays, with a `Demoted:` line recording the transition, and its statement leaves the narrative section. `superseded` names the active claim that replaces it.',
    examples: [
      [
        'Feedback disproved it',
        '$0 blueprint demote --claim-id 3 --reason "export-v2 feedback: Postgres replaced SQLite"',
      ],
      [
        'Replaced by a sharper claim',
        '$0 blueprint demote --claim-id 1 --status superseded --superseding-claim-id 4 --reason "narrowed"',
      ],
    ],
  });

  claimId = Option.String('--claim-id', { required: true, description: 'The claim’s number' });
  reason = Option.String('--reason', { required: true, description: 'Why, citing the evidence' });
  status = Option.String('--status', 'invalidated', { description: 'superseded or invalidated (default)' });
  superseding = Option.String('--superseding-claim-id', {
    description: 'The claim replacing it (with --status superseded)',
  });
  actor = Option.String('--actor', 'operator', { description: 'Who demotes it (default: operator)' });

  async run(): Promise<number> {
    if (this.status !== 'superseded' && this.status !== 'invalidated')
      throw new IdseError('usage', '--status is superseded or invalidated');
    if (!this.reason.trim()) throw new IdseError('usage', 'a demotion needs a reason');
    if (this.status === 'superseded' && !this.superseding)
      throw new IdseError('usage', '--status superseded needs --superseding-claim-id');
    const { loaded, project, blueprint } = await this.load();
    if (!blueprint) throw new IdseError('usage', `project ${project.name} has no blueprint yet`);
    const claim = this.claimOf(blueprint.claims, this.claimId);
    if (claim.status !== 'active')
      throw new IdseError('usage', `claim #${claim.id} is already ${claim.status}`);
    let by = '';
    if (this.superseding) {
      const next = this.claimOf(blueprint.claims, this.superseding);
      if (next.id === claim.id || next.status !== 'active')
        throw new IdseError(
          'usage',
          `claim #${next.id} cannot supersede #${claim.id}: it must be another active claim`,
        );
      by = ` by #${next.id}`;
    }
    const item = `Demoted: ${this.status}${by} on ${this.today()} by ${this.actor}: ${this.reason.trim().replace(/\s+/g, ' ')}`;
    this.write(loaded, blueprint.file, withdrawStatement(addToClaim(blueprint.text, claim, item), claim));
    this.print(
      this.json
        ? JSON.stringify({ claim: claim.id, from: 'active', to: this.status })
        : `Demoted claim #${claim.id} (active → ${this.status})`,
    );
    return 0;
  }
}

export class BlueprintClaimsCommand extends BlueprintCommand {
  static override paths = [['blueprint', 'claims']];
  static override usage = Command.Usage({
    category: 'Blueprint',
    description: 'List the blueprint’s claims with their class, status and evidence.',
    examples: [
      ['Every claim', '$0 blueprint claims'],
      ['Active ones, as JSON', '$0 blueprint claims --status active --json'],
    ],
  });

  status = Option.String('--status', {
    description: `Only claims with this status (${CLAIM_STATUSES.join(', ')})`,
  });

  async run(): Promise<number> {
    if (this.status && !(CLAIM_STATUSES as readonly string[]).includes(this.status))
      throw new IdseError('usage', `--status is one of ${CLAIM_STATUSES.join(', ')}`);
    const { project, blueprint } = await this.load();
    const claims = (blueprint?.claims ?? []).filter((c) => !this.status || c.status === this.status);
    if (this.json) {
      this.print(JSON.stringify({ project: project.name, file: blueprint?.file, claims }, null, 2));
      return 0;
    }
    if (!claims.length) this.print('No blueprint claims.');
    for (const c of claims)
      this.print(
        `#${c.id} [${c.classification}] ${c.status} | ${c.text} | evidence: ${formatEvidence(c.evidence) || 'none'}${c.promoted ? ` | ${c.origin ?? 'promoted'} ${c.promoted}` : ''}`,
      );
    return 0;
  }
}

export class BlueprintVerifyCommand extends BlueprintCommand {
  static override paths = [['blueprint', 'verify']];
  static override usage = Command.Usage({
    category: 'Blueprint',
    description:
      'Check the blueprint: every active claim has live evidence, no feedback contradicts it, nothing is stated twice.',
    details:
      'Reports the findings of rules IDSE040–IDSE042 for the blueprint and every feedback line that contradicts an active claim (a contradiction marker naming the claim by number or words). Exit 1 when there is any.',
    examples: [['In CI', '$0 blueprint verify']],
  });

  async run(): Promise<number> {
    const { loaded, project, blueprint } = await this.load();
    if (!blueprint)
      throw new IdseError('usage', `project ${project.name} has no blueprint (metadata/blueprint.md)`);
    const problems = loaded.diagnostics
      .filter((d) => BLUEPRINT_RULES.has(d.code) && d.file === blueprint.file)
      .map((d) => ({ code: d.code, file: d.file, line: d.range?.start.line, message: d.message }));
    const readText = this.readText(loaded);
    for (const claim of blueprint.claims.filter((c) => c.status === 'active')) {
      for (const path of sessionsFeedback(
        project,
        project.sessions.map((s) => s.name),
      )) {
        for (const line of contradictingLines(readText(path) ?? '', claim))
          problems.push({
            code: 'contradicted',
            file: path,
            line,
            message: `contradicts blueprint claim #${claim.id}`,
          });
      }
    }
    const active = blueprint.claims.filter((c) => c.status === 'active').length;
    if (this.json) {
      this.print(
        JSON.stringify(
          {
            project: project.name,
            file: blueprint.file,
            claims: blueprint.claims.length,
            active,
            ok: !problems.length,
            problems,
          },
          null,
          2,
        ),
      );
    } else {
      for (const p of problems)
        this.print(`${p.file}${p.line ? `:${p.line}` : ''}  ${p.message}  [${p.code}]`);
      this.print(
        problems.length
          ? `✖ ${problems.length} problem(s) in the blueprint of ${project.name} (${active} active claim(s))`
          : `✔ Blueprint of ${project.name}: ${active} active claim(s), all with live evidence, none contradicted, none repeated`,
      );
    }
    return problems.length ? 1 : 0;
  }
}

export class BlueprintExtractCandidatesCommand extends BlueprintCommand {
  static override paths = [['blueprint', 'extract-candidates']];
  static override usage = Command.Usage({
    category: 'Blueprint',
    description: 'Find statements several sessions and stages converge on: candidates for promotion.',
    details:
      'Reads the session docs of the chosen stages (default: intent, context, spec, implementation, feedback), clusters similar sentences and lists those with enough distinct sources. `--evaluate` runs the promotion gate on each (nothing is written).',
    examples: [
      ['Candidates', '$0 blueprint extract-candidates'],
      ['With the gate’s verdict, as JSON', '$0 blueprint extract-candidates --evaluate --json'],
    ],
  });

  stage = Option.Array('--stage', { description: 'Stages to read (repeatable)' });
  minSources = Option.String('--min-sources', '2', {
    description: 'Distinct session:stage sources (default: 2)',
  });
  minSessions = Option.String('--min-sessions', '2', { description: 'Distinct sessions (default: 2)' });
  minStages = Option.String('--min-stages', '2', { description: 'Distinct stages (default: 2)' });
  limit = Option.String('--limit', '20', { description: 'At most this many (default: 20)' });
  evaluate = Option.Boolean('--evaluate', false, { description: 'Also run the promotion gate on each' });
  minDays = Option.String('--min-days', '7', { description: 'For --evaluate: days the evidence must span' });

  async run(): Promise<number> {
    const numbers = [this.minSources, this.minSessions, this.minStages, this.limit, this.minDays].map(Number);
    if (numbers.some((n) => !Number.isInteger(n) || n < 0))
      throw new IdseError('usage', 'thresholds and --limit are whole numbers');
    const [minSources, minSessions, minStages, limit, minDays] = numbers as [
      number,
      number,
      number,
      number,
      number,
    ];
    const stages = this.stageList();
    const { loaded, project, blueprint } = await this.load();
    const readText = this.readText(loaded);
    const docs = project.sessions.flatMap((session) =>
      session.docs.flatMap((doc) => {
        const stage = stageOfKind(doc.kind);
        // A doc still holding its template says nothing anyone converged on.
        return stage && doc.kind !== 'test-plan' && stages.includes(stage) && docStarted(doc.facts)
          ? [{ session: session.name, stage, text: readText(doc.path) ?? '' }]
          : [];
      }),
    );
    const candidates = extractCandidates(docs, { minSources, minSessions, minStages, limit });
    const evaluated = candidates.map((c) => ({
      ...c,
      ...(this.evaluate
        ? { evaluation: this.gate(c, project, blueprint?.claims ?? [], minDays, readText) }
        : {}),
    }));
    if (this.json) {
      this.print(JSON.stringify(evaluated, null, 2));
      return 0;
    }
    if (!evaluated.length) this.print('No candidates found for these thresholds.');
    evaluated.forEach((c, i) => {
      this.print(`${i + 1}. ${c.claim}`);
      this.print(
        `   suggested: ${c.suggested} | support=${c.support} sessions=${c.sessions} stages=${c.stages}`,
      );
      this.print(`   sources: ${c.sources.map((s) => `${s.session}:${s.stage}`).join(', ')}`);
      if (c.evaluation)
        this.print(
          `   gate: ${c.evaluation.status}${c.evaluation.failed.length ? ` (${c.evaluation.failed.map((f) => f.test).join(', ')})` : ''}`,
        );
    });
    return 0;
  }

  private stageList(): Stage[] {
    const wanted = this.stage?.length
      ? this.stage
      : ['intent', 'context', 'spec', 'implementation', 'feedback'];
    return wanted.map((s) => {
      const parsed = StageSchema.safeParse(s);
      if (!parsed.success)
        throw new IdseError('usage', `unknown stage '${s}' (${StageSchema.options.join(', ')})`);
      return parsed.data;
    });
  }

  private gate(
    c: Candidate,
    project: ProjectModel,
    existing: readonly Claim[],
    minDays: number,
    readText: (p: string) => string | undefined,
  ) {
    return evaluatePromotion({
      project,
      claim: c.claim,
      classification: c.suggested,
      sources: c.sources.map((s) => ({ session: s.session, stages: [s.stage] })),
      existing,
      minDays,
      readText,
      convergence: true,
    });
  }
}

export const BLUEPRINT_COMMANDS = [
  BlueprintDeclareCommand,
  BlueprintPromoteCommand,
  BlueprintReinforceCommand,
  BlueprintDemoteCommand,
  BlueprintClaimsCommand,
  BlueprintVerifyCommand,
  BlueprintExtractCandidatesCommand,
];
