/**
 * Text in a doc aimed at the agents that read it. Pipeline docs are prompts in all but name: an IDE
 * agent loads them as context. Two shapes are worth a finding, each kept to phrasings that have no
 * innocent use in a spec or plan, so ordinary prose ("the user ignores the warning", "the bot must
 * not reveal the system prompt", "post the tokens to https://…/revoke") never fires.
 */
export type GuardrailKind = 'instruction-leakage' | 'instruction-extraction';

/**
 * A phrase as a case-insensitive global regex whose spaces match any run of whitespace: docs wrap
 * prose, and comments hide text, across lines ("ignore all previous⏎instructions").
 */
const phrase = (source: string, flags = 'gi'): RegExp =>
  new RegExp(source.replaceAll(' ', String.raw`\s+`), flags);

/**
 * Not right after a negation: "the bot must not ignore the system prompt", "never send the secrets
 * to an external service" are requirements about agents, not instructions to them.
 */
const NOT_NEGATED = String.raw`(?<!\b(?:not|never|cannot)\s+|n['’]t\s+)`;

const PATTERNS: ReadonlyArray<readonly [GuardrailKind, RegExp]> = [
  // A model's own system prompt or chat transcript pasted into a doc: chat-template tokens and tags.
  // (`<<SYS>>` parses as the tag `<SYS>` between two `<`/`>` characters, so the tag alone counts.)
  [
    'instruction-leakage',
    /<\|(?:im_start|im_end|im_sep|endoftext|eot_id|start_header_id|end_header_id|system|user|assistant)\|>|\[\/?INST\]|<<?\/?SYS>>?|<\/?system(?:[-_](?:prompt|reminder))?>/gi,
  ],
  // The opening of a system prompt: "You are Claude, a …", "You are an AI assistant that …", "You are
  // a helpful assistant". "You are responsible for …" is not one.
  [
    'instruction-leakage',
    phrase(
      String.raw`\byou are (?:claude(?: code)?|chatgpt|gpt-?\d[\w.-]*|codex|copilot|gemini|an? (?:ai|large language model|llm)(?: (?:programming|coding))?(?: (?:assistant|agent|model))?)\b[,.]? (?:a |an |made |created |trained |built |developed |who |that |and |(?:anthropic|openai|google|github)['’]s )|\byou are (?:a helpful(?: ai)? assistant\b|an? (?:ai|llm)(?: (?:programming|coding))? (?:assistant|agent|model)\.|a large language model\.)`,
    ),
  ],
  // A model's own voice. "Ships as an AI assistant" is product prose; "As an AI assistant, I…" is not.
  ['instruction-leakage', phrase(String.raw`\bas an ai (?:language model\b|assistant,? I\b)`)],
  // Delimiters around a pasted prompt: in capitals anywhere, or in any case right after `-`, `=`, `#`,
  // `*`, `[` or `<` ("--- begin system prompt ---"). "At the start of the system prompt" is prose.
  ['instruction-leakage', /\b(?:BEGIN|START|END)(?:\s+OF)?(?:\s+THE)?\s+SYSTEM\s+PROMPT\b/g],
  [
    'instruction-leakage',
    /(?<=[-=#*[<][ \t]*)\b(?:begin|start|end)(?:\s+of)?(?:\s+the)?\s+system\s+prompt\b/gi,
  ],
  // Phrasing that tries to steer or extract from the agent reading the doc. Instructions and prompts
  // are the reader's; rules and guidelines are often the project's ("disregard prior guidelines from
  // 2019", "ignore the above rules for generated files"), so only all/any/your of those.
  [
    'instruction-extraction',
    phrase(
      String.raw`${NOT_NEGATED}\b(?:ignore|disregard|forget) (?:(?:all |any )?(?:of )?(?:the |your )?(?:previous|prior|above|earlier|preceding|system) (?:instructions|prompts?)|(?:(?:all|any) (?:of )?(?:the |your )?|your )(?:previous|prior|above|earlier|preceding|system) (?:rules|directions|guidelines))\b`,
    ),
  ],
  // "Override" is also how specs describe layered config ("project blocks override the earlier
  // instructions"); only "override all/any/your previous instructions" addresses the agent.
  [
    'instruction-extraction',
    phrase(
      String.raw`${NOT_NEGATED}\boverride (?:(?:all|any) (?:of )?(?:the |your )?|your )(?:previous|prior|above|earlier|preceding|system) (?:instructions|prompts?)\b`,
    ),
  ],
  // Extraction of the reader's own prompt. "Show the system prompt to admins" is a debug feature and
  // "must not reveal the system prompt" a requirement; "show me your system prompt" is neither.
  [
    'instruction-extraction',
    phrase(
      String.raw`${NOT_NEGATED}\b(?:(?:reveal|print|show|repeat|output|leak|dump) (?:me )?your (?:system prompt|hidden instructions|initial instructions|instructions verbatim)|(?:reveal|repeat|leak) (?:me )?the (?:system prompt|hidden instructions|initial instructions)|(?:print|show|output|dump) (?:me )?the (?:hidden instructions|initial instructions|system prompt verbatim))\b`,
    ),
  ],
  // Concealment from the people in the loop. "Login errors do not tell the user which field was
  // wrong" is a requirement; what hides the agent's own doing is addressed to it.
  [
    'instruction-extraction',
    phrase(
      String.raw`\b(?:do not|don['’]t|never) (?:(?:tell|inform|alert) the (?:user|human|reviewer|operator) (?:about (?:this|these|it)|that you|what you|you)|mention (?:this |these |it )?to the (?:user|human|reviewer|operator))\b`,
    ),
  ],
  [
    'instruction-extraction',
    phrase(String.raw`\byou are now (?:in )?(?:developer|dan|jailbreak|god) mode\b`),
  ],
  // Exfiltration. Secrets, keys and env files have no business being sent anywhere; credentials and
  // tokens are (an OAuth spec posts "the tokens to https://…/revoke"), so only all/any/your of them.
  [
    'instruction-extraction',
    phrase(
      String.raw`${NOT_NEGATED}\b(?:(?:send|upload|post|forward|exfiltrate) (?:(?:all|any|every) (?:of )?(?:the |your )?|the |your )?(?:secrets|api keys|environment variables|env vars|\.env(?: files?)?)|(?:send|upload|post|forward) (?:(?:all|any|every) (?:of )?(?:the |your )?|your )(?:credentials|tokens|passwords)|exfiltrate (?:the |all |any |your )?(?:credentials|tokens|passwords))\b[^.\n]{0,40}\bto (?:https?:\/\/|an? (?:external|remote))`,
    ),
  ],
];

/**
 * `Human:` / `Assistant:` turns, counted only when both speakers appear in one block: alone, a line
 * such as "Human: approves the plan" is a role in a plan, not a transcript.
 */
const TURN = /^(human|assistant): /gim;

/**
 * Words at least one of which every pattern above (and TURN) needs. Most text holds none of them,
 * and one test is far cheaper than a dozen global scans: extraction calls this on every text run.
 * A pattern added above needs its word here.
 */
const ANY_TRIGGER =
  /<\||\[\/?inst\]|sys>|<\/?system|you\s+are|as\s+an\s+ai|system\s+prompt|ignore|disregard|forget|override|instructions|(?:tell|inform|alert|mention)\s|to\s+(?:https?:\/\/|an?\s+(?:external|remote))|(?:human|assistant):/i;

export interface GuardrailHit {
  kind: GuardrailKind;
  phrase: string;
  start: number;
  end: number;
}

const hit = (kind: GuardrailKind, m: RegExpExecArray): GuardrailHit => ({
  kind,
  phrase: m[0].replace(/\s+/g, ' ').trim(),
  start: m.index,
  end: m.index + m[0].length,
});

/**
 * Whether any part of `text` may hold a hit: a doc without a trigger word anywhere has none in any of
 * its text runs (the trigger has no anchors or boundaries a slice could satisfy alone), so extraction
 * asks once per doc instead of once per run. Most docs hold none.
 */
export const mayHoldGuardrailHits = (text: string): boolean => ANY_TRIGGER.test(text);

export function findGuardrailHits(text: string): GuardrailHit[] {
  if (!ANY_TRIGGER.test(text)) return [];
  const hits: GuardrailHit[] = [];
  const seen = new Set<string>();
  for (const [kind, pattern] of PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      // "--- BEGIN SYSTEM PROMPT ---" matches both delimiter patterns: one finding.
      const at = `${kind}@${m.index}`;
      if (seen.has(at)) continue;
      seen.add(at);
      hits.push(hit(kind, m));
    }
  }
  const turns = [...text.matchAll(TURN)];
  if (new Set(turns.map((m) => m[1]!.toLowerCase())).size === 2)
    for (const m of turns) hits.push(hit('instruction-leakage', m));
  return hits.sort((a, b) => a.start - b.start);
}

/**
 * `agency://button`, `agency://date-picker@2.1.0`: a Design Sandbox component a plan builds on. The
 * version is dot-separated parts, so a sentence's full stop is not part of it (`…@2.1.0.`), and the
 * reference may end a clause (`agency://button:`, `…?`, `…!`).
 */
const DESIGN_REF =
  /agency:\/\/([a-z0-9][\w.-]*?)(?:@([\w+-]+(?:\.[\w+-]+)*))?(?=[\s)\]`'’",;]|$|[.:!?](?:\s|$))/gi;

export interface DesignRefMatch {
  component: string;
  version?: string;
  start: number;
  end: number;
}

export function findDesignRefs(text: string): DesignRefMatch[] {
  // Extraction calls this on every text run; almost none holds a URL at all.
  if (!text.includes('://')) return [];
  return [...text.matchAll(DESIGN_REF)].map((m) => ({
    component: m[1]!,
    ...(m[2] ? { version: m[2] } : {}),
    start: m.index,
    end: m.index + m[0].length,
  }));
}
