// Worker thread: extracts facts for batches of docs. Parsing markdown is the one CPU-heavy step of a
// run, and docs are independent, so a pool of these spreads a cold run over every core.
import { parentPort } from 'node:worker_threads';
import type { ExtractOptions } from '../pipeline/extract.ts';
import { computeFacts, type DocInput } from './build.ts';

export interface FactsJob {
  options: ExtractOptions;
  maxBytes: number;
  docs: DocInput[];
}

parentPort?.on('message', (job: FactsJob) => {
  parentPort?.postMessage(job.docs.map((doc) => [doc.key, computeFacts(doc, job.options, job.maxBytes)]));
});
