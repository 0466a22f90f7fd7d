import { isAbsolute, relative, sep } from 'node:path';
import type { Diagnostic } from '../../src/diagnostics.ts';
import type { Report } from '../../src/report/schema.ts';

/**
 * The same report with `checkout` as its root, when the workspace root is a folder inside it.
 * GitHub resolves annotation and SARIF paths against the repository checkout, while the engine
 * reports them relative to the workspace root: rebasing once makes every output agree with GitHub.
 * A root outside the checkout is left alone (GitHub cannot point at it anyway).
 */
export function rebaseReport(report: Report, checkout: string): Report {
  const prefix = relative(checkout, report.root).split(sep).join('/');
  if (prefix === '' || prefix === '..' || prefix.startsWith('../') || isAbsolute(prefix)) return report;
  const at = (path: string) => (path === '' ? prefix : `${prefix}/${path}`);
  return {
    ...report,
    root: checkout,
    sessions: report.sessions.map((s) => ({
      ...s,
      path: at(s.path),
      docs: s.docs.map((d) => ({ ...d, path: at(d.path) })),
    })),
    diagnostics: report.diagnostics.map((d) => rebaseDiagnostic(d, at)),
  };
}

function rebaseDiagnostic(d: Diagnostic, at: (path: string) => string): Diagnostic {
  return {
    ...d,
    file: at(d.file),
    ...(d.related ? { related: d.related.map((r) => ({ ...r, file: at(r.file) })) } : {}),
    ...(d.fix ? { fix: { ...d.fix, file: at(d.fix.file) } } : {}),
  };
}
