#!/usr/bin/env node
// Kept tiny: `idse --version` answers before any of the engine is loaded.
import module from 'node:module';
import v8 from 'node:v8';
import { VERSION } from '../src/version.ts';

// Node keeps compiled code of the bundle on disk between runs (in its cache dir): start-up skips it.
module.enableCompileCache?.();

// A reader that stops early (`idse query … | head`) closes the pipe: the output is no longer wanted,
// which is no failure of ours. Anything else on stdout is left to fail loudly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

const argv = process.argv.slice(2);
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`idse: needs Node.js 22 or newer (this is ${process.version}) [usage]\n`);
  process.exitCode = 2;
} else if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  // A run's main thread keeps most of what it allocates (every doc's facts, then the model and the
  // report): a young generation grown to V8's default size only copies them once more on their way to
  // old space, and its semi-spaces and the old space sized after them held ~80 MB of RSS at 9,000 docs
  // (of ~440 MB). It stays at its initial size unless this thread parses; the facts workers, whose
  // parse garbage must die young, start with theirs at full size (FactsPool).
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  process.exitCode = await (await import('./app.ts')).main(argv);
}
