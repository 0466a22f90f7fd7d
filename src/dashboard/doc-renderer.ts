/**
 * Renders docs for the dashboard in one worker thread, one doc at a time, each within a time budget:
 * a doc that takes longer (or is larger than the size cap) is answered "too complex to show here"
 * and, when it was running, its worker is ended and replaced. The event loop never parses a client's
 * markdown.
 */
import { Worker } from 'node:worker_threads';
import { workerScript } from '../run/worker-script.ts';
import type { DocToRender } from './doc-html.ts';
import type { DocRenderAnswer } from './doc-worker.ts';

export interface DocRendererOptions {
  /** Per doc; default 2 s. */
  budgetMs?: number;
  /** Larger docs are not rendered; default 512 KiB of text. */
  maxBytes?: number;
}

export type Rendered = { html: string } | { skipped: string };

interface Task {
  doc: DocToRender;
  done: (result: Rendered) => void;
}

export class DocRenderer {
  private readonly budgetMs: number;
  private readonly maxBytes: number;
  private readonly url = workerScript('doc-worker', import.meta.url);
  private worker: Promise<Worker> | undefined;
  private readonly queue: Task[] = [];
  private running = false;
  private closed = false;

  constructor(options: DocRendererOptions = {}) {
    this.budgetMs = options.budgetMs ?? 2000;
    this.maxBytes = options.maxBytes ?? 512 * 1024;
  }

  render(doc: DocToRender): Promise<Rendered> {
    if (Buffer.byteLength(doc.text) > this.maxBytes) {
      return Promise.resolve({
        skipped: `larger than ${Math.round(this.maxBytes / 1024)} KiB: too large to show here`,
      });
    }
    if (this.closed || !this.url) return Promise.resolve({ skipped: 'docs cannot be shown by this server' });
    return new Promise((done) => {
      this.queue.push({ doc, done });
      this.next();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.done({ skipped: 'the server is stopping' });
    const worker = await this.worker?.catch(() => undefined);
    await worker?.terminate();
  }

  private next(): void {
    if (this.running) return;
    const task = this.queue.shift();
    if (!task) return;
    this.running = true;
    void this.spawn().then(
      (worker) => this.run(worker, task),
      () => this.finish(task, { skipped: 'could not be shown here' }),
    );
  }

  private finish(task: Task, result: Rendered): void {
    this.running = false;
    task.done(result);
    this.next();
  }

  /** One doc on a loaded worker, within the budget; a worker that overruns it (or fails) is ended. */
  private run(worker: Worker, task: Task): void {
    let settled = false;
    const settle = (result: Rendered, retire: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      if (retire) {
        this.worker = undefined;
        void worker.terminate();
      }
      this.finish(task, result);
    };
    const onMessage = (answer: DocRenderAnswer) => {
      if ('html' in answer) settle(answer, false);
      else if ('failed' in answer) settle({ skipped: `too complex to show here (${answer.failed})` }, false);
    };
    const onError = () => settle({ skipped: 'could not be shown here' }, true);
    const timer = setTimeout(
      () => settle({ skipped: `too complex to show here (took over ${this.budgetMs / 1000} s)` }, true),
      this.budgetMs,
    );
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage(task.doc);
  }

  /** The worker, started (and its modules loaded) if it is not running. */
  private spawn(): Promise<Worker> {
    if (this.worker) return this.worker;
    const worker = new Worker(this.url!);
    worker.unref();
    const ready = new Promise<Worker>((resolve, reject) => {
      const onReady = (answer: DocRenderAnswer) => {
        if (!('ready' in answer)) return;
        worker.off('message', onReady);
        resolve(worker);
      };
      worker.on('message', onReady);
      worker.once('error', reject);
      // A worker that ends (crashed, or ended for overrunning) is started afresh for the next doc.
      worker.once('exit', (code) => {
        reject(new Error(`doc worker exited with ${code}`));
        if (this.worker === ready) this.worker = undefined;
      });
    });
    this.worker = ready;
    return ready;
  }
}
