// Worker thread: renders pipeline docs to HTML for the dashboard, off the App's event loop (a doc
// comes from a client; a pathological one must not stall the server: the renderer ends this thread
// when a doc takes too long).
import { parentPort } from 'node:worker_threads';
import { type DocToRender, renderDocHtml } from './doc-html.ts';

export type DocRenderAnswer = { html: string } | { failed: string } | { ready: true };

parentPort?.on('message', (doc: DocToRender) => {
  let answer: DocRenderAnswer;
  try {
    answer = { html: renderDocHtml(doc) };
  } catch (error) {
    // e.g. nesting deeper than the stack: the doc is shown as not renderable, the worker lives on.
    answer = { failed: error instanceof Error ? error.name : 'error' };
  }
  parentPort?.postMessage(answer);
});

// Loaded: the renderer's time budget starts with the first doc, not with loading the parser.
parentPort?.postMessage({ ready: true });
