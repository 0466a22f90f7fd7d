import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // clipanion's ESM build imports a folder (`./platform`), which Node's ESM loader refuses;
    // letting Vite resolve it works the same way the bundler does for dist/.
    server: { deps: { inline: ['clipanion'] } },
  },
});
