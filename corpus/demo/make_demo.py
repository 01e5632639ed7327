#!/usr/bin/env python3
# ruff: noqa: E501
"""Build Varde's demo corpus from the hand-written texts in `demo_texts.py`.

Run from anywhere: `python3 corpus/demo/make_demo.py`. It is deterministic (seed 2025) and rewrites, next to itself:
posts.jsonl, labels.jsonl, posts.csv, labels_csv.jsonl, telegram/result.json, telegram/labels.jsonl,
telegram-account/result.json, telegram-account/labels.jsonl and media/*.png, then checks every label
(vocabularies, place tables, contacts present in the text, one place per order group) and prints the composition.

Every text, handle, phone number, wallet and name is invented. Only the script picks dates, channels, authors and
sources; the wording and the labels are written by hand in demo_texts.py.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import json
import random
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

import demo_texts as T

HERE = Path(__file__).resolve().parent
TZ = ZoneInfo("Europe/Oslo")  # NO, SE and DK share CET/CEST
SEED = 2025
FIRST_DAY = dt.date(2025, 4, 1)
LAST_DAY = dt.date(2026, 9, 30)
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}

PLATFORMS = {"telegram", "signal", "snapchat", "tiktok", "instagram", "x", "discord", "facebook", "forum", "tip", "other"}
SOURCES = ("monitoring", "tip", "platform_report", "partner")
VIOLENCE = {"murder", "shooting", "explosion", "arson", "stabbing", "assault", "kidnapping", "threat", "robbery", "vandalism"}
POS_BUCKETS = {"concrete_order", "teaser", "recruitment", "price_menu", "bounty_list", "self_ad", "threat_for_hire", "obfuscated"}
NEG_BUCKETS = {"news", "warning", "gig", "job", "lyrics", "gaming", "banter", "personal_threat", "drugs", "sale",
               "fiction", "hoax", "adjacent", "reply"}
LANGS = {"nb", "nn", "sv", "da", "en"}
CURRENCY_OF_LANG = {"nb": "NOK", "nn": "NOK", "sv": "SEK", "da": "DKK"}
COUNTRY_CURRENCY = {"NO": "NOK", "SE": "SEK", "DK": "DKK"}  # English posts: the currency of the place
CONTACT_FORMS = {
    "telegram": r"@[a-z0-9_]{3,32}", "snapchat": r"@[a-z0-9._-]{3,32}", "instagram": r"@[a-z0-9._]{1,30}",
    "signal": r"@[a-z0-9._]{3,40}", "wickr": r"@[a-z0-9._-]{3,32}", "threema": r"[A-Z0-9]{8}",
    "session": r"05[0-9a-f]{64}", "phone": r"\+[1-9]\d{6,14}", "email": r"[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}",
    "btc": r"(bc1[02-9ac-hj-np-z]{25,62}|[13][1-9A-HJ-NP-Za-km-z]{25,34})", "eth": r"0x[0-9a-f]{40}",
    "xmr": r"[48][1-9A-HJ-NP-Za-km-z]{94}", "url": r"https://\S+", "other": r".+",
}
NO_DISTRICTS = {"Oslo", "Øst", "Innlandet", "Sør-Øst", "Agder", "Sør-Vest", "Vest", "Møre og Romsdal", "Trøndelag",
                "Nordland", "Troms", "Finnmark"}
SE_REGIONS = {"Nord", "Mitt", "Stockholm", "Öst", "Väst", "Syd", "Bergslagen"}
DK_DISTRICTS = {"Nordjyllands Politi", "Østjyllands Politi", "Midt- og Vestjyllands Politi", "Sydøstjyllands Politi",
                "Syd- og Sønderjyllands Politi", "Fyns Politi", "Sydsjællands og Lolland-Falsters Politi",
                "Midt- og Vestsjællands Politi", "Nordsjællands Politi", "Københavns Vestegns Politi",
                "Københavns Politi", "Bornholms Politi"}

LABEL_KEYS = ("is_order", "bucket", "violence_types", "order_group", "country", "district", "municipality",
              "payment_amount", "payment_currency", "when_date", "contacts", "minor", "language")


# ---------------------------------------------------------------- invented wallets (seeded, well-formed)

def _wallets(rng: random.Random) -> dict[str, str]:
    bech = "023456789acdefghjklmnpqrstuvwxyz"
    b58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    return {
        "BTC1": "bc1q" + "".join(rng.choice(bech) for _ in range(38)),
        "BTC2": "bc1q" + "".join(rng.choice(bech) for _ in range(38)),
        "ETH1": "0x" + "".join(rng.choice("0123456789abcdef") for _ in range(40)),
        "XMR1": "4" + rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ123456789") + "".join(rng.choice(b58) for _ in range(93)),
        "SESSION1": "05" + "".join(rng.choice("0123456789abcdef") for _ in range(64)),
    }


BASE_DAYS: dict[str, dt.date] = {}  # first posting day of each order group in posts.jsonl


def fill(text: str, wallets: dict[str, str]) -> str:
    for key, value in wallets.items():
        text = text.replace("{" + key + "}", value)
    return text


# ---------------------------------------------------------------- labels

def flat(text: str) -> str:
    """Lower-case, NFKC-folded text without spaces or invisible characters (contact presence check)."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def contact_in_text(kind: str, value: str, text: str) -> bool:
    if kind == "phone":
        return value[-8:] in re.sub(r"\D", "", text)
    return value.lstrip("@").lower().replace("https://", "") in flat(text)


def when_date(spec: str | None, created: dt.datetime) -> str | None:
    if spec is None:
        return None
    day = created.date()
    if spec == "today":
        return day.isoformat()
    if spec == "tomorrow":
        return (day + dt.timedelta(days=1)).isoformat()
    if spec == "weekend":
        return (day + dt.timedelta(days=(5 - day.weekday()) % 7)).isoformat()
    target = WEEKDAYS[spec]
    ahead = (target - day.weekday()) % 7 or 7
    return (day + dt.timedelta(days=ahead)).isoformat()


def negative_label(bucket: str, lang: str) -> dict[str, Any]:
    return {"is_order": False, "bucket": bucket, "violence_types": [], "order_group": None, "country": None,
            "district": None, "municipality": None, "payment_amount": None, "payment_currency": None,
            "when_date": None, "contacts": [], "minor": False, "language": lang}


def order_label(spec: dict[str, Any], text: str, created: dt.datetime) -> dict[str, Any]:
    """The gold label of one order post: the group's fields, with the variant's overrides already merged in."""
    country, district, municipality = T.PLACES[spec["place"]] if spec.get("place") else (None, None, None)
    pay = spec.get("pay")
    amount, currency = (None, None)
    if pay is not None:
        amount = pay[0]
        currency = pay[1] if len(pay) > 1 else CURRENCY_OF_LANG.get(spec["lang"]) or COUNTRY_CURRENCY[country or ""]
    contacts = [{"kind": k, "value": v} for k, v in spec.get("contacts", []) if contact_in_text(k, v, text)]
    return {"is_order": True, "bucket": spec["bucket"], "violence_types": list(spec.get("vt", [])),
            "order_group": spec["g"], "country": country, "district": district, "municipality": municipality,
            "payment_amount": amount, "payment_currency": currency, "when_date": when_date(spec.get("when"), created),
            "contacts": contacts, "minor": bool(spec.get("minor", False)), "language": spec["lang"]}


# ---------------------------------------------------------------- times, channels, authors

def local(day: dt.date, hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=TZ)


def random_day(rng: random.Random) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days - 3))


def ambiguous(when: str | None, day: dt.date) -> bool:
    """Time words that read differently depending on the posting day ("innen fredag" posted on a Friday)."""
    if when in ("weekend", "sat", "sun"):
        return day.weekday() > 3
    if when in WEEKDAYS:
        return day.weekday() >= WEEKDAYS[when]
    return False


def group_base_day(rng: random.Random, when: str | None) -> dt.date:
    """A first-posting day that leaves the group's time words unambiguous for all its re-posts (≤ 1 day later)."""
    while True:
        day = random_day(rng)
        wd = day.weekday()
        if when in ("weekend", "sat", "sun") and wd > 2:
            continue
        if when in WEEKDAYS and when not in ("sat", "sun") and wd > WEEKDAYS[when] - 3:
            continue
        return day


def slug(name: str) -> str:
    s = unicodedata.normalize("NFKD", name.lower())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("ø", "o").replace("æ", "ae").replace("å", "a")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "chat"


class Namer:
    """Stable invented author ids."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ids: dict[str, str] = {}

    def author_id(self, handle: str) -> str:
        if handle not in self.ids:
            self.ids[handle] = f"u{self.rng.randrange(10**8, 10**10)}"
        return self.ids[handle]


def pick_channel(rng: random.Random, platform: str, lang: str, positive: bool) -> str | None:
    pool = T.CHANNELS.get((platform, lang)) or T.CHANNELS.get((platform, "*"))
    if not pool:
        return None
    if positive and (platform, lang, "pos") in T.CHANNELS:
        pool = T.CHANNELS[(platform, lang, "pos")]
    return rng.choice(pool)


# ---------------------------------------------------------------- posts.jsonl

def build_posts(rng: random.Random, namer: Namer, wallets: dict[str, str]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(post, label) pairs, in no particular order; ids are assigned later."""
    out: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for group in T.ORDERS:
        base = group_base_day(rng, group.get("when"))
        main_author = rng.choice(T.ORDER_AUTHORS[group["lang"]])
        main_platform = group.get("platform", rng.choice(T.ORDER_PLATFORMS))
        main_channel = pick_channel(rng, main_platform, group["lang"], True)
        sources = list(SOURCES)
        rng.shuffle(sources)
        BASE_DAYS[group["g"]] = base
        created = local(base, rng.randrange(8, 19), rng.randrange(60), rng.randrange(60))
        for i, variant in enumerate(group["texts"]):
            text, over = (variant, {}) if isinstance(variant, str) else variant
            spec = {**group, **over}
            text = fill(text, wallets)
            if i > 0:  # re-posts follow the first post within about a day
                created = created + dt.timedelta(minutes=rng.randrange(10, 1440 // len(group["texts"])))
                if spec.get("when") in ("today", "tomorrow") and not 8 <= created.hour < 21:
                    # "i kveld" is posted in the daytime; a re-post after 21:00 waits for the next morning
                    morning = created.date() + dt.timedelta(days=1 if created.hour >= 21 else 0)
                    created = local(morning, rng.randrange(8, 11), rng.randrange(60), rng.randrange(60))
            platform = spec.get("platform", main_platform if i == 0 or rng.random() < 0.5 else rng.choice(T.ORDER_PLATFORMS))
            if "channel" in over:
                channel = over["channel"]
            elif platform == main_platform and i > 0 and rng.random() < 0.4:
                channel = main_channel
            else:
                channel = pick_channel(rng, platform, spec["lang"], True)
            author = over.get("author", main_author if rng.random() < 0.6 else rng.choice(T.ORDER_AUTHORS[spec["lang"]]))
            # An order reaches us mostly through monitoring; re-posts are also seen through other sources,
            # so one order is often captured by 2-3 sources (capture-recapture).
            if "source" in over:
                source = over["source"]
            elif i == 0:
                source = "monitoring" if rng.random() < 0.7 else rng.choice(SOURCES)
            else:
                source = sources[i % len(sources)] if rng.random() < 0.6 else "monitoring"
            post: dict[str, Any] = {"platform": platform, "text": text, "created_at": created.isoformat(),
                                    "author": author, "author_id": namer.author_id(author)}
            if channel:
                post["channel"] = channel
            if over.get("fwd"):
                post["forwarded_from"] = over["fwd"] if over["fwd"] is not True else (main_channel or main_author)
            if over.get("media"):
                post["media"] = over["media"]
            post["source"] = source
            out.append((post, order_label(spec, text, created)))
    for item in T.NEGATIVES:
        lang, bucket, text = item[0], item[1], item[2]
        over = item[3] if len(item) > 3 else {}
        platform = over.get("platform") or rng.choice(T.NEG_PLATFORMS[bucket])
        day = random_day(rng)
        created = local(day, rng.randrange(24), rng.randrange(60), rng.randrange(60))
        author = over.get("author") or rng.choice(T.NEG_AUTHORS.get(bucket, T.NEG_AUTHORS["*"]))
        post = {"platform": platform, "text": text, "created_at": created.isoformat(), "author": author,
                "author_id": namer.author_id(author)}
        channel = over.get("channel", pick_channel(rng, platform, lang, False))
        if channel:
            post["channel"] = channel
        if over.get("fwd"):
            post["forwarded_from"] = over["fwd"]
        if over.get("media"):
            post["media"] = over["media"]
        post["source"] = over.get("source") or ("monitoring" if rng.random() < 0.8 else rng.choice(SOURCES[1:]))
        out.append((post, negative_label(bucket, lang)))
    return out


def assign_ids(pairs: list[tuple[dict[str, Any], dict[str, Any]]], rng: random.Random) -> None:
    counters: dict[str, int] = {}
    for post, _ in pairs:
        key = f"{post['platform']}:{slug(post.get('channel') or post['author'].lstrip('@'))}"
        if key not in counters:
            counters[key] = rng.randrange(100, 9000)
        counters[key] += rng.randrange(1, 40)
        post["id"] = f"{key}:{counters[key]}"
        if post["platform"] == "telegram" and post.get("channel") and rng.random() < 0.5:
            post["url"] = f"https://t.me/{slug(post['channel']).replace('-', '_')}/{counters[key]}"


def add_replies(pairs: list[tuple[dict[str, Any], dict[str, Any]]], rng: random.Random, namer: Namer) -> None:
    """Volunteers answering orders ("dm sendt") and a few answers to harmless posts."""
    orders = [(p, lab) for p, lab in pairs if lab["is_order"] and lab["bucket"] != "obfuscated"]
    gigs = [(p, lab) for p, lab in pairs if lab["bucket"] in ("gig", "sale")]
    chosen = rng.sample(orders, T.N_ORDER_REPLIES) + rng.sample(gigs, T.N_GIG_REPLIES)
    replies = []
    for parent, plabel in chosen:
        lang = plabel["language"]
        pool = T.REPLIES_ORDER if plabel["is_order"] else T.REPLIES_GIG
        text = rng.choice(pool.get(lang, pool["en"]))
        created = dt.datetime.fromisoformat(parent["created_at"]) + dt.timedelta(minutes=rng.randrange(2, 95))
        author = rng.choice(T.REPLY_AUTHORS)
        post = {"platform": parent["platform"], "text": text, "created_at": created.isoformat(), "author": author,
                "author_id": namer.author_id(author), "reply_to": parent["id"], "source": parent["source"]}
        if parent.get("channel"):
            post["channel"] = parent["channel"]
        replies.append((post, negative_label("reply", lang)))
    for post, _ in replies:
        key = post["reply_to"].rsplit(":", 1)[0]
        post["id"] = f"{key}:r{rng.randrange(10**5, 10**6)}"
    pairs.extend(replies)


# ---------------------------------------------------------------- checks

def check(rows: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[str]:
    errors: list[str] = []
    no_munis = norwegian_municipalities()
    se_munis = swedish_municipalities()
    ids: set[str] = set()
    groups: dict[str, set[tuple[Any, ...]]] = collections.defaultdict(set)
    for post, lab in rows:
        pid = post["id"]
        where = f"{pid}"
        if pid in ids:
            errors.append(f"{where}: duplicate id")
        ids.add(pid)
        if post["platform"] not in PLATFORMS:
            errors.append(f"{where}: platform {post['platform']}")
        if post.get("source") not in SOURCES:
            errors.append(f"{where}: source {post.get('source')}")
        created = dt.datetime.fromisoformat(post["created_at"])
        if created.utcoffset() != created.replace(tzinfo=TZ).utcoffset():
            errors.append(f"{where}: offset is not local time")
        if tuple(lab) != LABEL_KEYS:
            errors.append(f"{where}: label keys {list(lab)}")
        if lab["language"] not in LANGS:
            errors.append(f"{where}: language {lab['language']}")
        if not set(lab["violence_types"]) <= VIOLENCE:
            errors.append(f"{where}: violence {lab['violence_types']}")
        if not lab["is_order"]:
            if lab["bucket"] not in NEG_BUCKETS or lab != negative_label(lab["bucket"], lab["language"]):
                errors.append(f"{where}: bad negative label")
            continue
        if lab["bucket"] not in POS_BUCKETS:
            errors.append(f"{where}: bucket {lab['bucket']}")
        country, district, muni = lab["country"], lab["district"], lab["municipality"]
        valid = {"NO": NO_DISTRICTS, "SE": SE_REGIONS, "DK": DK_DISTRICTS}
        if district is not None and district not in valid.get(country or "", set()):
            errors.append(f"{where}: district {district} for {country}")
        if country == "NO" and muni and no_munis and no_munis.get(muni) != district:
            errors.append(f"{where}: {muni} is in {no_munis.get(muni)}, not {district}")
        if country == "SE" and muni and se_munis and se_munis.get(muni) != district:
            errors.append(f"{where}: {muni} is in {se_munis.get(muni)}, not {district}")
        if (lab["payment_amount"] is None) != (lab["payment_currency"] is None):
            errors.append(f"{where}: payment half-given")
        if lab["when_date"] is not None:
            delta = (dt.date.fromisoformat(lab["when_date"]) - created.date()).days
            if not 0 <= delta <= 7:
                errors.append(f"{where}: when_date {lab['when_date']} vs {created.date()}")
        for c in lab["contacts"]:
            if not re.fullmatch(CONTACT_FORMS[c["kind"]], c["value"]):
                errors.append(f"{where}: contact form {c}")
        groups[lab["order_group"]].add((country, district, muni))
    for gid, places in groups.items():
        if len(places) > 1:
            errors.append(f"{gid}: members disagree on place {places}")
    return errors


def norwegian_municipalities() -> dict[str, str] | None:
    """Municipality -> police district from the shared geodata, when it is on this machine (checks only)."""
    geo = HERE.parents[1] / "varde" / "data" / "geo" / "norway-municipalities-2024.geojson"
    for candidate in (geo, Path("/work/shared/data/geo/norway-municipalities-2024.geojson")):
        if candidate.exists():
            break
    else:
        return None
    county = {"03": "Oslo", "11": "Sør-Vest", "15": "Møre og Romsdal", "18": "Nordland", "31": "Øst", "32": "Øst",
              "33": "Sør-Øst", "34": "Innlandet", "39": "Sør-Øst", "40": "Sør-Øst", "42": "Agder", "46": "Vest",
              "50": "Trøndelag", "55": "Troms", "56": "Finnmark"}
    exceptions = {"Asker": "Oslo", "Bærum": "Oslo", "Lunner": "Innlandet", "Jevnaker": "Sør-Øst", "Sirdal": "Sør-Vest",
                  "Sveio": "Sør-Vest", "Etne": "Sør-Vest", "Bømlo": "Sør-Vest", "Fitjar": "Sør-Vest",
                  "Stord": "Sør-Vest", "Bindal": "Trøndelag"}
    out = {}
    for feat in json.loads(candidate.read_text(encoding="utf-8"))["features"]:
        props = feat["properties"]
        for part in props["kommunenavn"].split(" - "):
            out[part] = exceptions.get(part, county[props["kommunenummer"][:2]])
    return out


def swedish_municipalities() -> dict[str, str] | None:
    path = Path("/work/shared/data/geo/sweden-municipalities.csv")
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as f:
        return {row["kommun"]: row["police_region"] for row in csv.DictReader(f)}


def report(rows: list[tuple[dict[str, Any], dict[str, Any]]], title: str) -> None:
    pos = [lab for _, lab in rows if lab["is_order"]]
    neg = [lab for _, lab in rows if not lab["is_order"]]
    print(f"== {title}: {len(rows)} posts, {len(pos)} orders ({100 * len(pos) / max(1, len(rows)):.0f} %), {len(neg)} not")
    for lang in sorted(LANGS):
        print(f"   {lang}: orders {sum(x['language'] == lang for x in pos):3}   not {sum(x['language'] == lang for x in neg):3}")
    print("   buckets:", dict(collections.Counter(x["bucket"] for x in pos + neg).most_common()))
    sizes = collections.Counter(x["order_group"] for x in pos)
    print(f"   order groups: {len(sizes)}, with re-posts: {sum(v > 1 for v in sizes.values())},"
          f" sizes: {dict(sorted(collections.Counter(sizes.values()).items()))}")
    print("   platforms:", dict(collections.Counter(p["platform"] for p, _ in rows).most_common()))
    print("   sources:", dict(collections.Counter(p.get("source") for p, _ in rows).most_common()))
    srcs: dict[str, set[str]] = collections.defaultdict(set)
    for p, lab in rows:
        if lab["is_order"]:
            srcs[lab["order_group"]].add(p.get("source", ""))
    print("   orders by number of sources seen through:", dict(sorted(collections.Counter(len(s) for s in srcs.values()).items())))
    print("   violence:", dict(collections.Counter(v for x in pos for v in x["violence_types"]).most_common()))


# ---------------------------------------------------------------- media

def make_media() -> None:
    """Small invented images (a flyer, its re-crop, a car, snow), for the image stage and perceptual hashing."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:  # pragma: no cover - the images are committed; Pillow is only needed to remake them
        return
    folder = HERE / "media"
    folder.mkdir(exist_ok=True)
    flyer = Image.new("RGB", (160, 120), (20, 20, 28))
    d = ImageDraw.Draw(flyer)
    d.rectangle((8, 8, 152, 112), outline=(200, 30, 30), width=3)
    d.text((24, 30), "JOBB I KVELD", fill=(240, 240, 240))
    d.text((24, 60), "80K  DM", fill=(250, 200, 40))
    flyer.save(folder / "flyer.png", optimize=True)
    flyer.crop((4, 4, 156, 116)).resize((160, 120)).save(folder / "flyer_repost.png", optimize=True)
    car = Image.new("RGB", (160, 100), (120, 160, 200))
    d = ImageDraw.Draw(car)
    d.rectangle((20, 50, 140, 80), fill=(10, 10, 10))
    d.rectangle((45, 30, 115, 52), fill=(10, 10, 10))
    d.ellipse((30, 72, 56, 98), fill=(60, 60, 60))
    d.ellipse((104, 72, 130, 98), fill=(60, 60, 60))
    car.save(folder / "car.png", optimize=True)
    snow = Image.new("RGB", (160, 100), (235, 240, 250))
    d = ImageDraw.Draw(snow)
    d.polygon(((0, 100), (60, 55), (160, 80), (160, 100)), fill=(255, 255, 255))
    d.rectangle((70, 20, 76, 70), fill=(120, 70, 30))
    snow.save(folder / "snow.png", optimize=True)


# ---------------------------------------------------------------- Telegram exports

def tg_text(parts: list[Any]) -> tuple[Any, list[dict[str, str]]]:
    """Telegram's `text` (a plain string when there are no entities) and `text_entities`."""
    entities = []
    for part in parts:
        if isinstance(part, str):
            entities.append({"type": "plain", "text": part})
        else:
            entities.append(dict(part))
    if all(isinstance(p, str) for p in parts):
        return "".join(parts), entities if parts and "".join(parts) else []
    text = [p if isinstance(p, str) else dict(p) for p in parts]
    return text, entities


def plain(parts: list[Any]) -> str:
    return "".join(p if isinstance(p, str) else p["text"] for p in parts)


def tg_chat(chat: dict[str, Any], rng: random.Random, start: dt.datetime, wallets: dict[str, str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One chat object of a Telegram Desktop export, plus gold labels of its messages."""
    messages = []
    labels = []
    moment = start
    for i, m in enumerate(chat["messages"]):
        msg_id = chat["first_id"] + i
        moment = moment + dt.timedelta(minutes=rng.randrange(3, 400))
        when = next((g.get("when") for g in T.ORDERS if g["g"] == m.get("order")), None)
        if when in ("today", "tomorrow") and moment.hour >= 21:
            moment = moment + dt.timedelta(hours=12)
        while ambiguous(when, moment.date()):
            moment = moment + dt.timedelta(days=1)
        msg: dict[str, Any] = {"id": msg_id, "type": m.get("type", "message"),
                               "date": moment.replace(tzinfo=None).isoformat(timespec="seconds"),
                               "date_unixtime": str(int(moment.timestamp()))}
        if msg["type"] == "service":
            msg.update({"actor": m["actor"], "actor_id": m["actor_id"], "action": m["action"]})
            if "inviter" in m:
                msg["inviter"] = m["inviter"]
            if "members" in m:
                msg["members"] = m["members"]
            msg["text"] = ""
            msg["text_entities"] = []
            messages.append(msg)
            continue
        parts = [fill(p, wallets) if isinstance(p, str) else {**p, "text": fill(p["text"], wallets)} for p in m["parts"]]
        msg["from"] = m["from"]
        msg["from_id"] = m["from_id"]
        if m.get("reply_to") is not None:
            msg["reply_to_message_id"] = chat["first_id"] + m["reply_to"]
        if m.get("fwd"):
            msg["forwarded_from"] = m["fwd"]
        if m.get("photo"):
            if m["photo"] == "missing":
                msg["photo"] = "(File not included. Change data exporting settings to download.)"
            else:
                msg["photo"] = f"photos/photo_{msg_id}@{moment.strftime('%d-%m-%Y_%H-%M-%S')}.jpg"
            msg["width"], msg["height"] = 1280, 960
        if m.get("file"):
            msg["file"] = m["file"]
            msg["mime_type"] = m.get("mime_type", "video/mp4")
        if m.get("edited"):
            edited = moment + dt.timedelta(minutes=7)
            msg["edited"] = edited.replace(tzinfo=None).isoformat(timespec="seconds")
            msg["edited_unixtime"] = str(int(edited.timestamp()))
        msg["text"], msg["text_entities"] = tg_text(parts)
        messages.append(msg)
        text = plain(parts)
        if "order" in m:
            group = next(g for g in T.ORDERS if g["g"] == m["order"])
            label = order_label({**group, **m.get("over", {})}, text, moment)
        else:
            label = negative_label(m["bucket"], m["lang"])
        # `id` is how varde.readers names a Telegram message: telegram:<chat id>:<message id>
        labels.append({"id": f"telegram:{chat['id']}:{msg_id}", "chat_id": chat["id"], "message_id": msg_id,
                       "label": label})
    obj = {"name": chat["name"], "type": chat["type"], "id": chat["id"], "messages": messages}
    return obj, labels


def telegram_exports(rng: random.Random, wallets: dict[str, str]) -> None:
    single, single_labels = tg_chat(T.TG_SINGLE, rng, local(dt.date(2025, 10, 2), 8, 12), wallets)
    write_json(HERE / "telegram" / "result.json", single)
    write_jsonl(HERE / "telegram" / "labels.jsonl", single_labels)
    chats = []
    labels: list[dict[str, Any]] = []
    for n, chat in enumerate(T.TG_ACCOUNT_CHATS):
        obj, lab = tg_chat(chat, rng, local(dt.date(2026, 1, 12 + 9 * n), 9, 30), wallets)
        chats.append(obj)
        labels.extend(lab)
    account = {
        "about": "Here is the data you requested. Remember: Telegram is ad free, it doesn't sell your data.",
        "personal_information": {"user_id": 5512093377, "first_name": "Demo", "last_name": "Analytiker",
                                 "phone_number": "+47 000 00 000", "username": "@demo_analytiker", "bio": ""},
        "chats": {"about": "This page lists all chats from this export.", "list": chats},
    }
    write_json(HERE / "telegram-account" / "result.json", account)
    write_jsonl(HERE / "telegram-account" / "labels.jsonl", labels)


# ---------------------------------------------------------------- CSV

CSV_COLUMNS = ("id", "platform", "text", "created_at", "author", "author_id", "channel", "url", "reply_to",
               "forwarded_from", "media", "source")


def csv_posts(rng: random.Random, namer: Namer, wallets: dict[str, str]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    rows = []
    for n, item in enumerate(T.CSV_ROWS, 1):
        group = next((g for g in T.ORDERS if g["g"] == item.get("order")), {})
        # a partner's copy of a known order is seen around the time it was posted; other rows at any time
        day = BASE_DAYS[group["g"]] if group else random_day(rng)
        created = local(day, rng.randrange(8, 20), rng.randrange(60))
        text = fill(item["text"], wallets)
        author = item["author"]
        post = {"id": f"partner:samarbeid-export:{4100 + 7 * n}", "platform": item["platform"], "text": text,
                "created_at": created.isoformat(), "author": author, "author_id": namer.author_id(author),
                "channel": item.get("channel", ""), "url": "", "reply_to": "", "forwarded_from": item.get("fwd", ""),
                "media": "|".join(item.get("media", [])), "source": item.get("source", "partner")}
        if group:
            label = order_label({**group, **item.get("over", {})}, text, created)
        else:
            label = negative_label(item["bucket"], item["lang"])
        rows.append((post, label))
    return rows


# ---------------------------------------------------------------- output

def write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> int:
    rng = random.Random(SEED)
    wallets = _wallets(rng)
    for group in T.ORDERS:
        group["contacts"] = [(kind, fill(value, wallets)) for kind, value in group["contacts"]]
    namer = Namer(rng)
    pairs = build_posts(rng, namer, wallets)
    pairs.sort(key=lambda pl: pl[0]["created_at"])
    assign_ids(pairs, rng)
    add_replies(pairs, rng, namer)
    pairs.sort(key=lambda pl: dt.datetime.fromisoformat(pl[0]["created_at"]))
    order = ("id", "platform", "channel", "author", "author_id", "text", "created_at", "url", "reply_to",
             "forwarded_from", "media", "source")
    posts = [{k: p[k] for k in order if k in p} for p, _ in pairs]
    write_jsonl(HERE / "posts.jsonl", posts)
    write_jsonl(HERE / "labels.jsonl", [{"id": p["id"], "label": lab} for p, lab in pairs])

    csv_rows = csv_posts(rng, namer, wallets)
    with (HERE / "posts.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for post, _ in csv_rows:
            writer.writerow(post)
    write_jsonl(HERE / "labels_csv.jsonl", [{"id": p["id"], "label": lab} for p, lab in csv_rows])

    telegram_exports(rng, wallets)
    make_media()

    errors = check(pairs) + check(csv_rows)
    report(pairs, "posts.jsonl")
    report(csv_rows, "posts.csv")
    for e in errors:
        print("PROBLEM:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
