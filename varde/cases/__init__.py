"""Cases: the lifecycle of CONTRACT §3, the audit chain, users and access, evidence export, retention.

`varde.cases.service.CaseService` is the one entry point for the CLI, the API and the pages; it enforces who may
do what (see `varde.cases.access`). Importing this package imports nothing heavy, so the store can call
`varde.cases.intake.open_cases` without a cycle."""
