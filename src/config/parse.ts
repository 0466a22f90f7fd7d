import { isMap, isSeq, parseDocument, visit } from 'yaml';
import { IdseError } from '../errors.ts';
import { LineIndex } from '../pipeline/lines.ts';
import { describeIssue, issuePath } from '../zod-issues.ts';
import { type Config, ConfigSchema } from './schema.ts';

/**
 * Parse a config file's text. Every problem becomes one IdseError naming the file, the line and the
 * key, so a user can fix it without reading a stack trace.
 */
export function parseConfig(text: string, file: string, knownRules: ReadonlySet<string>): Config {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const lines = new LineIndex(text);
  const [yamlError] = doc.errors;
  if (yamlError) {
    throw new IdseError('config-invalid', `invalid YAML: ${yamlError.message.split('\n')[0]}`, {
      file,
      line: lines.position(yamlError.pos[0]).line,
    });
  }
  const data = toData(doc, file, lines);
  const result = ConfigSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new IdseError('config-invalid', describeIssue(issue), {
      file,
      line: lineOf(doc, issuePath(issue), lines),
    });
  }
  for (const key of Object.keys(result.data.rules)) {
    if (!knownRules.has(key)) {
      throw new IdseError(
        'config-invalid',
        `\`rules.${key}\`: unknown rule (run \`idse rules\` for the list)`,
        {
          file,
          line: lineOf(doc, ['rules', key], lines),
        },
      );
    }
  }
  return result.data;
}

/**
 * The document as plain data. Aliases may not expand past a hundred nodes: a few lines of nested
 * aliases (a YAML "billion laughs") would otherwise build gigabytes.
 */
function toData(doc: ReturnType<typeof parseDocument>, file: string, lines: LineIndex): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    let first: number | undefined;
    visit(doc, {
      Alias(_, node) {
        first = node.range?.[0];
        return visit.BREAK;
      },
    });
    const reason = error instanceof Error ? error.message : String(error);
    throw new IdseError('config-invalid', `invalid YAML: ${reason}`, {
      file,
      ...(first === undefined ? {} : { line: lines.position(first).line }),
    });
  }
}

function lineOf(
  doc: ReturnType<typeof parseDocument>,
  path: PropertyKey[],
  lines: LineIndex,
): number | undefined {
  // Walk down as far as the path exists; a missing key is reported at its parent.
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    const parent = prefix.length ? doc.getIn(prefix.slice(0, -1), true) : doc.contents;
    const last = prefix[prefix.length - 1];
    if (isMap(parent) && last !== undefined) {
      const pair = parent.items.find(
        (item) => String((item.key as { value?: unknown })?.value ?? item.key) === String(last),
      );
      const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      if (range) return lines.position(range[0]).line;
    }
    if (isSeq(parent) && typeof last === 'number') {
      const range = (parent.items[last] as { range?: [number, number, number] } | undefined)?.range;
      if (range) return lines.position(range[0]).line;
    }
  }
  return undefined;
}
