import { toRange } from '../pipeline/facts.ts';
import { defineRule } from './rule.ts';

export default defineRule({
  code: 'IDSE003',
  name: 'invalid-front-matter',
  description: 'A doc’s YAML front matter does not parse.',
  article: 'VI',
  defaultSeverity: 'error',
  *check({ workspace }) {
    for (const doc of workspace.docs.values()) {
      const fm = doc.facts.frontMatter;
      if (fm?.error)
        yield {
          file: doc.path,
          range: toRange(fm.errorSpan ?? fm.span),
          message: `front matter is not valid YAML: ${fm.error}`,
        };
    }
  },
});
