/**
 * `idse design export` from a Storybook index in the format Storybook 8 serves at /index.json
 * (`v: 5`; Storybook 7 writes the same entries as `v: 4`), read from a file and over HTTP.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DesignManifestSchema } from '../../../src/design/manifest.ts';
import { idse, tempDir } from '../../helpers/cli.ts';

const TAGS = ['dev', 'test', 'autodocs'];
const story = (component: string, title: string, name: string, file: string) => ({
  type: 'story',
  subtype: 'story',
  id: `${component}--${name.toLowerCase().replace(/\s+/g, '-')}`,
  name,
  title,
  importPath: `./src/stories/${file}.stories.ts`,
  componentPath: `./src/stories/${file}.tsx`,
  tags: TAGS,
  exportName: name.replace(/\s+/g, ''),
});
const docs = (component: string, title: string, file: string) => ({
  id: `${component}--docs`,
  title,
  name: 'Docs',
  importPath: `./src/stories/${file}.stories.ts`,
  type: 'docs',
  tags: TAGS,
  storiesImports: [],
});

/** What `storybook build` writes for the example project `storybook init` creates. */
const INDEX = {
  v: 5,
  entries: Object.fromEntries(
    [
      {
        id: 'configure-your-project--docs',
        title: 'Configure your project',
        name: 'Docs',
        importPath: './src/stories/Configure.mdx',
        storiesImports: [],
        type: 'docs',
        tags: ['dev', 'test', 'unattached-mdx'],
      },
      docs('example-button', 'Example/Button', 'Button'),
      story('example-button', 'Example/Button', 'Primary', 'Button'),
      story('example-button', 'Example/Button', 'Secondary', 'Button'),
      story('example-button', 'Example/Button', 'Large', 'Button'),
      docs('example-header', 'Example/Header', 'Header'),
      story('example-header', 'Example/Header', 'Logged In', 'Header'),
      story('example-header', 'Example/Header', 'Logged Out', 'Header'),
      story('example-page', 'Example/Page', 'Logged Out', 'Page'),
    ].map((e) => [e.id, e]),
  ),
};

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/storybook/index.json')
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(INDEX));
    else res.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

async function workspace(): Promise<string> {
  const root = tempDir();
  await idse(['init', 'shop'], { cwd: root });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'shop-ui', version: '8.4.2' }));
  return root;
}

describe('idse design export', () => {
  it('turns a Storybook index file into a valid design.json, one component per Storybook component', async () => {
    const root = await workspace();
    writeFileSync(join(root, 'index.json'), JSON.stringify(INDEX));
    await idse(['agents', 'init', '--agent', 'codex'], { cwd: root });
    const run = await idse(
      ['design', 'export', '--storybook', 'index.json', '--preview-base', 'https://design.example.com'],
      { cwd: root },
    );
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([
      'wrote     design.json (3 components)',
      'updated   AGENTS.md',
    ]);
    const manifest = JSON.parse(readFileSync(join(root, 'design.json'), 'utf8'));
    expect(DesignManifestSchema.safeParse(manifest).success).toBe(true);
    expect(
      manifest.components.map(
        (c: { id: string; name: string; version: string }) => `${c.id} ${c.name} ${c.version}`,
      ),
    ).toEqual(['example-button Button 8.4.2', 'example-header Header 8.4.2', 'example-page Page 8.4.2']);
    expect(manifest.components[0]).toMatchObject({
      description: 'Example/Button: 3 stories (Primary, Secondary, Large)',
      previewUrl: 'https://design.example.com/?path=/docs/example-button--docs',
      stories: ['example-button--primary', 'example-button--secondary', 'example-button--large'],
      componentPath: './src/stories/Button.tsx',
    });
    // The page has no docs entry: its preview is its first story.
    expect(manifest.components[2].previewUrl).toBe(
      'https://design.example.com/?path=/story/example-page--logged-out',
    );
    const agents = readFileSync(join(root, 'AGENTS.md'), 'utf8');
    expect(agents).toContain('### Design Sandbox');
    expect(agents).toContain('- `agency://example-button@8.4.2` — Button');

    // With the manifest configured, references in docs are checked against it.
    writeFileSync(
      join(root, 'idse.config.yml'),
      `${readFileSync(join(root, 'idse.config.yml'), 'utf8')}\ndesign: { manifest: design.json }\n`,
    );
    const plan = join(root, 'projects/shop/sessions/kickoff/plans/plan.md');
    writeFileSync(
      plan,
      `${readFileSync(plan, 'utf8')}\nUse agency://example-button@8 and agency://date-picker.\n`,
    );
    const check = await idse(['design', 'check', '--json'], { cwd: root });
    expect(check.code).toBe(1);
    expect(
      JSON.parse(check.stdout).map((r: { ref: string; problem?: string }) => [r.ref, Boolean(r.problem)]),
    ).toEqual([
      ['agency://example-button@8', false],
      ['agency://date-picker', true],
    ]);
    // Reruns write the configured path and leave the instruction files as they are.
    const again = await idse(['design', 'export', '--storybook', 'index.json', '--json'], { cwd: root });
    expect(JSON.parse(again.stdout)).toMatchObject({ file: 'design.json', components: 3 });
  });

  it('reads the index a running Storybook serves, linking previews to it', async () => {
    const root = await workspace();
    const url = `${base}/storybook/index.json`;
    const run = await idse(['design', 'export', '--storybook', url, '--version', '2.0.0', '--dry-run'], {
      cwd: root,
    });
    const manifest = JSON.parse(run.stdout);
    expect(manifest.components[1]).toMatchObject({
      id: 'example-header',
      version: '2.0.0',
      previewUrl: `${base}/storybook/?path=/docs/example-header--docs`,
    });
    const missing = await idse(['design', 'export', '--storybook', `${base}/nope/index.json`], { cwd: root });
    expect([missing.code, missing.stderr]).toEqual([
      2,
      expect.stringContaining('HTTP 404 Not Found [path-not-found]'),
    ]);
  });

  it('builds the manifest from a components folder', async () => {
    const root = await workspace();
    const dir = join(root, 'src/components');
    mkdirSync(join(dir, 'DatePicker'), { recursive: true });
    for (const file of [
      'Button.tsx',
      'Button.stories.tsx',
      'Button.test.tsx',
      'index.ts',
      'Modal.vue',
      'types.d.ts',
      'README.md',
    ])
      writeFileSync(join(dir, file), '');
    await idse(['design', 'export', '--components', 'src/components', '--out', 'sandbox/design.json'], {
      cwd: root,
    });
    const manifest = JSON.parse(readFileSync(join(root, 'sandbox/design.json'), 'utf8'));
    expect(manifest.components.map((c: { id: string; name: string }) => `${c.id}:${c.name}`)).toEqual([
      'button:Button',
      'date-picker:DatePicker',
      'modal:Modal',
    ]);
  });

  it('refuses what is not a Storybook 7+ index with a coded error, writing nothing', async () => {
    const root = await workspace();
    writeFileSync(join(root, 'v3.json'), JSON.stringify({ v: 3, stories: {} }));
    writeFileSync(
      join(root, 'v4.json'),
      JSON.stringify({ v: 4, entries: { x: { id: 'x--a', title: 'X' } } }),
    );
    writeFileSync(join(root, 'broken.json'), '{"v": 5, "entries": {');
    const cases: [string[], string][] = [
      [['--storybook', 'v3.json'], 'v3.json: not a Storybook index.json: `v`: is older than Storybook 7'],
      [['--storybook', 'v4.json'], 'v4.json: not a Storybook index.json: `entries.x.name`'],
      [['--storybook', 'broken.json'], 'broken.json: not JSON'],
      [['--storybook', 'missing.json'], 'missing.json does not exist [path-not-found]'],
      [['--components', 'nowhere'], 'nowhere is not a folder [path-not-found]'],
      [[], 'give one source'],
    ];
    for (const [args, message] of cases) {
      const run = await idse(['design', 'export', ...args], { cwd: root });
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toContain(message);
    }
    expect(() => readFileSync(join(root, 'design.json'))).toThrow();
  });
});
