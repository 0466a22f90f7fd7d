import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Claim, type Evidence, parseSource } from '../../../src/blueprint/claims.ts';
import { blueprintOf } from '../../../src/blueprint/workspace.ts';
import { IdseError } from '../../../src/errors.ts';
import type { LoadedWorkspace } from '../../../src/run/load.ts';
import { writeFilesAtomically } from '../../../src/scaffold/write.ts';
import { ProjectCommand } from '../../project.ts';

/** What every blueprint command shares: the project, its blueprint, reading docs and writing the file. */
export abstract class BlueprintCommand extends ProjectCommand {
  protected async load() {
    const { loaded, project } = await this.loadProject();
    return { loaded, project, blueprint: blueprintOf(project) };
  }

  protected readText(loaded: LoadedWorkspace): (path: string) => string | undefined {
    return (path) => {
      const abs = join(loaded.root, path);
      return existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
    };
  }

  protected today(): string {
    return this.context.now().toISOString().slice(0, 10);
  }

  protected sources(refs: readonly string[]): Evidence[] {
    return refs.map((ref) => {
      const source = parseSource(ref);
      if ('problem' in source) throw new IdseError('usage', `--source ${source.problem}`);
      return source;
    });
  }

  /** The claim `--claim-id` names, or a usage error listing the ids there are. */
  protected claimOf(claims: readonly Claim[], id: string): Claim {
    const claim = claims.find((c) => String(c.id) === id.replace(/^#/, ''));
    if (!claim)
      throw new IdseError(
        'usage',
        `no claim #${id} (claims: ${claims.map((c) => `#${c.id}`).join(', ') || 'none'})`,
      );
    return claim;
  }

  protected write(loaded: LoadedWorkspace, file: string, text: string): void {
    writeFilesAtomically(loaded.root, new Map([[file, text]]), { force: true });
  }
}
