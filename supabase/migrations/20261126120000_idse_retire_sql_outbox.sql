-- The SQL outbox is retired. Webhook work now runs as pg-boss jobs in this same database (schema
-- pgboss, created by pg-boss itself), and mirror writes that fail because the database is unreachable
-- wait in an outbox on the App's disk: a queue inside the database can't hold what couldn't reach it.
drop function if exists idse.enqueue_outbox(jsonb);
drop function if exists idse.claim_outbox(text, integer, integer);
drop function if exists idse.complete_outbox(bigint, text);
drop function if exists idse.fail_outbox(bigint, text, text, integer);
drop table if exists idse.outbox;
