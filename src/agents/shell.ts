import { parse } from 'shell-quote';

/** Whether a shell command only reads, and if not, the first reason it may write. */
export type ShellVerdict = { readOnly: true } | { readOnly: false; reason: string };

/** Programs that read and print, never write (their writing flags are refused below). */
const READERS = new Set([
  'cat',
  'head',
  'tail',
  'less',
  'more',
  'ls',
  'tree',
  'pwd',
  'echo',
  'printf',
  'wc',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'find',
  'fd',
  'stat',
  'file',
  'du',
  'df',
  'diff',
  'cmp',
  'sort',
  'cut',
  'tr',
  'nl',
  'column',
  'jq',
  'basename',
  'dirname',
  'realpath',
  'readlink',
  'which',
  'date',
  'whoami',
  'uname',
  'true',
  'false',
  'test',
  '[',
  'cd',
]);

/** git subcommands that only read the repository. */
const GIT_READERS = new Set([
  'status',
  'log',
  'diff',
  'show',
  'blame',
  'ls-files',
  'ls-tree',
  'grep',
  'rev-parse',
  'describe',
  'shortlog',
  'cat-file',
]);

/** idse commands that only read, unless given an output file (refused by WRITING_FLAGS). */
const IDSE_READERS = new Set(['validate', 'status', 'next', 'route', 'rules', 'query', 'report']);
const IDSE_READER_PAIRS = new Set([
  'blueprint claims',
  'blueprint verify',
  'blueprint extract-candidates',
  'agents list',
  'design check',
]);

/** Flags that make an otherwise reading program write or run something else. */
const WRITING_FLAGS: Readonly<Record<string, RegExp>> = {
  find: /^-(delete|exec|execdir|ok|okdir|fprint|fprint0|fprintf|fls)$/,
  sort: /^(-o|--output|--compress-program)/,
  rg: /^--pre(=|$)/,
  tree: /^-o$/,
  file: /^(-C|--compile)$/,
  date: /^(-s|--set)/,
  diff: /^--output/,
  git: /^--output/,
  idse: /^(-o|--output|--out)(=|$)/,
};

type Token = ReturnType<typeof parse>[number];

const isOp = (token: Token): token is { op: string } => typeof token === 'object' && 'op' in token;
const word = (token: Token): string | undefined =>
  typeof token === 'string'
    ? token
    : isOp(token) && token.op === 'glob'
      ? (token as { pattern: string }).pattern
      : undefined;

/** Operators between commands; anything else (redirections) is looked at where it stands. */
const SEPARATORS = new Set(['|', '||', '&&', ';', '&', '(', ')', '|&', ';;']);

/**
 * Reads a command line the way a cautious reviewer would: every command in it must be a known
 * reader, output may only be redirected to /dev/null or another descriptor, and anything the
 * shell would expand into a new command (substitution, `eval`, `xargs`) is refused.
 */
export function readOnlyCommand(command: string): ShellVerdict {
  if (/\$\(|`|<\(|>\(/.test(command))
    return { readOnly: false, reason: 'command substitution can run anything' };
  let tokens: Token[];
  try {
    tokens = parse(command);
  } catch (error) {
    return { readOnly: false, reason: `the command does not parse: ${(error as Error).message}` };
  }
  let current: string[] = [];
  const commands: string[][] = [current];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (typeof token === 'object' && 'comment' in token) continue;
    if (isOp(token) && SEPARATORS.has(token.op)) {
      current = [];
      commands.push(current);
      continue;
    }
    if (isOp(token) && token.op !== 'glob') {
      if (token.op === '>' || token.op === '>>') {
        const target = word(tokens[i + 1] ?? '');
        if (target !== '/dev/null') return { readOnly: false, reason: `it writes to \`${target ?? '?'}\`` };
        i++;
        continue;
      }
      if (token.op === '>&' || token.op === '<' || token.op === '<<' || token.op === '<<<') {
        i++;
        continue;
      }
      return { readOnly: false, reason: `the shell operator \`${token.op}\` is not allowed while planning` };
    }
    const text = word(token);
    if (text !== undefined) current.push(text);
  }
  for (const words of commands) {
    const verdict = readOnlySimple(words);
    if (!verdict.readOnly) return verdict;
  }
  return { readOnly: true };
}

function readOnlySimple(words: string[]): ShellVerdict {
  const args = words.slice(words.findIndex((w) => !/^[A-Za-z_]\w*=/.test(w)));
  if (args.length === 0 || words.every((w) => /^[A-Za-z_]\w*=/.test(w))) {
    return words.length ? { readOnly: false, reason: 'it sets shell variables' } : { readOnly: true };
  }
  const program = args[0]!.split('/').pop()!;
  const rest = args.slice(1);
  const flag = WRITING_FLAGS[program];
  const writing = flag && rest.find((a) => flag.test(a));
  if (writing) return { readOnly: false, reason: `\`${program} ${writing}\` writes or runs commands` };
  if (READERS.has(program)) return { readOnly: true };
  const sub = rest.find((a) => !a.startsWith('-'));
  if (program === 'git' && sub && GIT_READERS.has(sub)) return { readOnly: true };
  if (program === 'idse' && sub) {
    const pair = `${sub} ${rest[rest.indexOf(sub) + 1] ?? ''}`;
    if (IDSE_READERS.has(sub) || IDSE_READER_PAIRS.has(pair)) return { readOnly: true };
  }
  const named = program === 'git' || program === 'idse' ? `${program} ${sub ?? ''}`.trim() : program;
  return { readOnly: false, reason: `\`${named}\` is not a read-only command` };
}
