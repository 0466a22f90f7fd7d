// Worker thread: extracts facts for batches of docs. Parsing markdown is the one CPU-heavy step of a
// run, and docs are independent, so a pool of these spreads a cold run over every core. It reports
// each doc as it starts and ends, so the pool knows which doc to blame when the time budget runs out.
import { serialize } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { computeFacts, type DocInput, type FactsSettings, isProblem } from '../model/build.ts';
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
export type FactsMessage =
  | { type: 'start'; index: number }
  | { type: 'done'; index: number; result: Uint8Array | FileProblem }
  | { type: 'failed'; index: number; message: string };

parentPort?.on('message', (job: FactsJob) => {
  for (const [index, doc] of job.docs.entries()) {
    parentPort?.postMessage({ type: 'start', index } satisfies FactsMessage);
    try {
      const facts = computeFacts(doc, job.settings);
      if (isProblem(facts)) {
        parentPort?.postMessage({ type: 'done', index, result: facts } satisfies FactsMessage);
        continue;
      }
      const bytes = serialize(facts);
      // v8.serialize hands over a buffer of its own; were it a slice of a shared one, it is copied.
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      const result = own ? bytes : Uint8Array.prototype.slice.call(bytes);
      parentPort?.postMessage({ type: 'done', index, result } satisfies FactsMessage, [result.buffer]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      parentPort?.postMessage({ type: 'failed', index, message } satisfies FactsMessage);
      return;
    }
  }
});
