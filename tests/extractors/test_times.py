from __future__ import annotations

from datetime import date, datetime

import pytest

from varde.extractors import extract_when

WED = datetime.fromisoformat("2025-09-10T14:00:00+02:00")  # a Wednesday
SUN = datetime.fromisoformat("2025-09-14T11:00:00+02:00")
LATE = datetime.fromisoformat("2025-12-30T20:00:00+01:00")


@pytest.mark.parametrize(
    ("text", "language", "created", "due", "start_hour"),
    [
        ("Jobb i kveld på Furuset, 40k", "nb", WED, date(2025, 9, 10), 18),
        ("Skyte mot dør ikveld. snap på", "nb", WED, date(2025, 9, 10), 18),
        ("Bränna en bil ikväll, 20 ton", "sv", WED, date(2025, 9, 10), 18),
        ("Opgave i aften i Aarhus", "da", WED, date(2025, 9, 10), 18),
        ("Door job tonight, 4k EUR", "en", WED, date(2025, 9, 10), 18),
        ("Må skje i natt", "nb", WED, date(2025, 9, 10), 22),
        ("Det ska göras inatt", "sv", WED, date(2025, 9, 10), 22),
        ("i morgen tidlig ved sjutiden", "nb", WED, date(2025, 9, 11), 6),
        ("Imorgon kväll i Uppsala", "sv", WED, date(2025, 9, 11), 18),
        ("Det skal ske i morgen", "da", WED, date(2025, 9, 11), 0),
        ("needs doing tomorrow", "en", WED, date(2025, 9, 11), 0),
        ("I helga, 25k", "nb", WED, date(2025, 9, 13), 0),
        ("Klart i helgen", "sv", WED, date(2025, 9, 13), 0),
        ("i weekenden, 25k", "da", WED, date(2025, 9, 13), 0),
        ("this weekend in Malmö", "en", WED, date(2025, 9, 13), 0),
        ("i helgen", "sv", SUN, date(2025, 9, 14), 0),
        ("Ferdig innen fredag", "nb", WED, date(2025, 9, 12), 0),
        ("Innan söndag 💥", "sv", WED, date(2025, 9, 14), 0),
        ("Skal være gjort inden lørdag", "da", WED, date(2025, 9, 13), 0),
        ("done by Friday", "en", WED, date(2025, 9, 12), 0),
        ("senest torsdag", "nb", WED, date(2025, 9, 11), 0),
        ("Lørdag kveld. 40k", "nb", WED, date(2025, 9, 13), 18),
        ("Fredag natt, bil stiller vi med", "nb", WED, date(2025, 9, 12), 22),
        ("natt til lørdag", "nb", WED, date(2025, 9, 13), 0),
        ("fredag kl 22", "nb", WED, date(2025, 9, 12), 22),
        ("onsdag", "nb", WED, date(2025, 9, 10), 0),
        ("på mandag", "sv", WED, date(2025, 9, 15), 0),
        ("kl 22 ved kiosken", "nb", WED, date(2025, 9, 10), 22),
        ("klockan 23.30", "sv", WED, date(2025, 9, 10), 23),
        ("22:00 sharp", "en", WED, date(2025, 9, 10), 22),
        ("kl 09", "nb", WED, date(2025, 9, 11), 9),
        ("Innen 14.9", "nb", WED, date(2025, 9, 14), 0),
        ("før 14/9", "da", WED, date(2025, 9, 14), 0),
        ("den 20. september", "nb", WED, date(2025, 9, 20), 0),
        ("September 20th", "en", WED, date(2025, 9, 20), 0),
        ("innen 3.1", "nb", LATE, date(2026, 1, 3), 0),
        ("j o b b  i  k v e l d", "nb", WED, date(2025, 9, 10), 18),
        ("i kveld eller i morgen", "nb", WED, date(2025, 9, 10), 18),
        ("Sted: Haugesund. Tid: lørdag 23:00. Snap: x", "nb", WED, date(2025, 9, 13), 23),
        ("Need a guy tomorrow night", "en", WED, date(2025, 9, 11), 22),
        ("Jobb i Hässelby torsdag 2100. 40 ton.", "sv", WED, date(2025, 9, 11), 21),
        ("kl 2330 i kveld", "nb", WED, date(2025, 9, 10), 23),
        ("Job on the 3rd", "en", WED, date(2025, 10, 3), 0),
        ("innen den 20.", "nb", WED, date(2025, 9, 20), 0),
        ("Nyårsafton i Uppsala", "sv", WED, date(2025, 12, 31), 0),
        ("Jobb 31/12 kl 23.59", "sv", WED, date(2025, 12, 31), 23),
        ("Innen 5. jan.", "nb", LATE, date(2026, 1, 5), 0),
    ],
)
def test_when_resolves_to_the_due_day(text: str, language: str, created: datetime, due: date, start_hour: int) -> None:
    when = extract_when(text, created, language)
    assert when is not None
    assert when.start.date() == due
    assert when.start.hour == start_hour
    assert when.start.tzinfo is not None and when.end > when.start
    assert when.span is not None and text[when.span[0] : when.span[1]] == when.text


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ASAP. Betaler godt", "nb"),
        ("Vi trenger noen nå!", "nb"),
        ("Skriv nu, snabba cash", "sv"),
        ("snarest mulig", "nb"),
        ("Sometime next week", "en"),
        ("Denne uka en gang", "nb"),
        ("Han gikk i 9. kl i fjor", "nb"),
        ("Ring 412 34 567", "nb"),
        ("Pris 40k, ordre 2025-118", "nb"),
        ("Paying 2.5 million for the big one", "en"),
        ("Betaler 1.5 mill", "nb"),
        ("Tar oppdrag 24/7", "nb"),
        ("1/2 på forhånd, resten etterpå", "nb"),
        ("50/50 split", "en"),
        ("the 1st job is small", "en"),
        ("", "en"),
    ],
)
def test_no_day_or_time_gives_none(text: str, language: str) -> None:
    assert extract_when(text, WED, language) is None


def test_evening_runs_into_the_night() -> None:
    when = extract_when("ikväll", WED, "sv")
    assert when is not None
    assert when.start.isoformat() == "2025-09-10T18:00:00+02:00"
    assert when.end.isoformat() == "2025-09-11T06:00:00+02:00"


def test_local_time_of_a_utc_timestamp() -> None:
    created = datetime.fromisoformat("2025-09-10T23:30:00+00:00")  # 01:30 on the 11th in Oslo
    when = extract_when("i kveld", created, "nb")
    assert when is not None and when.start.date() == date(2025, 9, 11)


@pytest.mark.parametrize(
    ("text", "language", "due", "start_hour"),
    [
        ("Opgave i Esbjerg i eftermiddag", "da", date(2025, 9, 10), 12),
        ("Trenger folk i Hamar i ettermiddag", "nb", date(2025, 9, 10), 12),
        ("Må gjøres innen midnatt", "nb", date(2025, 9, 10), 0),
        ("Jobb i Uppsala om två dagar", "sv", date(2025, 9, 12), 0),
        ("Må gjøres innen 48 timer", "nb", date(2025, 9, 12), 0),
        ("Job in Aarhus in two days", "en", date(2025, 9, 12), 0),
        ("Jobbet skal ordnes om tre dage", "da", date(2025, 9, 13), 0),
        ("Need it done within 24 hours", "en", date(2025, 9, 11), 0),
        ("Treng hjelp på tysdag", "nn", date(2025, 9, 16), 0),
        ("Oppdrag lør kveld, 25 000", "nb", date(2025, 9, 13), 18),
        ("job sat night", "en", date(2025, 9, 13), 22),
        ("Skjut mot dörren i morgon bitti", "sv", date(2025, 9, 11), 6),
        ("Jobb mandag morgen", "nb", date(2025, 9, 15), 6),
        ("i kveld rundt 23-tiden", "nb", date(2025, 9, 10), 23),
        ("ikväll vid 22-tiden", "sv", date(2025, 9, 10), 22),
    ],
)
def test_day_parts_counts_and_short_weekdays(text: str, language: str, due: date, start_hour: int) -> None:
    when = extract_when(text, WED, language)
    assert when is not None, text
    assert (when.start.date(), when.start.hour) == (due, start_hour)


@pytest.mark.parametrize("text", ["Han var her for to dager siden", "fri frakt", "som man ser", "jobb om 5 min"])
def test_no_day_from_past_counts_or_plain_words(text: str) -> None:
    assert extract_when(text, WED, "nb") is None


@pytest.mark.parametrize(
    ("created", "text"),
    [
        ("9999-12-31T23:59:59-14:00", "i morgen kl 22"),  # the local time itself is past year 9999
        ("9999-12-31T12:00:00+00:00", "i morgen"),  # the day it names is past year 9999
        ("0001-01-01T00:00:00+14:00", "kl 22"),  # before year 1 in Oslo
    ],
)
def test_timestamp_at_the_edge_of_the_calendar_gives_none(created: str, text: str) -> None:
    assert extract_when(text, datetime.fromisoformat(created), "nb") is None


def test_the_posts_own_offset_sets_the_clock_it_means() -> None:
    # Posted at 20:00 local time in New York (-05:00): "i kveld kl 22" is 22:00 there, not in Oslo.
    when = extract_when("Jobb i kveld kl 22", datetime.fromisoformat("2025-01-10T20:00:00-05:00"), "nb")
    assert when is not None
    assert when.start == datetime.fromisoformat("2025-01-10T22:00:00-05:00")


@pytest.mark.parametrize("created", ["2025-01-10T19:00:00+00:00", "2025-01-10T20:00:00+01:00"])
def test_utc_and_home_zone_timestamps_keep_the_languages_zone(created: str) -> None:
    # Both are 20:00 in Oslo; a UTC stamp says nothing of where the poster is, +01:00 in January is Oslo's own.
    when = extract_when("Jobb i kveld kl 22", datetime.fromisoformat(created), "nb")
    assert when is not None
    assert when.start == datetime.fromisoformat("2025-01-10T22:00:00+01:00")
