// The floor for `idse validate`: walk a tree and read every file, nothing else. Plain JS (not .ts)
// so the floor doesn't pay for type stripping, which dist/cli.js doesn't either.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let files = 0;
let bytes = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.isFile()) {
      files++;
      bytes += readFileSync(path).length;
    }
  }
};
walk(process.argv[2] ?? '.');
console.log(JSON.stringify({ files, bytes }));
