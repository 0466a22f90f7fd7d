import { findNodeAtLocation, type Node, type ParseError, parseTree } from 'jsonc-parser';
import { IdseError } from '../errors.ts';

/**
 * The orchestrator writes its JSON with Python's `json.dump(data, f, indent=2)`: two-space indent,
 * `", "`/`": "` separators, every character outside printable ASCII escaped as `\uXXXX`, no trailing
 * newline. Edits change only the text of the values they touch, so unknown keys, key order, the
 * file's own indentation and its last byte stay as they were.
 */

/** One indent step of a file, or `null` for a single-line file. */
type Indent = string | null;

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A JSON string as Python's `ensure_ascii` writes it (surrogate pairs escaped one unit at a time). */
export const pythonString = (text: string): string =>
  `"${text.replace(
    /["\\]|[^ -~]/g,
    (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )}"`;

/** `value` in upstream's format, its brackets at nesting `level` (0 for a whole file). */
export function upstreamJson(value: unknown, level = 0, indent: Indent = '  '): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return pythonString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const entries: [string | undefined, unknown][] = Array.isArray(value)
    ? value.map((v) => [undefined, v])
    : Object.entries(value as Record<string, unknown>);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return `${open}${close}`;
  const items = entries.map(
    ([key, v]) => `${key === undefined ? '' : `${pythonString(key)}: `}${upstreamJson(v, level + 1, indent)}`,
  );
  if (indent === null) return `${open}${items.join(', ')}${close}`;
  const inner = `\n${indent.repeat(level + 1)}`;
  return `${open}${inner}${items.join(`,${inner}`)}\n${indent.repeat(level)}${close}`;
}

export type JsonPath = readonly string[];

function parseObject(text: string, file: string): Node {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true });
  if (errors.length > 0 || root?.type !== 'object') {
    throw new IdseError('metadata-invalid', `${file} is not a JSON object; fix it before editing it`, {
      file,
    });
  }
  return root;
}

/** The file's indent step: the whitespace before its first key, or null when it is on one line. */
function indentOf(text: string, root: Node): Indent {
  const first = root.children?.[0];
  if (!first) return '  ';
  const before = text.slice(root.offset + 1, first.offset);
  const match = /\n([ \t]*)$/.exec(before);
  return match ? match[1]! || '  ' : null;
}

const splice = (text: string, start: number, end: number, insert: string): string =>
  text.slice(0, start) + insert + text.slice(end);

/**
 * `text` with the value at `path` set to `value`: the old value's text replaced, or a new key added
 * after the object's last one (objects missing on the way are created).
 */
export function setJsonValue(text: string, path: JsonPath, value: unknown, file = 'JSON file'): string {
  const root = parseObject(text, file);
  const indent = indentOf(text, root);
  const existing = findNodeAtLocation(root, [...path]);
  if (existing)
    return splice(
      text,
      existing.offset,
      existing.offset + existing.length,
      upstreamJson(value, path.length, indent),
    );
  // The deepest object on the path that exists gets the rest of the path as one new key.
  const objectAt = (d: number): Node | undefined =>
    d === 0 ? root : findNodeAtLocation(root, path.slice(0, d));
  let depth = path.length - 1;
  let parent = objectAt(depth);
  while (!parent) parent = objectAt(--depth);
  if (parent.type !== 'object')
    throw new IdseError('metadata-invalid', `${file}: '${path.slice(0, depth).join('.')}' is not an object`, {
      file,
    });
  let nested: unknown = value;
  for (const key of path.slice(depth + 1).reverse()) nested = { [key]: nested };
  const key = path[depth]!;
  const properties = parent.children ?? [];
  if (properties.length === 0) {
    return splice(
      text,
      parent.offset,
      parent.offset + parent.length,
      upstreamJson({ [key]: nested }, depth, indent),
    );
  }
  const last = properties[properties.length - 1]!;
  const entry = `${pythonString(key)}: ${upstreamJson(nested, depth + 1, indent)}`;
  const separator = indent === null ? ', ' : `,\n${indent.repeat(depth + 1)}`;
  const at = last.offset + last.length;
  return splice(text, at, at, separator + entry);
}

/** `text` without the key at `path` (and the separator before or after it); unchanged when absent. */
export function removeJsonKey(text: string, path: JsonPath, file = 'JSON file'): string {
  const root = parseObject(text, file);
  const value = findNodeAtLocation(root, [...path]);
  const property = value?.parent;
  const object = property?.parent;
  if (property?.type !== 'property' || !object) return text;
  const siblings = object.children ?? [];
  const index = siblings.indexOf(property);
  if (siblings.length === 1) return splice(text, object.offset, object.offset + object.length, '{}');
  if (index > 0) {
    const previous = siblings[index - 1]!;
    return splice(text, previous.offset + previous.length, property.offset + property.length, '');
  }
  return splice(text, property.offset, siblings[1]!.offset, '');
}

/** Apply several edits in turn; a value of `undefined` removes its key. */
export function editJson(
  text: string,
  edits: readonly (readonly [JsonPath, unknown])[],
  file = 'JSON file',
): string {
  return edits.reduce(
    (current, [path, value]) =>
      value === undefined ? removeJsonKey(current, path, file) : setJsonValue(current, path, value, file),
    text,
  );
}
