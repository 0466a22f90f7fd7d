// Worker thread: extracts facts for batches of docs. Parsing markdown is the one CPU-heavy step of a
// run, and docs are independent, so a pool of these spreads a cold run over every core.
import { serialize } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { extractWithin, screenDoc } from '../model/build.ts';
import type { DocInput, FactsSettings } from '../model/facts-key.ts';
import type { FileProblem } from '../model/model.ts';

export interface FactsJob {
  settings: FactsSettings;
  docs: DocInput[];
}

/**
 * A doc's facts travel v8-serialised, their buffer transferred, not cloned: the calling thread holds
 * a few KB of bytes per doc until the engine reads them (instead of a graph of objects from the
 * first doc on), and a disk cache stores those bytes as they are.
 */
export type FactsResult = [index: number, facts: Uint8Array | FileProblem];

/**
 * Docs the limits scan finds small parse in milliseconds (see isSmall) and are answered together;
 * a larger doc is announced as it starts, so the pool can hold it to the time budget and blame it
 * when the budget runs out. A message per doc cost a twentieth of a worker's time.
 */
export type FactsMessage =
  | { type: 'start'; index: number }
  | { type: 'done'; results: FactsResult[] }
  | { type: 'failed'; index: number; message: string };

parentPort?.on('message', (job: FactsJob) => {
  let results: FactsResult[] = [];
  let buffers: ArrayBuffer[] = [];
  const post = (message: FactsMessage, transfer: ArrayBuffer[] = []) =>
    parentPort?.postMessage(message, transfer);
  const flush = () => {
    if (results.length === 0) return;
    post({ type: 'done', results }, buffers);
    results = [];
    buffers = [];
  };
  for (const [index, doc] of job.docs.entries()) {
    try {
      const screened = screenDoc(doc, job.settings);
      if (!('text' in screened)) {
        results.push([index, screened]);
        continue;
      }
      if (!screened.small) {
        flush();
        post({ type: 'start', index });
      }
      const facts = extractWithin(doc, screened.text, job.settings);
      if ('problem' in facts) results.push([index, facts]);
      else {
        const bytes = serialize(facts);
        // v8.serialize hands over a buffer of its own; were it a slice of a shared one, it is copied.
        const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
        const encoded = own ? bytes : Uint8Array.prototype.slice.call(bytes);
        results.push([index, encoded]);
        buffers.push(encoded.buffer as ArrayBuffer);
      }
      if (!screened.small) flush();
    } catch (error) {
      flush();
      post({ type: 'failed', index, message: error instanceof Error ? error.message : String(error) });
      return;
    }
  }
  flush();
});
