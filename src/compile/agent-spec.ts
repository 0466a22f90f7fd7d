import type { Code, Heading, Nodes, RootContent } from 'mdast';
import { isMap, parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import { headingKey } from '../pipeline/headings.ts';
import { parseMarkdown } from '../pipeline/parse.ts';
import { describeIssue, issuePath } from '../zod-issues.ts';

/** Upstream's AgentProfileSpec (compiler/models.py), field for field and in its order. */
export const AgentProfileSpecSchema = z.object({
  id: z.string().trim().min(1, 'is required and cannot be empty'),
  name: z.string().trim().min(1, 'is required and cannot be empty'),
  description: z.string().nullable().default(null),
  goals: z.array(z.string()).default([]),
  inputs: z.array(z.string()).default([]),
  outputs: z.array(z.string()).default([]),
  tools: z.array(z.string()).default([]),
  constraints: z.array(z.string()).default([]),
  memory_policy: z.record(z.string(), z.unknown()).nullable().default(null),
  runtime_hints: z.record(z.string(), z.unknown()).nullable().default(null),
  version: z.string({ error: 'must be a string (quote it: "1.0")' }).default('1.0'),
  source_session: z.string().nullable().default(null),
  source_blueprint: z.string().nullable().default(null),
});
export type AgentProfileSpec = z.infer<typeof AgentProfileSpecSchema>;

const FIELDS = new Set(Object.keys(AgentProfileSpecSchema.shape));

/** A profile as written in a spec: the mapping, and the doc line each top-level key is on. */
export interface AgentProfile {
  data: Record<string, unknown>;
  lines: Map<string, number>;
  /** Line of the `## Agent Profile` heading. */
  line: number;
}

/** A problem with a profile, at a line of the spec when there is one. */
export interface ProfileProblem {
  code: 'agent-profile-missing' | 'agent-profile-invalid';
  message: string;
  line?: number;
  /** Which profile the line is in, when two were merged. */
  source?: 'feature' | 'blueprint';
}

const textOf = (node: Nodes): string =>
  'value' in node
    ? node.value
    : 'children' in node
      ? node.children.map((c) => textOf(c as Nodes)).join('')
      : '';

const isAgentProfileHeading = (node: RootContent): node is Heading =>
  node.type === 'heading' && headingKey(textOf(node)) === 'agent profile';

/**
 * The YAML block of a spec's `## Agent Profile` section (numbered headings like `## 6. Agent
 * Profile` too): the first ```yaml block before the next heading of the same or a higher level.
 * Every problem says which line of the spec it is on.
 */
export function readAgentProfile(markdown: string): AgentProfile | ProfileProblem {
  const nodes = parseMarkdown(markdown).children;
  const start = nodes.findIndex(isAgentProfileHeading);
  if (start === -1) return { code: 'agent-profile-missing', message: 'no `## Agent Profile` section' };
  const heading = nodes[start] as Heading;
  const line = heading.position!.start.line;
  let block: Code | undefined;
  for (const node of nodes.slice(start + 1)) {
    if (node.type === 'heading' && node.depth <= heading.depth) break;
    if (node.type === 'code' && /^ya?ml$/i.test(node.lang ?? '')) {
      block = node;
      break;
    }
  }
  if (!block)
    return { code: 'agent-profile-missing', message: 'the Agent Profile section has no ```yaml block', line };
  const first = block.position!.start.line + 1;
  if (!block.value.trim())
    return {
      code: 'agent-profile-invalid',
      message: 'the Agent Profile YAML block is empty',
      line: first - 1,
    };
  const doc = parseDocument(block.value, { prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const at = block.value.slice(0, error.pos[0]).split('\n').length;
    return {
      code: 'agent-profile-invalid',
      message: `the Agent Profile is not valid YAML: ${error.message.split('\n')[0]}`,
      line: first + at - 1,
    };
  }
  if (!isMap(doc.contents))
    return {
      code: 'agent-profile-invalid',
      message: 'the Agent Profile must be a YAML mapping (key: value lines)',
      line: first,
    };
  const lines = new Map<string, number>();
  for (const pair of doc.contents.items) {
    const node = pair.key as { value?: unknown; range?: readonly number[] } | null;
    const key = String(node?.value ?? pair.key);
    const offset = node?.range?.[0] ?? 0;
    lines.set(key, first + block.value.slice(0, offset).split('\n').length - 1);
  }
  return { data: doc.toJS() as Record<string, unknown>, lines, line };
}

/** Upstream's merge: the blueprint's profile gives defaults, the feature's overrides; maps merge deeply, lists and scalars are replaced. */
export function mergeProfiles(
  blueprint: Record<string, unknown>,
  feature: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...blueprint };
  for (const [key, value] of Object.entries(feature)) {
    const base = merged[key];
    merged[key] = isRecord(base) && isRecord(value) ? mergeProfiles(base, value) : value;
  }
  return merged;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

export interface CompileInput {
  feature: AgentProfile;
  blueprint?: AgentProfile;
  session: string;
  blueprintSession: string;
}

/**
 * Merge and validate into an AgentProfileSpec. A field that fails is reported at the line of the
 * profile that set it (the feature's when it set it, else the blueprint's); keys the spec does not
 * know are dropped, as upstream drops them, and returned so the face can say so.
 */
export function compileProfile(
  input: CompileInput,
): { spec: AgentProfileSpec; ignored: string[] } | ProfileProblem {
  const merged = mergeProfiles(input.blueprint?.data ?? {}, input.feature.data);
  merged.source_session = input.session;
  merged.source_blueprint = input.blueprintSession;
  const parsed = AgentProfileSpecSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issuePath(issue)[0] ?? '');
    const blueprintLine = input.feature.lines.has(key) ? undefined : input.blueprint?.lines.get(key);
    return {
      code: 'agent-profile-invalid',
      message: `Agent Profile ${describeIssue(issue)}`,
      ...(blueprintLine !== undefined
        ? { line: blueprintLine, source: 'blueprint' as const }
        : { line: input.feature.lines.get(key) ?? input.feature.line, source: 'feature' as const }),
    };
  }
  return { spec: parsed.data, ignored: Object.keys(merged).filter((k) => !FIELDS.has(k)) };
}

/** The `.profile.yaml` upstream writes, without its timestamp line: the same input gives the same bytes. */
export function renderProfile(spec: AgentProfileSpec): string {
  const header = [
    '# Generated by idse compile agent-spec',
    `# Source session: ${spec.source_session ?? ''}`,
    `# Source blueprint: ${spec.source_blueprint ?? ''}`,
  ].join('\n');
  return `${header}\n${stringify(spec, { indentSeq: false, lineWidth: 0 })}`;
}
