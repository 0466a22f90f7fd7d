import { z } from 'zod';

/** One component of the agency's Design Sandbox, as its `design.json` lists it. */
export const DesignComponentSchema = z.looseObject({
  id: z
    .string()
    .regex(/^[a-z0-9][\w.-]*$/i, 'a component id is letters, digits, ".", "_" or "-", as in agency://<id>'),
  name: z.string().min(1),
  description: z.string().optional(),
  /** Prop name → type or description, as the sandbox documents them. */
  props: z.record(z.string(), z.unknown()).optional(),
  previewUrl: z.url().optional(),
  version: z.string().min(1),
});
export type DesignComponent = z.infer<typeof DesignComponentSchema>;

export const DesignManifestSchema = z.looseObject({
  $schema: z.string().optional(),
  components: z.array(DesignComponentSchema),
});
export type DesignManifest = z.infer<typeof DesignManifestSchema>;

/** What the engine is told about the manifest: loaded, or why it could not be. */
export type DesignContext = { source: string; manifest: DesignManifest } | { source: string; error: string };

/**
 * Whether a referenced version is satisfied by the manifest's: exact, or a prefix at a dot boundary
 * (`@2` and `@2.1` accept `2.1.3`), which is how plans usually pin a major or minor line.
 */
export const versionMatches = (wanted: string, actual: string): boolean =>
  wanted === actual || actual.startsWith(`${wanted}.`);
