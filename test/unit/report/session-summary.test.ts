import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/schema.ts';
import { validate } from '../../../src/engine.ts';
import type { SourceFile } from '../../../src/model/source.ts';
import { buildReport } from '../../../src/report/build.ts';

const file = (path: string, text: string): SourceFile => {
  const content = new TextEncoder().encode(text);
  return { path, size: content.byteLength, content };
};

describe('buildReport', () => {
  it('counts each session’s own findings in its summary', () => {
    const files = [
      file(
        'projects/p/sessions/a/intents/intent.md',
        '# Intent\n\n## Goal\n\n[REQUIRES INPUT]\n\n[REQUIRES INPUT]\n',
      ),
      file('projects/p/sessions/b/intents/intent.md', '# Intent\n\n## Goal\n\n[REQUIRES INPUT]\n'),
    ];
    const config = defaultConfig();
    const report = buildReport(validate({ files, config }), config, '/ws', '1.0.0');
    const errors = (session: string) =>
      report.diagnostics.filter((d) => d.session === session && d.severity === 'error').length;
    expect(report.sessions.map((s) => [s.session, s.errors, s.markers])).toEqual([
      ['a', errors('a'), 2],
      ['b', errors('b'), 1],
    ]);
    expect(errors('a')).toBe(2);
    expect(errors('b')).toBe(1);
  });
});
