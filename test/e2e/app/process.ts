import { spawn } from 'node:child_process';

/** `idse app` as a child process, resolved once it logs the address it listens on. */
export async function startApp(main: string, env: NodeJS.ProcessEnv, cwd = process.cwd()) {
  const child = spawn(process.execPath, [main, 'app'], {
    cwd,
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d;
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        const found = /listening on (http:\/\/[^/\s]+)/.exec(line);
        if (found) resolve(found[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`idse app exited ${code}: ${stderr}`)));
  });
  /** SIGTERM: the App stops taking requests, finishes what it started, and exits with this code. */
  const stop = () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    return exited;
  };
  return { child, url, lines, stop };
}
