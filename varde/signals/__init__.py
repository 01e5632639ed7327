"""Signal banks: hashes of confirmed orders that platforms and partners can match without seeing the case.

    text.py      normalisation, MD5 and TLSH of texts, and the length/entropy rule for what may be shared
    index.py     in-memory indexes for millions of signals (exact MD5; multi-index for PDQ and TLSH)
    formats.py   `Signal` and the two file formats: Varde's JSON lines and threatexchange's signal file
    matcher.py   `BankMatcher`: records against all banks → `bank_match` cues (negative banks suppress)
    service.py   the edge: banks in the database, collect from confirmed cases, export/import (audited),
                 the platform feed, and matching at ingest with flood protection

What is shared and why it is safe: docs/signals.md."""
