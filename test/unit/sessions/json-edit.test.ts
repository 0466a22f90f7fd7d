import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  editJson,
  pythonString,
  removeJsonKey,
  setJsonValue,
  upstreamJson,
} from '../../../src/sessions/json-edit.ts';

const CORPUS = fileURLToPath(new URL('../../fixtures/corpus/idse-orchestrator', import.meta.url));

/** Every JSON file the upstream orchestrator wrote into the shared workspace. */
function corpusJson(): [string, string][] {
  return readdirSync(CORPUS, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => {
      const path = join(e.parentPath, e.name);
      return [path.slice(CORPUS.length + 1), readFileSync(path, 'utf8')];
    });
}

describe("upstream's JSON format", () => {
  it('reproduces every JSON file of the upstream workspace byte for byte (bar a hand-added final newline)', () => {
    const files = corpusJson();
    expect(files.map(([p]) => p.split('/').pop()).sort()).toEqual([
      'agent_registry.json',
      ...Array(8).fill('session.json'),
      'session_state.json',
    ]);
    for (const [path, text] of files)
      expect(`${upstreamJson(JSON.parse(text))}`, path).toBe(text.replace(/\n$/, ''));
  });

  it('escapes as Python’s ensure_ascii does', () => {
    expect(pythonString('a "q" \\ é – 😀\n\t\u0001\u007f')).toBe(
      '"a \\"q\\" \\\\ \\u00e9 \\u2013 \\ud83d\\ude00\\n\\t\\u0001\\u007f"',
    );
    expect(upstreamJson({ a: [], b: {}, c: [1, true, null], d: { e: 'x' } })).toBe(
      '{\n  "a": [],\n  "b": {},\n  "c": [\n    1,\n    true,\n    null\n  ],\n  "d": {\n    "e": "x"\n  }\n}',
    );
    expect(upstreamJson({ a: [1, 2], b: { c: 'd' } }, 0, null)).toBe('{"a": [1, 2], "b": {"c": "d"}}');
  });
});

describe('edits in place', () => {
  it('on every upstream session.json, gives exactly the text upstream would write for the same change', () => {
    for (const [path, text] of corpusJson().filter(([p]) => p.endsWith('session.json'))) {
      const data = JSON.parse(text) as Record<string, unknown>;
      const edited = editJson(text, [
        [['status'], 'review'],
        [['tags'], ['api', 'ü']],
        [['collaborators'], [{ name: 'bob', role: 'reviewer', joined_at: 'now' }]],
        [['updated_at'], '2026-11-25T12:00:00.000000'],
      ]);
      const expected = upstreamJson({
        ...data,
        status: 'review',
        tags: ['api', 'ü'],
        collaborators: [{ name: 'bob', role: 'reviewer', joined_at: 'now' }],
        updated_at: '2026-11-25T12:00:00.000000',
      });
      // The one hand-edited file keeps its final newline: untouched bytes stay as they were.
      expect(edited, path).toBe(text.endsWith('\n') ? `${expected}\n` : expected);
      // Setting a value to what it already is changes nothing at all.
      expect(setJsonValue(text, ['session_id'], data.session_id)).toBe(text);
    }
  });

  it('keeps unknown keys, their order and their formatting', () => {
    const text = '{\n    "session_id": "s",\n    "x_custom": {"keep":   [1,2]},\n    "status": "draft"\n}\n';
    expect(setJsonValue(text, ['status'], 'complete')).toBe(
      '{\n    "session_id": "s",\n    "x_custom": {"keep":   [1,2]},\n    "status": "complete"\n}\n',
    );
    // A new key goes after the last one, in the file's own indentation.
    expect(setJsonValue(text, ['tags'], ['a'])).toBe(
      '{\n    "session_id": "s",\n    "x_custom": {"keep":   [1,2]},\n    "status": "draft",\n    "tags": [\n        "a"\n    ]\n}\n',
    );
    // Nested paths are created as needed; one-line files stay on one line.
    expect(setJsonValue('{"a": 1}', ['b', 'c'], 'd')).toBe('{"a": 1, "b": {"c": "d"}}');
    expect(setJsonValue('{}', ['a'], 1)).toBe('{\n  "a": 1\n}');
  });

  it('removes keys with their separator, wherever they are', () => {
    const text = '{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}';
    expect(removeJsonKey(text, ['a'])).toBe('{\n  "b": 2,\n  "c": 3\n}');
    expect(removeJsonKey(text, ['b'])).toBe('{\n  "a": 1,\n  "c": 3\n}');
    expect(removeJsonKey(text, ['c'])).toBe('{\n  "a": 1,\n  "b": 2\n}');
    expect(removeJsonKey('{"only": true}', ['only'])).toBe('{}');
    expect(removeJsonKey(text, ['missing'])).toBe(text);
    expect(editJson(text, [[['b'], undefined]])).toBe('{\n  "a": 1,\n  "c": 3\n}');
  });

  it('refuses to edit what is not a JSON object, with a coded error', () => {
    for (const bad of ['{"a": 1,', '[1]', '{"a": 1} // note', '']) {
      expect(() => setJsonValue(bad, ['a'], 2, 'x.json')).toThrow(
        expect.objectContaining({ code: 'metadata-invalid', file: 'x.json' }),
      );
    }
  });
});
