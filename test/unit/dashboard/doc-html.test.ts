import { describe, expect, it } from 'vitest';
import { renderDocHtml } from '../../../src/dashboard/doc-html.ts';
import { DocRenderer } from '../../../src/dashboard/doc-renderer.ts';

const HOSTILE = `# Spec <script>alert(1)</script>

<img src=x onerror="alert(2)">

<div onclick="alert(3)">raw html</div>

[click](javascript:alert(4)) [data](data:text/html,<script>alert(5)</script>) <a href="javascript:alert(6)">inline</a>

## Overview

Text with **bold**.
`;

describe('a doc as HTML', () => {
  it('is inert: no script, no event handler, no raw HTML, no javascript: or data: link', () => {
    const html = renderDocHtml({ path: 'projects/p/sessions/s/specs/spec.md', text: HOSTILE, findings: [] });
    expect(html).not.toMatch(/<script|onerror|onclick|<div|<img|javascript:|data:text/i);
    expect(html).toContain('<h1>Spec alert(1)</h1>');
    expect(html).toContain('<a>click</a>');
    expect(html).toContain('<strong>bold</strong>');
  });

  it('puts each finding after the block holding its line, and whole-doc findings first', () => {
    const text = '# Spec\n\n## Overview\n\nFirst paragraph\nstill the first.\n\n- a\n- b\n';
    const html = renderDocHtml({
      path: 'projects/p/sessions/s/specs/spec.md',
      text,
      fileBase: 'https://github.example/acme/docs/blob/abc/',
      findings: [
        { code: 'IDSE009', severity: 'error', message: 'section <empty>', line: 6 },
        { code: 'IDSE001', severity: 'warning', message: 'whole' },
        { code: 'IDSE010', severity: 'error', message: 'in the list', line: 9 },
      ],
    });
    const order = [...html.matchAll(/<h1>|<h2>|<p>First|<ul>\n<li>a|IDSE\d{3}/g)].map((m) => m[0]);
    expect(order).toEqual(['IDSE001', '<h1>', '<h2>', '<p>First', 'IDSE009', '<ul>\n<li>a', 'IDSE010']);
    expect(html).toContain('section &#x3C;empty>');
    expect(html).toContain(
      '<a href="https://github.example/acme/docs/blob/abc/projects/p/sessions/s/specs/spec.md#L6">line 6</a>',
    );
  });

  it('points relative links at the file at that commit, or nowhere for a synced workspace', () => {
    const doc = {
      path: 'projects/p/sessions/s/specs/spec.md',
      text: 'See [the plan](../plans/plan.md) and [top](#overview).\n',
      findings: [],
    };
    expect(renderDocHtml({ ...doc, fileBase: 'https://github.com/acme/docs/blob/abc/' })).toContain(
      'href="https://github.com/acme/docs/blob/abc/projects/p/sessions/s/plans/plan.md"',
    );
    const synced = renderDocHtml(doc);
    expect(synced).toContain('<a>the plan</a>');
    expect(synced).toContain('href="#overview"');
  });
});

describe('the doc renderer', () => {
  it('gives a doc that takes too long a note instead, ends its worker, and renders the next doc', async () => {
    const renderer = new DocRenderer({ budgetMs: 300, maxBytes: 64 * 1024 });
    try {
      // 16 KB that the parser takes seconds over (issue 20): over the budget, never on the event loop.
      const slow = await renderer.render({
        path: 'a.md',
        text: `# S\n\n${'a\n=\n'.repeat(4000)}`,
        findings: [],
      });
      expect(slow).toEqual({ skipped: 'too complex to show here (took over 0.3 s)' });
      const big = await renderer.render({ path: 'b.md', text: 'x'.repeat(70 * 1024), findings: [] });
      expect(big).toEqual({ skipped: 'larger than 64 KiB: too large to show here' });
      expect(await renderer.render({ path: 'c.md', text: '# Fine\n', findings: [] })).toEqual({
        html: '<h1>Fine</h1>',
      });
    } finally {
      await renderer.close();
    }
  }, 20_000);
});
