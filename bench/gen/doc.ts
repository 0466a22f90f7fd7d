import type { Rng } from './prng.ts';
import { component, ident, object, paragraph, sentence } from './prose.ts';

/** A doc as H2 sections, so generators can pad prose to a size target without breaking structure. */
export interface Section {
  title: string;
  blocks: string[];
  /** Whether filler paragraphs may be appended here (not inside task lists or ID lists). */
  prose?: boolean;
}

export interface Doc {
  head: string[];
  sections: Section[];
}

export const render = (doc: Doc): string =>
  `${[doc.head.join('\n\n'), ...doc.sections.map((s) => [`## ${s.title}`, ...s.blocks].join('\n\n'))].join('\n\n')}\n`;

/** Appends paragraphs to prose sections until the rendered doc reaches `target` bytes. */
export function padTo(rng: Rng, doc: Doc, target: number): string {
  const prose = doc.sections.filter((s) => s.prose);
  let text = render(doc);
  while (Buffer.byteLength(text) < target && prose.length > 0) {
    rng.pick(prose).blocks.push(paragraph(rng));
    text = render(doc);
  }
  return text;
}

/** Real docs run 2–6 KB; leave room for the last paragraph so few overshoot 6 KB. */
export const sizeTarget = (rng: Rng): number => rng.int(2100, 5300);

export const list = (items: readonly string[]): string => items.map((i) => `- ${i}`).join('\n');

export const table = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');

export const fence = (lang: string, body: string): string => `\`\`\`${lang}\n${body}\n\`\`\``;

const SNIPPETS: Readonly<Record<string, (rng: Rng) => string>> = {
  ts: (r) => {
    const name = ident(r);
    return `export async function ${name}(input: ${r.pick(['string', 'Buffer', 'SessionRef'])}) {\n  const result = await load(input, { retries: ${r.int(1, 5)} });\n  if (!result.ok) throw new Error('${object(r)} rejected');\n  return result.value;\n}`;
  },
  bash: (r) =>
    `npm run build\nnode dist/cli.js ${r.pick(['validate', 'report', 'status'])} --format ${r.pick(['json', 'text', 'sarif'])}\nnpx vitest run test/${ident(r)}.test.ts`,
  json: (r) =>
    `{\n  "id": "${ident(r)}",\n  "enabled": ${r.chance(0.5)},\n  "timeoutMs": ${r.int(100, 9000)},\n  "tags": ["${component(r)}"]\n}`,
  yaml: (r) =>
    `name: ${ident(r)}\nretries: ${r.int(0, 5)}\nowners:\n  - ${component(r)}\nnotes: >\n  ${sentence(r)}`,
  sql: (r) =>
    `CREATE TABLE ${ident(r).toLowerCase()} (\n  id INTEGER PRIMARY KEY,\n  session_id TEXT NOT NULL,\n  payload BLOB,\n  updated_at TEXT DEFAULT CURRENT_TIMESTAMP\n);`,
  text: (r) =>
    `${component(r)}\n    │\n    ▼\n${component(r)} ──── ${object(r)}\n    │\n    ▼\n${component(r)}`,
};

export const snippet = (rng: Rng, lang = rng.pick(Object.keys(SNIPPETS))): string =>
  fence(lang === 'text' ? '' : lang, SNIPPETS[lang]!(rng));

export const MARKER = '[REQUIRES INPUT]';
