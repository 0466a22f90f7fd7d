/**
 * Where a workspace's config may live, in the order they are looked for. Apart from the schema so
 * that modules that only need to recognise a config file (the layout, and through it every facts
 * worker) do not load zod.
 */
export const CONFIG_FILES = ['.github/idse.yml', '.idse/config.yml', 'idse.config.yml'] as const;
