import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { IdseError } from '../errors.ts';
import type { AppServerOptions } from './server.ts';

/** Probot's (and @octokit/webhooks') default, so an App registered for Probot works unchanged. */
export const DEFAULT_WEBHOOK_PATH = '/api/github/webhooks';

export interface AppEnvConfig {
  server: AppServerOptions;
  port: number;
  host?: string;
}

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

/**
 * The App's settings from the environment, named as Probot names them so an existing Probot
 * deployment's variables work unchanged. Every problem is reported at once, in one line.
 */
export function appConfigFromEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): AppEnvConfig {
  const missing = [
    ...(env.APP_ID ? [] : ['APP_ID']),
    ...(env.PRIVATE_KEY || env.PRIVATE_KEY_PATH ? [] : ['PRIVATE_KEY (or PRIVATE_KEY_PATH)']),
    ...(env.WEBHOOK_SECRET ? [] : ['WEBHOOK_SECRET']),
  ];
  if (missing.length) {
    throw new IdseError(
      'usage',
      `app needs ${missing.join(', ')} in the environment: the GitHub App's settings (see docs/app.md)`,
    );
  }
  const appId = Number(env.APP_ID);
  if (!Number.isInteger(appId) || appId <= 0)
    throw new IdseError('usage', `APP_ID must be a number, got '${env.APP_ID}'`);
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new IdseError('usage', `PORT must be a port number (0-65535), got '${env.PORT}'`);
  }
  const protocol = env.GHE_PROTOCOL || 'https';
  if (protocol !== 'https' && protocol !== 'http') {
    throw new IdseError('usage', `GHE_PROTOCOL must be https or http, got '${protocol}'`);
  }
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LEVELS.has(logLevel)) {
    throw new IdseError('usage', `LOG_LEVEL must be one of ${[...LEVELS].join(', ')}, got '${logLevel}'`);
  }
  return {
    port,
    ...(env.HOST ? { host: env.HOST } : {}),
    server: {
      appId,
      privateKey: privateKeyOf(env, cwd),
      webhookSecret: env.WEBHOOK_SECRET!,
      webhookPath: env.WEBHOOK_PATH || DEFAULT_WEBHOOK_PATH,
      logLevel,
      ...(env.GHE_HOST ? { baseUrl: `${protocol}://${env.GHE_HOST.replace(/\/+$/, '')}/api/v3` } : {}),
    },
  };
}

/**
 * PRIVATE_KEY holds the PEM itself (newlines may be written as `\n`, or the whole key base64'd, as
 * hosting dashboards often need); PRIVATE_KEY_PATH names the .pem file GitHub gave you.
 */
function privateKeyOf(env: NodeJS.ProcessEnv, cwd: string): string {
  if (env.PRIVATE_KEY) {
    const direct = env.PRIVATE_KEY.replace(/\\n/g, '\n');
    if (direct.includes('-----BEGIN')) return direct;
    const decoded = Buffer.from(env.PRIVATE_KEY, 'base64').toString('utf8');
    if (decoded.includes('-----BEGIN')) return decoded;
    throw new IdseError('usage', 'PRIVATE_KEY is not a PEM key (nor a base64-encoded one)');
  }
  const path = env.PRIVATE_KEY_PATH!;
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw new IdseError('config-unreadable', `cannot read PRIVATE_KEY_PATH: ${(error as Error).message}`, {
      file: path,
    });
  }
  if (!text.includes('-----BEGIN')) throw new IdseError('usage', `PRIVATE_KEY_PATH ${path} holds no PEM key`);
  return text;
}
