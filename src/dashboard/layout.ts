/**
 * The page shell: one CSS block, a breadcrumb trail, the signed-in admin with a sign-out button. No
 * script at all, so the Content-Security-Policy allows nothing but that one style block (by its hash)
 * and forms posting back to the dashboard.
 */
import { createHash } from 'node:crypto';
import { esc } from '../analytics/html.ts';

const CSS = `
:root{color-scheme:light;--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--accent:#0b5cad;--bad:#b42318;--ok:#1a7f37}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:var(--ink);background:#fff;line-height:1.4}
header{display:flex;gap:1rem;align-items:center;justify-content:space-between;padding:.75rem 1.5rem;border-bottom:1px solid var(--line);flex-wrap:wrap}
header nav ol{list-style:none;display:flex;gap:.4rem;margin:0;padding:0;flex-wrap:wrap}
header nav li+li::before{content:"›";margin-right:.4rem;color:var(--muted)}
header form{display:flex;gap:.5rem;align-items:center;margin:0;color:var(--muted)}
main{padding:1rem 1.5rem 3rem;max-width:1400px}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,.data:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;font-size:.9rem;margin:.25rem 0 1rem}
caption{text-align:left;font-weight:600;padding:.25rem 0;color:var(--muted)}
th,td{border:1px solid var(--line);padding:.3rem .55rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.num,th.num{text-align:right}
.pair{display:flex;gap:1.5rem;flex-wrap:wrap;align-items:flex-start}
figure{margin:0}
.data{max-height:260px;overflow:auto}
.archived{color:var(--muted);font-style:italic}
.fail{color:var(--bad)}
.pass{color:var(--ok)}
.note{color:var(--muted)}
.pages{display:flex;gap:1rem;align-items:center;margin:.25rem 0 1rem}
details.doc-entry{border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:.4rem .8rem}
details.doc-entry summary{cursor:pointer}
.doc{max-width:90ch;overflow-wrap:anywhere}
.doc pre{background:#f6f8fa;padding:.5rem;overflow:auto}
.doc img{max-width:100%}
.findings{list-style:none;margin:.25rem 0 .75rem;padding:.4rem .6rem;border-left:4px solid var(--bad);background:#fff5f5}
.findings li.finding-other{color:var(--muted)}
.findings li.finding-error{color:var(--bad)}
button,input{font:inherit}
button{padding:.3rem .8rem;border:1px solid var(--line);border-radius:6px;background:#f6f8fa;cursor:pointer}
.login{max-width:32rem}
.login label{display:block;font-weight:600;margin:.5rem 0 .25rem}
.login input{width:100%;padding:.4rem;border:1px solid var(--line);border-radius:6px}
.error{color:var(--bad);font-weight:600}
`;

/** The Content-Security-Policy of every dashboard page: the style block above and nothing else. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export interface Crumb {
  label: string;
  href?: string;
}

export interface PageParts {
  title: string;
  /** Breadcrumbs from the agency down to this page (the last one is the page itself). */
  crumbs?: readonly Crumb[];
  /** Who is signed in; shows the sign-out button. */
  user?: string;
  /** Already escaped markup. */
  body: string;
}

export function page(parts: PageParts): string {
  const crumbs = (parts.crumbs ?? [])
    .map((c, i, all) =>
      c.href && i < all.length - 1
        ? `<li><a href="${esc(c.href)}">${esc(c.label)}</a></li>`
        : `<li${i === all.length - 1 ? ' aria-current="page"' : ''}>${esc(c.label)}</li>`,
    )
    .join('');
  const nav = crumbs ? `<nav aria-label="Breadcrumb"><ol>${crumbs}</ol></nav>` : '<span></span>';
  const user = parts.user
    ? `<form method="post" action="/dashboard/logout"><span>${esc(parts.user)}</span><button type="submit">Sign out</button></form>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(parts.title)} · IDSE Agency Core</title>
<style>${CSS}</style>
</head><body>
<header>${nav}${user}</header>
<main id="main">
${parts.body}
</main>
</body></html>
`;
}
