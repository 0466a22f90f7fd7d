import { foldersOf, isExternalLink, resolveLink } from '../model/links.ts';
import { toRange } from '../pipeline/facts.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE022',
  name: 'broken-link',
  description: 'Relative links between pipeline docs point at files that exist.',
  article: 'VI',
  defaultSeverity: 'error',
  *check({ workspace }) {
    const folders = foldersOf(workspace.paths);
    for (const { session, where } of forEachSession(workspace)) {
      for (const doc of session.docs) {
        for (const link of doc.facts.links) {
          if (isExternalLink(link.url)) continue;
          const target = resolveLink(doc.path, link.url);
          // Only markdown targets are known to the engine; other files may exist unseen.
          if (!target || !/\.md$/i.test(target) || workspace.paths.has(target) || folders.has(target))
            continue;
          yield {
            ...where,
            file: doc.path,
            range: toRange(link.span),
            message: `link target '${link.url}' does not exist`,
          };
        }
      }
    }
  },
});
