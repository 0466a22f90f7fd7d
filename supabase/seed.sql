-- Demo data for a local Supabase (`supabase db reset` runs this after the migrations): one client with
-- one repository, a session validated at two commits (the first failing, the second passing). Goes
-- through the same write functions the App uses, so the seed can't drift from their rules.

select idse.upsert_installation($json${
  "delivery_id": "seed-installation",
  "action": "created",
  "installation_id": 1,
  "account": {"id": 1001, "login": "demo-agency-client", "type": "Organization"},
  "repositories_added": [{"id": 2001, "full_name": "demo-agency-client/product-docs", "default_branch": "main"}]
}$json$::jsonb);

select idse.record_validation($json${
  "delivery_id": "seed-validation-1",
  "installation_id": 1,
  "repository": {"id": 2001, "full_name": "demo-agency-client/product-docs", "default_branch": "main"},
  "ref": "refs/heads/main",
  "commit_sha": "1111111111111111111111111111111111111111",
  "committed_at": "2026-01-05T09:00:00Z",
  "artifacts": [
    {"path": "projects/demo/sessions/kickoff/intents/intent.md", "kind": "intent",
     "blob_sha": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "project": "demo", "session": "kickoff",
     "summary": {"markers": 1},
     "diagnostics": [{"code": "IDSE010", "rule": "unresolved-input", "severity": "error",
                      "message": "[REQUIRES INPUT] left in the intent",
                      "file": "projects/demo/sessions/kickoff/intents/intent.md"}]}
  ],
  "sessions": [{"project": "demo", "session": "kickoff", "stage": "intent", "status": "draft",
                "errors": 1, "warnings": 0}]
}$json$::jsonb);

select idse.record_validation($json${
  "delivery_id": "seed-validation-2",
  "installation_id": 1,
  "repository": {"id": 2001, "full_name": "demo-agency-client/product-docs", "default_branch": "main"},
  "ref": "refs/heads/main",
  "commit_sha": "2222222222222222222222222222222222222222",
  "committed_at": "2026-01-06T09:00:00Z",
  "artifacts": [
    {"path": "projects/demo/sessions/kickoff/intents/intent.md", "kind": "intent",
     "blob_sha": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "project": "demo", "session": "kickoff",
     "summary": {"markers": 0}, "diagnostics": []}
  ],
  "sessions": [{"project": "demo", "session": "kickoff", "stage": "intent", "status": "in_progress",
                "errors": 0, "warnings": 0,
                "coverage": {"requirements": 0, "withTasks": 0, "withTests": 0, "tasks": 0, "tasksDone": 0}}]
}$json$::jsonb);
