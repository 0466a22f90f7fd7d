import { guardrailRule } from './guardrail-rule.ts';

export default guardrailRule(
  'instruction-extraction',
  {
    code: 'IDSE026',
    name: 'instruction-extraction',
    description:
      'Docs hold no phrasing aimed at steering or extracting from the agents that read them (prompt injection).',
    article: 'VI',
    defaultSeverity: 'error',
  },
  (phrase) => `text aimed at the agents reading this doc ("${phrase}"); remove it or quote it in a code span`,
);
