import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse.ts';
import { type Config, defaultConfig } from '../../../src/config/schema.ts';
import { type DesignContext, DesignManifestSchema } from '../../../src/design/manifest.ts';
import { validate } from '../../../src/engine.ts';
import type { SourceFile } from '../../../src/model/source.ts';
import { RULE_KEYS, RULES } from '../../../src/rules/registry.ts';
import type { Rule } from '../../../src/rules/rule.ts';
import { FIXTURES_DIR, listDirs, readExpected } from './harness.ts';

const DOCS = new URL('../../../docs/rules/', import.meta.url);
const CONSTITUTION = new URL('../../../templates/constitution.md', import.meta.url);
const SECTIONS = ['What it checks', 'Why', 'Fails', 'Passes', 'Configure', 'Suppress'];
/**
 * Pages whose failing example cannot be written as text (binary bytes, invalid UTF-8). Their
 * messages are checked against the rule's fixtures instead, which hold the real bytes.
 */
const NOT_EXECUTABLE = new Set(['IDSE002']);
const SUPPRESSION_COMMENT = /^\s*<!--\s*idse-(?:disable-next-line|disable|enable)\b.*-->\s*$/;

const read = (name: string): string => readFileSync(new URL(name, DOCS), 'utf8');

/** `## Article VIII – Atomic Tasking` → `VIII` ↦ `Article VIII – Atomic Tasking`. */
const ARTICLES = new Map(
  [...readFileSync(CONSTITUTION, 'utf8').matchAll(/^## (Article ([IVX]+) – .+)$/gm)].map((m) => [
    m[2]!,
    m[1]!,
  ]),
);

interface Block {
  /** The last non-blank line before the opening fence. */
  label: string;
  lang: string;
  content: string;
}

interface Section {
  lines: string[];
  blocks: Block[];
}

interface Page {
  lines: string[];
  sections: Map<string, Section>;
  order: string[];
}

/** `**warning** (recommended) · **error** (strict)`, or one severity when both profiles agree. */
const severities = (rule: Rule): string => {
  const strict = rule.strictSeverity ?? rule.defaultSeverity;
  return strict === rule.defaultSeverity
    ? `**${strict}** (recommended and strict)`
    : `**${rule.defaultSeverity}** (recommended) · **${strict}** (strict)`;
};

const FENCE = /^(`{3,}|~{3,})([\w-]*)\s*$/;

/** A fence closes with a run of its own character at least as long as the one that opened it. */
const closes = (marker: string, line: string): boolean => {
  const run = line.trim();
  return run.length >= marker.length && run === marker[0]!.repeat(run.length);
};

function parsePage(text: string): Page {
  const lines = text.split('\n');
  const sections = new Map<string, Section>();
  const order: string[] = [];
  let current: Section | undefined;
  let fence: { marker: string; lang: string; label: string; body: string[] } | undefined;
  let label = '';
  for (const line of lines) {
    if (fence) {
      if (closes(fence.marker, line)) {
        current?.blocks.push({ label: fence.label, lang: fence.lang, content: `${fence.body.join('\n')}\n` });
        fence = undefined;
      } else fence.body.push(line);
      continue;
    }
    const heading = /^## (.+)$/.exec(line);
    if (heading) {
      current = { lines: [], blocks: [] };
      sections.set(heading[1]!, current);
      order.push(heading[1]!);
      label = '';
      continue;
    }
    current?.lines.push(line);
    const open = FENCE.exec(line);
    if (open) fence = { marker: open[1]!, lang: open[2]!, label, body: [] };
    else if (line.trim() !== '') label = line.trim();
  }
  return { lines, sections, order };
}

const FILE_LABEL = /^`([^`\s]+)`:?$/;

/** Files (path → text) of a section's example; `Removes: \`path\`` lines drop inherited files. */
function filesOf(section: Section | undefined, base: ReadonlyMap<string, string> = new Map()) {
  const files = new Map(base);
  for (const line of section?.lines ?? []) {
    const removed = /^Removes: `([^`]+)`$/.exec(line.trim());
    if (removed) files.delete(removed[1]!);
  }
  for (const block of section?.blocks ?? []) {
    const path = FILE_LABEL.exec(block.label)?.[1];
    if (path) files.set(path, block.content);
  }
  return files;
}

const messagesOf = (section: Section | undefined): string[] =>
  (section?.blocks ?? [])
    .filter((b) => /^Messages?:$/.test(b.label))
    .flatMap((b) => b.content.split('\n').filter((l) => l !== ''));

/**
 * The design manifest an example's config names (`design: { manifest: design.json }`) is one of the
 * example's files, shown like any other: a ```json block labelled `` `design.json` ``. It must be a
 * valid manifest (a page cannot show one that fails to load; fixtures cover that).
 */
function designOf(config: Config, files: ReadonlyMap<string, string>): DesignContext | undefined {
  if (!config.design) return undefined;
  const source = config.design.manifest;
  const text = files.get(source);
  if (text === undefined)
    throw new Error(`the example's config names ${source}, which the page does not show`);
  return { source, manifest: DesignManifestSchema.parse(JSON.parse(text)) };
}

/**
 * Run the engine on an example's files; `idse.config.yml` is the config, `changed.json` the change
 * set, and the manifest the config names the design manifest.
 */
function findings(rule: Rule, files: ReadonlyMap<string, string>): string[] {
  const configText = files.get('idse.config.yml');
  const config: Config = configText ? parseConfig(configText, 'idse.config.yml', RULE_KEYS) : defaultConfig();
  const changedText = files.get('changed.json');
  const changed = changedText ? new Set(JSON.parse(changedText) as string[]) : undefined;
  const design = designOf(config, files);
  const sources: SourceFile[] = [...files]
    .filter(([path]) => path !== 'changed.json')
    .map(([path, text]) => {
      const content = new TextEncoder().encode(text);
      return { path, size: content.byteLength, content };
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  const { diagnostics } = validate({
    files: sources,
    config,
    ...(changed ? { changed } : {}),
    ...(design ? { design } : {}),
  });
  return diagnostics.filter((d) => d.code === rule.code).map((d) => d.message);
}

const pages = existsSync(DOCS) ? readdirSync(DOCS).filter((f) => f.endsWith('.md')) : [];

describe('docs/rules', () => {
  it('has a page for every rule and none for a code that is not a rule', () => {
    expect(pages.filter((f) => f !== 'README.md').sort()).toEqual(RULES.map((r) => `${r.code}.md`).sort());
  });

  it('knows the title of every article a rule cites', () => {
    for (const rule of RULES) expect(ARTICLES.get(rule.article), rule.code).toBeDefined();
  });

  describe.each(RULES.map((rule) => [rule.code, rule] as const))('%s', (code, rule) => {
    const page = (): Page => parsePage(read(`${code}.md`));

    it('has the title `# CODE: name`, the severity / article line and the description', () => {
      const { lines } = page();
      expect(lines.slice(0, 5)).toEqual([
        `# ${rule.code}: ${rule.name}`,
        '',
        `Severity: ${severities(rule)} · Constitution: **${ARTICLES.get(rule.article)}**`,
        '',
        rule.description,
      ]);
    });

    it('has the sections in order, each with prose', () => {
      const { order, sections } = page();
      expect(order).toEqual(SECTIONS);
      for (const name of SECTIONS) {
        const prose = sections.get(name)?.lines.filter((l) => /^[A-Za-z]/.test(l)) ?? [];
        if (name !== 'Fails' && name !== 'Passes' && name !== 'Configure')
          expect(prose.length, name).toBeGreaterThan(0);
      }
    });

    it('shows a failing example that produces exactly the documented messages', () => {
      const fails = page().sections.get('Fails');
      const messages = messagesOf(fails);
      expect(messages.length).toBeGreaterThan(0);
      if (NOT_EXECUTABLE.has(code)) {
        const dir = `${FIXTURES_DIR}${code}`;
        const known = listDirs(dir).flatMap((name) => readExpected(`${dir}/${name}`) ?? []);
        expect(known.map((d) => d.message)).toEqual(expect.arrayContaining(messages));
        return;
      }
      const files = filesOf(fails);
      expect(files.size).toBeGreaterThan(0);
      expect(findings(rule, files)).toEqual(messages);
    });

    it('shows a passing (fixed) example that produces nothing', () => {
      const { sections } = page();
      const passes = sections.get('Passes');
      expect(filesOf(passes).size).toBeGreaterThan(0);
      // The fixed version is the failing example with the files shown here replaced (or added).
      const base = NOT_EXECUTABLE.has(code) ? new Map<string, string>() : filesOf(sections.get('Fails'));
      expect(findings(rule, filesOf(passes, base))).toEqual([]);
    });

    it('shows a valid config that names the rule', () => {
      const yaml =
        page()
          .sections.get('Configure')
          ?.blocks.filter((b) => b.lang === 'yaml') ?? [];
      expect(yaml.length).toBeGreaterThan(0);
      for (const block of yaml)
        expect(() => parseConfig(block.content, `${code}.md`, RULE_KEYS)).not.toThrow();
      expect(yaml.some((b) => b.content.includes(rule.name))).toBe(true);
    });

    it('has a suppression example that silences the failing example, or says why there is none', () => {
      const { sections } = page();
      const suppress = sections.get('Suppress')!;
      const overlay = filesOf(suppress);
      if (overlay.size === 0) {
        expect(suppress.lines.join('\n')).toMatch(/cannot be suppressed inline/);
        return;
      }
      const fails = filesOf(sections.get('Fails'));
      expect(findings(rule, filesOf(suppress, fails))).toEqual([]);
      // It is the comment that silences the finding, not a fix hidden in the example.
      const withoutComments = new Map(
        [...overlay].map(([path, text]) => [
          path,
          text
            .split('\n')
            .filter((line) => !SUPPRESSION_COMMENT.test(line))
            .join('\n'),
        ]),
      );
      expect(findings(rule, new Map([...fails, ...withoutComments])).length).toBeGreaterThan(0);
    });
  });
});

describe('docs/rules/README.md', () => {
  const rows = (): string[][] =>
    read('README.md')
      .split('\n')
      .filter((l) => /^\| \[IDSE\d{3}\]/.test(l))
      .map((l) => l.slice(2, -2).split(' | '));

  it('lists every rule once, in code order, with its name, article, severities and description', () => {
    expect(rows()).toEqual(
      RULES.map((r) => [
        `[${r.code}](${r.code}.md)`,
        r.name,
        ARTICLES.get(r.article)!.replace(/^Article /, ''),
        r.defaultSeverity,
        r.strictSeverity ?? r.defaultSeverity,
        r.description,
      ]),
    );
  });
});
