import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isLocalToken,
  localUrl,
  newLocalToken,
  publishEndpoint,
  runningApp,
} from '../../../src/admin/endpoint.ts';
import { tempDir } from '../../helpers/cli.ts';

/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('the App endpoint in the data dir', () => {
  it('is readable by its owner only, found while its process lives, and removed by it', () => {
    const dir = tempDir();
    // This process published it, so a child process plays the admin command that reads it.
    const remove = publishEndpoint(dir, {
      pid: process.pid,
      url: 'http://127.0.0.1:4000',
      token: newLocalToken(),
    });
    const file = join(dir, 'idse-app.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(runningApp(dir)).toBeUndefined(); // a process never goes through itself
    const other = { ...JSON.parse(readFileSync(file, 'utf8')), pid: process.ppid };
    writeFileSync(file, JSON.stringify(other));
    expect(runningApp(dir)).toEqual(other);
    writeFileSync(file, JSON.stringify({ ...other, pid: deadPid() }));
    expect(runningApp(dir)).toBeUndefined();
    writeFileSync(file, JSON.stringify({ ...other, pid: process.pid }));
    remove();
    expect(() => statSync(file)).toThrow();
  });

  it('names a reachable address when the App listens on every interface', () => {
    expect(localUrl({ address: '::', family: 'IPv6', port: 3000 })).toBe('http://127.0.0.1:3000');
    expect(localUrl({ address: '0.0.0.0', family: 'IPv4', port: 3000 })).toBe('http://127.0.0.1:3000');
    expect(localUrl({ address: '::1', family: 'IPv6', port: 80 })).toBe('http://[::1]:80');
    expect(localUrl({ address: '10.1.2.3', family: 'IPv4', port: 8080 })).toBe('http://10.1.2.3:8080');
  });

  it('compares the local secret exactly', () => {
    const token = newLocalToken();
    expect(isLocalToken(token, token)).toBe(true);
    expect(isLocalToken(`${token.slice(0, -1)}x`, token)).toBe(false);
    expect(isLocalToken(token.slice(1), token)).toBe(false);
  });
});
