/**
 * How a webhook that fails is answered. @octokit/webhooks answers a handler's error with its
 * `status` and `name: message`, so an unchecked TypeError from a malformed payload went back to the
 * sender as a 500 carrying the App's own exception text. Here a payload without the fields its event
 * always has is a 400 naming the event, and any other failure a 500 that says only where to look.
 */
import type { Logger } from 'probot';
import { z } from 'zod';
import type { Planned } from './events.ts';

export class MalformedWebhook extends Error {
  readonly status = 400;
  constructor(event: string) {
    super(`the ${event} payload lacks fields GitHub always sends; nothing was done`);
    this.name = 'MalformedWebhook';
  }
}

export class WebhookFailed extends Error {
  readonly status = 500;
  constructor() {
    super('the webhook could not be handled; see the App log');
    this.name = 'WebhookFailed';
  }
}

/** What a job must carry for the queue and the validation to act on it. */
const JobCore = z.object({
  installationId: z.number().int().positive(),
  repositoryId: z.number().int().positive(),
  owner: z.string().min(1),
  repo: z.string().min(1),
  headSha: z.string().regex(/^[0-9a-f]{40}$|^[0-9a-f]{64}$/),
});

/** The job planned from a payload, or MalformedWebhook when the payload is not what `event` sends. */
export function plannedFrom(event: string, plan: () => Planned): Planned {
  let planned: Planned;
  try {
    planned = plan();
  } catch (error) {
    if (error instanceof TypeError) throw new MalformedWebhook(event);
    throw error;
  }
  if ('job' in planned && !JobCore.safeParse(planned.job).success) throw new MalformedWebhook(event);
  return planned;
}

/** A handler whose failures answer as above; what went wrong is logged, not sent. */
export function guarded<C extends { name: string; id: string }>(
  log: () => Logger | undefined,
  handler: (context: C) => Promise<void>,
): (context: C) => Promise<void> {
  return async (context) => {
    try {
      await handler(context);
    } catch (error) {
      if (error instanceof MalformedWebhook) {
        log()?.warn(`idse: ${context.name} ${context.id} refused: ${error.message}`);
        throw error;
      }
      if (error instanceof TypeError) {
        log()?.warn({ err: error }, `idse: ${context.name} ${context.id} has a malformed payload`);
        throw new MalformedWebhook(context.name);
      }
      log()?.error({ err: error }, `idse: ${context.name} ${context.id} failed`);
      throw new WebhookFailed();
    }
  };
}
