/**
 * A replica that takes one job and hangs in it, for a test to kill: `node hung-worker.ts <postgres url>
 * <job json>`. Prints `running <key>` once the job is running.
 */
import { DurableJobQueue } from '../../src/app/queue/durable-queue.ts';

const [url, job] = process.argv.slice(2);
const queue = new DurableJobQueue(
  { kind: 'postgres', connectionString: url! },
  { pollSeconds: 0.5, retryDelaySeconds: 1, heartbeatSeconds: 10, superviseSeconds: 1 },
);
await queue.start(async (j) => {
  process.stdout.write(`running ${j.key}\n`);
  await new Promise(() => {});
});
await queue.add(JSON.parse(job!));
