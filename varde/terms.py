"""Display names of vocabulary values (case statuses, violence types, roles, network kinds and routes) for the
pages, translated through the same catalogs as the templates: `{{ c.status | term }}` shows "avdekket" in bokmål.

The values themselves stay English everywhere else (URLs, forms, JSON, the database, CSV); only what a person
reads is translated. A value without an entry here is shown as it is. `tests/test_terms.py` checks that every
entry has a translation in each catalog."""

from __future__ import annotations

# value → English display text (the msgid). Grouped by vocabulary; a value shared by two vocabularies means the same.
TERMS: dict[str, str] = {
    # case statuses (varde.cases.lifecycle.STATES)
    "detected": "detected",
    "uncovered": "uncovered",
    "prevented": "prevented",
    "executed": "executed",
    "dismissed": "dismissed",
    "merged": "merged",
    "open": "open",
    "all": "all",
    # violence types (varde/vocab.yaml)
    "arson": "arson",
    "assault": "assault",
    "explosion": "explosion",
    "kidnapping": "kidnapping",
    "murder": "murder",
    "robbery": "robbery",
    "shooting": "shooting",
    "stabbing": "stabbing",
    "threat": "threat",
    "vandalism": "vandalism",
    "unstated": "unstated",
    # user roles (varde.cases.access)
    "analyst": "analyst",
    "investigator": "investigator",
    "supervisor": "supervisor",
    "auditor": "auditor",
    "admin": "administrator",
    # post sources
    "tip": "tip",
    "monitoring": "monitoring",
    # network entity kinds (varde.network.graph)
    "account": "account",
    "phone": "phone",
    "email": "e-mail",
    "wallet": "wallet",
    "url": "web address",
    "channel": "channel",
    "order": "order",
    "case": "case",
    "network": "network",
    "person": "person",
    # network edge types
    "posted": "posted",
    "contact_in_ad": "contact in ad",
    "posted_in": "posted in",
    "forwarded_from": "forwarded from",
    "replied_to": "replied to",
    "member_of": "member of",
    "same_as": "same as",
    # backman roles (varde.network.ranking)
    "client": "client",
    "recruiter": "recruiter",
    "client and recruiter": "client and recruiter",
    # legal routes (varde.network.cooperation.ROUTES)
    "domestic": "domestic",
    "nordic_arrest_warrant": "Nordic arrest warrant",
    "eu_surrender_agreement": "EU surrender agreement",
    "extradition_convention": "European Convention on Extradition",
    "bilateral_treaty": "bilateral treaty",
    "none_known": "none known",
    "unknown": "unknown",
    # cue kinds (the detector's evidence: varde.detect, varde.extractors)
    "lexicon": "lexicon",
    "recruitment": "recruitment",
    "payment": "payment",
    "place": "place",
    "contact": "contact",
    "minor": "minor",
    "negative": "counter-indication",
    "violence": "violence",
    "emoji": "emoji",
    "target": "target",
    "when": "time",
    "time": "time",
    "quoted_order": "quoted order",
    # case history events (varde.cases.service)
    "created": "created",
    "status": "status changed",
    "assign": "assigned",
    "district": "district changed",
    "priority": "priority changed",
    "note": "note",
    "merge": "merged into another case",
    # why a route is unknown, and what would settle it (varde.network.ranking.UNRESOLVED)
    "no_country": "No country: no analyst has recorded one, no attributed network has one, and none of its "
    "identities is a phone number.",
    "no_country.fix": "Link one of its accounts to a phone number it uses (varde network link A B --same), or "
    "attribute it to a network whose country is known.",
    "country_not_in_table": "The country has no entry in the cooperation table.",
    "country_not_in_table.fix": "Add the country, its route and a source to the cooperation table "
    "(varde/network/data/cooperation.yaml).",
}


def display(value: object, translate: object) -> str:
    """`value`'s display text through `translate` (a gettext function), or the value itself when it has none."""
    text = str(value)
    msgid = TERMS.get(text)
    if msgid is None or not callable(translate):
        return text
    return str(translate(msgid))
