import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/schema.ts';
import type { SourceFile } from '../../../src/model/source.ts';
import { check } from '../../../src/run/check.ts';
import { VERSION } from '../../../src/version.ts';

const file = (path: string, text: string): SourceFile => {
  const content = new TextEncoder().encode(text);
  return { path, size: content.byteLength, content };
};

const INTENT = 'projects/p/sessions/s/intents/intent.md';
const SPEC = 'projects/p/sessions/s/specs/spec.md';
const OTHER = 'projects/p/sessions/t/intents/intent.md';
/** Docs of two sessions, each with an unresolved marker. */
const FILES = [
  file(INTENT, '# Intent\n\n## Goal\n\nExport invoices. [REQUIRES INPUT]\n'),
  file(SPEC, '# Spec\n\n## Overview\n\nCSV export. [REQUIRES INPUT]\n'),
  file(OTHER, '# Intent\n\n## Goal\n\nImport invoices. [REQUIRES INPUT]\n'),
];
const config = defaultConfig();
const filesOf = (diagnostics: readonly { file: string }[]) =>
  [...new Set(diagnostics.map((d) => d.file))].sort();

describe('check, the one engine run', () => {
  it('labels the report and stamps it with this version', async () => {
    const { report, diagnostics, workspace } = await check(
      { files: FILES, config },
      { label: 'acme/docs@abc' },
    );
    expect(report.root).toBe('acme/docs@abc');
    expect(report.tool.version).toBe(VERSION);
    expect(report.diagnostics).toEqual(diagnostics);
    expect(workspace.projects[0]?.sessions.map((s) => s.name)).toEqual(['s', 't']);
  });

  it('keeps the findings in the changed files, in the report too, and the report lists what changed', async () => {
    const changed = new Set([INTENT]);
    const { report, diagnostics } = await check({ files: FILES, config, changed }, { label: 'x' });
    expect(filesOf(diagnostics)).toEqual([INTENT]);
    expect(report.diagnostics).toEqual(diagnostics);
    expect(report.sessions.map((s) => s.session)).toEqual(['s']);
  });

  it('shows touched sessions whole in the report when asked (the App), judging the run on the change', async () => {
    const changed = new Set([INTENT]);
    const { report, diagnostics } = await check(
      { files: FILES, config, changed },
      { label: 'x', wholeSessions: true },
    );
    const all = await check({ files: FILES, config }, { label: 'x' });
    expect(filesOf(diagnostics)).toEqual([INTENT]);
    expect(report.diagnostics).toEqual(all.diagnostics);
    expect(filesOf(report.diagnostics)).toContain(OTHER);
  });

  it('drops findings outside the focus and lists only the sessions inside it', async () => {
    const focus = ['projects/p/sessions/t'];
    const { report, diagnostics } = await check({ files: FILES, config }, { label: 'x', focus });
    expect(filesOf(diagnostics)).toEqual([OTHER]);
    expect(report.sessions.map((s) => s.session)).toEqual(['t']);
    expect(report.scope).toEqual({ paths: focus });
  });
});
