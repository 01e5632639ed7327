"""Cases: the lifecycle of CONTRACT §3, the audit chain, users and access, evidence export, retention.

`varde.cases.service.CaseService` is the one entry point for the CLI, the API and the pages; it enforces who may
do what (see `varde.cases.access`). Records come in through `varde.cases.ingest`, which
saves them and opens their cases; the store knows nothing of cases."""
