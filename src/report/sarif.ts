import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Location, Log, Region, ReportingDescriptor, Result, Fix as SarifFix } from 'sarif';
import { compareDiagnostics } from '../compare-diagnostics.ts';
import type { Diagnostic, Fix, Range, Severity } from '../diagnostics.ts';
import type { Report, RuleDescriptor } from './schema.ts';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/idse-toolkit/idse';
const SRCROOT = '%SRCROOT%';
/** Versioned so a change of recipe reads as new alerts rather than silently colliding with old ones. */
const FINGERPRINT_KEY = 'idseFindingHash/v1';

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', info: 'note' };

/** A SARIF 2.1.0 log with one run, shaped for GitHub code scanning uploads. */
export function formatSarif(report: Report): string {
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.code, index]));
  const diagnostics = [...report.diagnostics].sort(compareDiagnostics);
  const prints = fingerprints(diagnostics);
  const log: Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'idse',
            version: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: report.rules.map(descriptor),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(report.root) } },
        results: diagnostics.map((d, i) => result(d, ruleIndex.get(d.code), prints[i]!)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function descriptor(rule: RuleDescriptor): ReportingDescriptor {
  const link = URL.canParse(rule.url) ? rule.url : undefined;
  return {
    id: rule.code,
    name: pascalCase(rule.name),
    shortDescription: { text: rule.description },
    fullDescription: { text: `${rule.description} (constitution article ${rule.article})` },
    ...(link ? { helpUri: link } : {}),
    help: {
      text: [rule.description, `Constitution article ${rule.article}.`, ...(link ? [link] : [])].join('\n\n'),
      markdown: [
        `**${rule.code} ${rule.name}**`,
        rule.description,
        `Constitution article ${rule.article}.`,
        ...(link ? [`[Rule documentation](${link})`] : []),
      ].join('\n\n'),
    },
    defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
    properties: { tags: ['idse', `article-${rule.article}`] },
  };
}

function result(d: Diagnostic, ruleIndex: number | undefined, fingerprint: string): Result {
  return {
    ruleId: d.code,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: LEVEL[d.severity],
    message: { text: d.message },
    locations: [location(d.file, d.range)],
    ...(d.related?.length
      ? {
          relatedLocations: d.related.map((r, id) => ({
            id,
            ...location(r.file, r.range),
            message: { text: r.message },
          })),
        }
      : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    ...(d.fix ? { fixes: [fix(d.fix)] } : {}),
  };
}

function location(file: string, range: Range | undefined): Location {
  return {
    physicalLocation: {
      artifactLocation: { uri: relativeUri(file), uriBaseId: SRCROOT },
      ...(range ? { region: region(range) } : {}),
    },
  };
}

function fix(f: Fix): SarifFix {
  return {
    description: { text: f.description },
    artifactChanges: [
      {
        artifactLocation: { uri: relativeUri(f.file), uriBaseId: SRCROOT },
        replacements: [{ deletedRegion: region(f.range), insertedContent: { text: f.text } }],
      },
    ],
  };
}

// Diagnostics use exclusive end columns, as SARIF's endColumn does.
const region = ({ start, end }: Range): Region => ({
  startLine: start.line,
  startColumn: start.column,
  endLine: end.line,
  endColumn: end.column,
});

/**
 * Hash of what a finding says and where (file, not line), plus its occurrence among identical ones,
 * so an alert keeps its identity when lines above it move and code scanning does not duplicate it.
 */
function fingerprints(diagnostics: readonly Diagnostic[]): string[] {
  const seen = new Map<string, number>();
  return diagnostics.map((d) => {
    const hash = createHash('sha256').update(`${d.code}\0${d.file}\0${d.message}`).digest('hex');
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    return `${hash}:${occurrence}`;
  });
}

const relativeUri = (posixPath: string): string => posixPath.split('/').map(encodeURIComponent).join('/');

// A base URI must end in `/` or relative URIs resolve against its parent.
const directoryUri = (dir: string): string => {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
};

const pascalCase = (alias: string): string =>
  alias
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
