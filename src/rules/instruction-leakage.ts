import { guardrailRule } from './guardrail-rule.ts';

export default guardrailRule(
  'instruction-leakage',
  {
    code: 'IDSE025',
    name: 'instruction-leakage',
    description: 'Docs hold no agent system prompts or chat transcripts pasted from a model session.',
    article: 'VI',
    defaultSeverity: 'error',
  },
  (phrase) =>
    `agent instruction text in a doc ("${phrase}"); keep prompts and transcripts out of pipeline docs`,
);
