/**
 * `recommended`: high precision, an error is something to fix today and upstream practice that is
 * legitimate stays quiet or informational. `strict`: full traceability and template shape as errors.
 * Apart from the schema, so a command line names them without loading zod.
 */
export const PROFILES = ['recommended', 'strict'] as const;
