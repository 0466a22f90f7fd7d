import { z } from 'zod';
import { describeIssues } from '../zod-issues.ts';
import { type DesignComponent, type DesignManifest, DesignManifestSchema } from './manifest.ts';

/** One entry of Storybook's `index.json` (Storybook 7 writes `v: 4`, 8 and later `v: 5`). */
const IndexEntrySchema = z.looseObject({
  id: z.string().min(1),
  title: z.string().min(1),
  name: z.string(),
  importPath: z.string(),
  type: z.enum(['story', 'docs']),
  tags: z.array(z.string()).optional(),
  componentPath: z.string().optional(),
});

export const StoryIndexSchema = z.looseObject({
  v: z.number().int().min(4, 'is older than Storybook 7 (v4); build the Storybook with version 7 or later'),
  entries: z.record(z.string(), IndexEntrySchema),
});
export type StoryIndex = z.infer<typeof StoryIndexSchema>;

/** Storybook's own component id: the part of a story id before `--` (`example-button--primary`). */
const componentIdOf = (storyId: string): string => storyId.split('--')[0]!;

/** Where a component's page lives in a published Storybook: its docs page, else its first story. */
function previewUrl(base: string | undefined, entries: StoryIndex['entries'][string][]) {
  if (!base) return undefined;
  const docs = entries.find((e) => e.type === 'docs');
  const path = docs ? `/docs/${docs.id}` : `/story/${entries[0]!.id}`;
  return `${base.replace(/\/?(index\.json)?$/, '/')}?path=${path}`;
}

export interface ManifestOptions {
  version: string;
  /** The published Storybook's address, for preview links. */
  previewBase?: string;
}

/** A manifest, or why none could be made: a value, never an exception. */
export type ManifestResult = { manifest: DesignManifest } | { problem: string };

/**
 * Storybook's index → the Design Sandbox manifest: one component per Storybook component (the
 * stories sharing a title), keyed by Storybook's component id, so `agency://example-button` names
 * the component whose stories are `example-button--*`.
 */
export function manifestFromStorybook(text: string, options: ManifestOptions): ManifestResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { problem: `not JSON: ${(error as Error).message}` };
  }
  const parsed = StoryIndexSchema.safeParse(data);
  if (!parsed.success) return { problem: `not a Storybook index.json: ${describeIssues(parsed.error)}` };
  const byComponent = new Map<string, StoryIndex['entries'][string][]>();
  for (const entry of Object.values(parsed.data.entries)) {
    const id = componentIdOf(entry.id);
    byComponent.set(id, [...(byComponent.get(id) ?? []), entry]);
  }
  // A docs page no story shares a title with (`Introduction.mdx`) documents no component.
  const components = [...byComponent]
    .filter(([, entries]) => entries.some((e) => e.type === 'story'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, entries]): DesignComponent => {
      const { title } = entries[0]!;
      const stories = entries.filter((e) => e.type === 'story');
      const url = previewUrl(options.previewBase, entries);
      const componentPath = entries.find((e) => e.componentPath)?.componentPath;
      return {
        id,
        name: title.split('/').pop()!.trim(),
        description: `${title}: ${stories.length} stor${stories.length === 1 ? 'y' : 'ies'} (${stories.map((s) => s.name).join(', ')})`,
        ...(url ? { previewUrl: url } : {}),
        version: options.version,
        title,
        stories: stories.map((s) => s.id),
        ...(componentPath ? { componentPath } : {}),
        importPath: entries[0]!.importPath,
      };
    });
  return checked({ components });
}

/** What a component folder's entries say: a folder or a component file each, named as the file is. */
export function manifestFromComponents(names: readonly string[], options: ManifestOptions): ManifestResult {
  const components = [...new Set(names.map((n) => n.replace(/\.(tsx|jsx|ts|js|vue|svelte)$/, '')))]
    .sort()
    .map((name) => ({ id: kebab(name), name, version: options.version }));
  const ids = components.map((c) => c.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) return { problem: `two components would both be agency://${twice}` };
  return checked({ components });
}

/** `DatePicker` → `date-picker`, `date_picker` → `date-picker`. */
export const kebab = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();

function checked(manifest: DesignManifest): ManifestResult {
  if (manifest.components.length === 0) return { problem: 'no components found' };
  const parsed = DesignManifestSchema.safeParse(manifest);
  return parsed.success
    ? { manifest: parsed.data }
    : { problem: `the manifest would be invalid: ${describeIssues(parsed.error)}` };
}
