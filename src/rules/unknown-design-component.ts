import { versionMatches } from '../design/manifest.ts';
import { toRange } from '../pipeline/facts.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE027',
  name: 'unknown-design-component',
  description:
    'Every `agency://component[@version]` reference names a component (and version) of the Design Sandbox manifest.',
  article: 'II',
  defaultSeverity: 'error',
  *check({ workspace, design }) {
    // Without a manifest in the config there is nothing to check against.
    if (!design) return;
    const components =
      'manifest' in design
        ? new Map(design.manifest.components.map((c) => [c.id.toLowerCase(), c]))
        : undefined;
    for (const { session, where } of forEachSession(workspace)) {
      for (const doc of session.docs) {
        const seen = new Set<string>();
        for (const ref of doc.facts.designRefs) {
          const label = `agency://${ref.component}${ref.version ? `@${ref.version}` : ''}`;
          const once = `${ref.span[0]}:${label}`;
          if (seen.has(once)) continue;
          seen.add(once);
          const at = { ...where, file: doc.path, range: toRange(ref.span) };
          if (!components) {
            yield {
              ...at,
              message: `${label} cannot be checked: design manifest ${design.source} did not load (${'error' in design ? design.error : ''})`,
            };
            continue;
          }
          const component = components.get(ref.component.toLowerCase());
          if (!component) {
            yield { ...at, message: `${label} is not a component of the design manifest (${design.source})` };
          } else if (ref.version && !versionMatches(ref.version, component.version)) {
            yield {
              ...at,
              message: `${label}: the design manifest has ${component.id}@${component.version}`,
            };
          }
        }
      }
    }
  },
});
