/**
 * Text in a doc aimed at the agents that read it. Pipeline docs are prompts in all but name: an IDE
 * agent loads them as context. Two shapes are worth a finding, each kept to phrasings that have no
 * innocent use in a spec or plan, so ordinary prose ("the user ignores the warning") never fires.
 */
export type GuardrailKind = 'instruction-leakage' | 'instruction-extraction';

const PATTERNS: ReadonlyArray<readonly [GuardrailKind, RegExp]> = [
  // A model's own system prompt or chat transcript pasted into a doc.
  [
    'instruction-leakage',
    /<\|im_(?:start|end)\|>|\[\/?INST\]|<<\/?SYS>>|<\/?system(?:[-_](?:prompt|reminder))?>/gi,
  ],
  [
    'instruction-leakage',
    /\byou are (?:claude|chatgpt|gpt-?\d[\w.-]*|codex|copilot|gemini|an? (?:ai|large language model|llm)(?: (?:assistant|agent|model))?)\b[,.]? (?:a |an |made |created |trained |built |developed |who |that |and )/gi,
  ],
  ['instruction-leakage', /\bas an ai (?:language model|assistant)\b/gi],
  ['instruction-leakage', /^(?:human|assistant): /gim],
  ['instruction-leakage', /\b(?:begin|start|end) of (?:the )?system prompt\b/gi],
  // Phrasing that tries to steer or extract from the agent reading the doc.
  [
    'instruction-extraction',
    /\b(?:ignore|disregard|forget|override) (?:all |any )?(?:of )?(?:the |your )?(?:previous|prior|above|earlier|preceding|system) (?:instructions|prompts?|rules|directions|guidelines)\b/gi,
  ],
  [
    'instruction-extraction',
    /\b(?:reveal|print|show|repeat|output|leak|dump) (?:me )?(?:your|the) (?:system prompt|hidden instructions|initial instructions|instructions verbatim)\b/gi,
  ],
  [
    'instruction-extraction',
    /\b(?:do not|don't|never) (?:tell|inform|alert|mention (?:this )?to) the (?:user|human|reviewer|operator)\b/gi,
  ],
  ['instruction-extraction', /\byou are now (?:in )?(?:developer|dan|jailbreak|god) mode\b/gi],
  [
    'instruction-extraction',
    /\b(?:send|upload|post|exfiltrate) (?:the |all |any )?(?:secrets|credentials|api keys|tokens|environment variables|\.env)\b[^.\n]{0,40}\bto (?:https?:\/\/|an? (?:external|remote))/gi,
  ],
];

export interface GuardrailHit {
  kind: GuardrailKind;
  phrase: string;
  start: number;
  end: number;
}

export function findGuardrailHits(text: string): GuardrailHit[] {
  const hits: GuardrailHit[] = [];
  for (const [kind, pattern] of PATTERNS) {
    for (const m of text.matchAll(pattern))
      hits.push({ kind, phrase: m[0].trim(), start: m.index, end: m.index + m[0].length });
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** `agency://button`, `agency://date-picker@2.1.0`: a Design Sandbox component a plan builds on. */
const DESIGN_REF = /agency:\/\/([a-z0-9][\w.-]*?)(?:@([\w.+-]+))?(?=[\s)\]`'",;]|$|\.(?:\s|$))/gi;

export interface DesignRefMatch {
  component: string;
  version?: string;
  start: number;
  end: number;
}

export function findDesignRefs(text: string): DesignRefMatch[] {
  return [...text.matchAll(DESIGN_REF)].map((m) => ({
    component: m[1]!,
    ...(m[2] ? { version: m[2] } : {}),
    start: m.index,
    end: m.index + m[0].length,
  }));
}
