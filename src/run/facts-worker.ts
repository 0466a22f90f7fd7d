// Worker thread: extracts facts for batches of docs. Parsing markdown is the one CPU-heavy step of a
// run, and docs are independent, so a pool of these spreads a cold run over every core. It reports
// each doc as it starts and ends, so the pool knows which doc to blame when the time budget runs out.
import { parentPort } from 'node:worker_threads';
import { computeFacts, type DocInput, type FactsSettings } from '../model/build.ts';
import type { FileProblem } from '../model/model.ts';
import type { DocFacts } from '../pipeline/facts.ts';

export interface FactsJob {
  settings: FactsSettings;
  docs: DocInput[];
}

export type FactsMessage =
  | { type: 'start'; index: number }
  | { type: 'done'; index: number; result: DocFacts | FileProblem }
  | { type: 'failed'; index: number; message: string };

parentPort?.on('message', (job: FactsJob) => {
  const post = (message: FactsMessage) => parentPort?.postMessage(message);
  for (const [index, doc] of job.docs.entries()) {
    post({ type: 'start', index });
    try {
      post({ type: 'done', index, result: computeFacts(doc, job.settings) });
    } catch (error) {
      post({ type: 'failed', index, message: error instanceof Error ? error.message : String(error) });
      return;
    }
  }
});
