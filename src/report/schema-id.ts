/** The `schema` every report carries. Apart from the schema, so a run the memo answers loads no zod. */
export const REPORT_SCHEMA_ID = 'idse.report/v1';
