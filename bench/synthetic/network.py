"""A generated scenario with a known truth, for tests and the benchmark: networks with bosses (clients) and
recruiters who use aliases across platforms, their ads, forwards by spreaders, volunteers replying "dm sendt",
freelance one-off clients, and noise accounts (look-alike handles, chatter, harmless replies).

Every handle, number and wallet is invented (phones come from the range 070-174 06 05 … 99 that the Swedish Post
and Telecom Authority reserves for fiction). Deterministic for a given seed."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from varde.network.graph import PostFacts, account_id

PLATFORMS = ("telegram", "x", "instagram", "snapchat", "tiktok")
CONTACT_PLATFORMS = ("telegram", "signal", "snapchat")
SYLLABLES = (
    "nat",
    "jobb",
    "kro",
    "vik",
    "sno",
    "ulv",
    "rav",
    "sky",
    "berg",
    "dal",
    "fjell",
    "storm",
    "is",
    "lyn",
    "natt",
    "mork",
    "grim",
    "bror",
    "kong",
    "hav",
    "stein",
    "torv",
    "elv",
    "mann",
    "gull",
    "sol",
)
AD_TEMPLATES = (
    "Trenger folk til et oppdrag i {place} {when}. {pay} kontant. Skriv til {contact}",
    "Söker någon för ett jobb i {place} {when}, {pay}. Kontakta {contact}",
    "Jobb ledig {place}, {pay} for rask jobb {when}. Ta kontakt {contact}",
    "Har en jobb i {place}, betaler {pay}. Ung går fint. {contact}",
    "Need a driver and a shooter in {place} {when}. {pay}. Message {contact}",
    "Oppdrag {place} {when}, {pay} per skalle. Kun seriøse. {contact}",
    "Søger folk til opgave i {place} {when}. {pay}. Skriv {contact}",
)
PLACES = ("Oslo", "Grønland", "Bergen", "Drammen", "Malmö", "Göteborg", "Stockholm", "Rinkeby", "Trondheim", "Nørrebro")
WHENS = ("i kveld", "ikväll", "i helgen", "innen fredag", "i morgen", "tonight", "i aften")
PAYS = ("50k", "100 ton", "20 lapper", "30k", "150k", "en halv mille", "75 000 kr")
CHATTER = (
    "noen som vet når bussen går?",
    "haha så bra",
    "selger sykkel, 2000 kr",
    "hvem skal på kampen i kveld",
    "någon som har laddare?",
    "skal vi ta en kaffe",
    "nice bilde!",
    "hvor er festen",
    "lol",
    "gratulerer med dagen",
)
VOLUNTEER = ("dm sendt", "sendt melding", "jeg tar den", "jag tar den", "skickat dm", "dm sent 🔥")
HARMLESS = ("hva betyr dette?", "rapportert", "fy faen", "politiet burde se dette", "??")


@dataclass
class Truth:
    """What the generator knows: actors and their identities, roles, the network of every order."""

    actor_of: dict[str, str] = field(default_factory=dict)  # identity entity id → person id
    role: dict[str, str] = field(default_factory=dict)  # person id → boss | recruiter | freelancer | volunteer | noise
    network_of_person: dict[str, str | None] = field(default_factory=dict)
    order_network: dict[str, str | None] = field(default_factory=dict)  # order entity id → network id or None
    known_networks: tuple[str, ...] = ()

    def backmen(self) -> set[str]:
        return {p for p, r in self.role.items() if r in ("boss", "recruiter")}


@dataclass
class Scenario:
    posts: list[PostFacts]
    watchlist: dict[str, Any]
    truth: Truth


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()
        self.n_phone = 0

    def name(self) -> str:
        while True:
            base = "".join(self.rng.sample(SYLLABLES, 3))
            if base not in self.used:
                self.used.add(base)
                return base

    def alias(self, base: str) -> str:
        style = self.rng.randrange(4)
        if style == 0:
            return base
        if style == 1:
            return f"{base}_{self.rng.randrange(10, 99)}"
        if style == 2:
            return f"{base[: len(base) // 2]}.{base[len(base) // 2 :]}"
        return f"{base}_official"

    def phone(self) -> str:
        self.n_phone += 1
        if self.n_phone > 95:
            raise ValueError("the Swedish fiction range (070-174 06 05 … 99) holds 95 numbers; use fewer actors")
        return f"+467017406{self.n_phone + 4:02d}"  # reserved by PTS for fiction: reaches nobody

    def wallet(self) -> str:
        return "bc1q" + "".join(self.rng.choice("023456789acdefghjklmnpqrstuvwxyz") for _ in range(38))


def generate(
    seed: int = 1,
    *,
    known_networks: int = 3,
    unknown_networks: int = 2,
    recruiters_per_network: int = 3,
    orders_per_network: int = 14,
    freelancers: int = 10,
    noise_accounts: int = 150,
    volunteers: int = 60,
    start: datetime = datetime(2025, 3, 1, tzinfo=UTC),
    days: int = 120,
) -> Scenario:
    gen = _Gen(seed)
    rng = gen.rng
    truth = Truth()
    posts: list[PostFacts] = []
    counter = [0]

    def moment() -> datetime:
        return start + timedelta(seconds=rng.randrange(days * 86400))

    def post(**kw: Any) -> PostFacts:
        counter[0] += 1
        platform = kw.pop("platform")
        item = PostFacts(id=f"{platform}:gen:{counter[0]}", platform=platform, **kw)
        # The same handle on another platform is the same person (handles are unique in the scenario).
        for handle in (item.author, item.forwarded_from):
            owner = next((truth.actor_of[a] for a in _ids(handle) if a in truth.actor_of), None)
            if owner is not None and handle:
                truth.actor_of.setdefault(account_id(platform, handle), owner)
        posts.append(item)
        return item

    def _ids(handle: str | None) -> list[str]:
        return [account_id(p, handle) for p in (*PLATFORMS, *CONTACT_PLATFORMS)] if handle else []

    channels = {p: [f"{p} jobb {i}" for i in range(4)] for p in PLATFORMS}
    watch: list[dict[str, Any]] = []
    volunteer_accounts = [(rng.choice(PLATFORMS), f"@{gen.name()}{rng.randrange(1, 99)}") for _ in range(volunteers)]
    for vp, vh in volunteer_accounts:
        person = f"volunteer:{vh}"
        truth.actor_of[account_id(vp, vh)] = person
        truth.role[person] = "volunteer"
    n_networks = known_networks + unknown_networks
    for n in range(n_networks):
        network = f"net{n}"
        known = n < known_networks
        signature = f"{gen.name()} betaler alltid" if known else f"{gen.name()} fikser alt"
        emoji = rng.choice(["🦊", "💃", "🐺", "🦅", "🐍", "🦁"])
        people = [("boss", 0)] + [("recruiter", i + 1) for i in range(recruiters_per_network)]
        members: list[dict[str, Any]] = []
        for role, index in people:
            person = f"{network}:{role}{index}"
            base = gen.name()
            poster_accounts = [
                (p, "@" + gen.alias(base)) for p in rng.sample(PLATFORMS, 2 if role == "recruiter" else 3)
            ]
            contact_platform = rng.choice(CONTACT_PLATFORMS)
            contact = (contact_platform, "@" + gen.alias(base))
            phone = gen.phone()
            wallet = gen.wallet() if role == "boss" else None
            for platform, handle in [*poster_accounts, contact]:
                truth.actor_of[account_id(platform, handle)] = person
            truth.actor_of[f"phone:{phone}"] = person
            if wallet:
                truth.actor_of[f"wallet:btc:{wallet}"] = person
            truth.role[person] = role
            truth.network_of_person[person] = network if known else None
            members.append(
                {
                    "person": person,
                    "posters": poster_accounts,
                    "contact": contact,
                    "phone": phone,
                    "wallet": wallet,
                    "weight": 3 if role == "boss" else 1,
                }
            )
        home = (rng.choice(("telegram", "signal")), f"{gen.name()} {network}")  # the network's own group
        if known:
            boss = members[0]
            first_recruiter = members[1]
            watch.append(
                {
                    "id": network,
                    "name": f"Network {n}",
                    "country": rng.choice(["SE", "NO", "AE", "ES", "TR"]),
                    "sources": ["generated scenario"],
                    "indicators": {
                        "handles": [f"{first_recruiter['contact'][0]}:{first_recruiter['contact'][1]}"],
                        "phones": [boss["phone"]],
                        "channels": [f"{home[0]}:{home[1]}"],
                        "phrases": [signature],
                        "emoji": [emoji],
                    },
                }
            )
        spread_channel = rng.choice(channels["telegram"])
        weights = [m["weight"] for m in members]
        for k in range(orders_per_network):
            member = rng.choices(members, weights=weights)[0]
            order_id = f"{network}-o{k}"
            truth.order_network[f"order:{order_id}"] = network if known else None
            contacts: list[tuple[str, str]] = [member["contact"]]
            if rng.random() < 0.4:
                contacts.append(("phone", member["phone"]))
            if member["wallet"] and rng.random() < 0.3:
                contacts.append(("btc", member["wallet"]))
            text = rng.choice(AD_TEMPLATES).format(
                place=rng.choice(PLACES), when=rng.choice(WHENS), pay=rng.choice(PAYS), contact=contacts[0][1]
            )
            if rng.random() < 0.35:
                text += f" {signature}."
            if rng.random() < 0.5:
                text += f" {emoji}"
            at = moment()
            platform, handle = rng.choice(member["posters"])
            channel = rng.choice(channels[platform])
            if rng.random() < 0.45:
                platform, channel = home
                handle = next((h for p, h in member["posters"] if p == platform), member["contact"][1])
                truth.actor_of.setdefault(account_id(platform, handle), member["person"])
            first = post(
                platform=platform,
                created_at=at,
                text=text,
                author=handle,
                channel=channel,
                is_order=True,
                order_id=order_id,
                contacts=tuple(contacts),
            )
            # Cross-posting the same ad on another platform within a minute.
            if rng.random() < 0.5:
                other_platform, other_handle = rng.choice(member["posters"])
                post(
                    platform=other_platform,
                    created_at=at + timedelta(seconds=rng.randrange(5, 60)),
                    text=text,
                    author=other_handle,
                    channel=rng.choice(channels[other_platform]),
                    is_order=True,
                    order_id=order_id,
                    contacts=tuple(contacts),
                )
            # Forwards by spreader channels.
            for _ in range(rng.randrange(0, 4)):
                post(
                    platform="telegram",
                    created_at=at + timedelta(hours=rng.randrange(1, 48)),
                    text=text,
                    author=f"@spreader{rng.randrange(5)}",
                    channel=spread_channel,
                    forwarded_from=handle,
                    is_order=True,
                    order_id=order_id,
                    contacts=tuple(contacts),
                )
            # Volunteers reply; bosses' ads draw more.
            replies = rng.randrange(1, 4) * member["weight"]
            for _vp, vh in rng.sample(volunteer_accounts, min(replies, len(volunteer_accounts))):
                post(
                    platform=first.platform,
                    created_at=at + timedelta(minutes=rng.randrange(1, 600)),
                    text=rng.choice(VOLUNTEER),
                    author=vh,
                    channel=first.channel,
                    reply_to=first.id,
                )
    # Freelancers: one-off clients with one or two ads, own contact, no network.
    for f in range(freelancers):
        person = f"free:{f}"
        base = gen.name()
        platform = rng.choice(PLATFORMS)
        handle = "@" + gen.alias(base)
        truth.actor_of[account_id(platform, handle)] = person
        truth.role[person] = "freelancer"
        truth.network_of_person[person] = None
        contact_platform = platform if platform in ("telegram", "snapchat", "instagram") else "telegram"
        truth.actor_of[account_id(contact_platform, handle)] = person
        for k in range(rng.randrange(1, 3)):
            order_id = f"free{f}-o{k}"
            truth.order_network[f"order:{order_id}"] = None
            text = rng.choice(AD_TEMPLATES).format(
                place=rng.choice(PLACES), when=rng.choice(WHENS), pay=rng.choice(PAYS), contact=handle
            )
            at = moment()
            first = post(
                platform=platform,
                created_at=at,
                text=text,
                author=handle,
                channel=rng.choice(channels[platform]),
                is_order=True,
                order_id=order_id,
                contacts=((contact_platform, handle),),
            )
            for _vp, vh in rng.sample(volunteer_accounts, rng.randrange(0, 2)):
                post(
                    platform=platform,
                    created_at=at + timedelta(minutes=rng.randrange(1, 600)),
                    text=rng.choice(VOLUNTEER),
                    author=vh,
                    reply_to=first.id,
                    channel=first.channel,
                )
    # Noise: chatter, look-alike handles of real actors, harmless replies under ads.
    order_posts = [p for p in posts if p.is_order and not p.forwarded_from]
    actor_handles = [h for h in truth.actor_of if h.startswith("acct:")]
    for i in range(noise_accounts):
        platform = rng.choice(PLATFORMS)
        if i % 10 == 0 and actor_handles:
            # A look-alike: someone else's handle with a different, longer tail.
            handle = "@" + rng.choice(actor_handles).split(":")[-1].replace(".", "") + f"_fan{rng.randrange(10, 99)}"
        else:
            handle = f"@{gen.name()}{rng.randrange(1, 99)}"
        person = f"noise:{i}"
        truth.actor_of[account_id(platform, handle)] = person
        truth.role[person] = "noise"
        for _ in range(rng.randrange(1, 6)):
            post(
                platform=platform,
                created_at=moment(),
                text=rng.choice(CHATTER),
                author=handle,
                channel=rng.choice(channels[platform]),
            )
        if rng.random() < 0.3 and order_posts:
            target = rng.choice(order_posts)
            post(
                platform=target.platform,
                created_at=target.created_at + timedelta(minutes=rng.randrange(1, 900)),
                text=rng.choice(HARMLESS),
                author=handle,
                reply_to=target.id,
                channel=target.channel,
            )
    truth.known_networks = tuple(f"net{n}" for n in range(known_networks))
    posts.sort(key=lambda p: (p.created_at, p.id))
    return Scenario(posts, {"networks": watch}, truth)


def scale(posts: int, accounts: int, *, seed: int = 1, days: int = 365) -> list[PostFacts]:
    """A large, flat stream for the benchmark: `posts` posts by `accounts` accounts; about 5 % are ads (grouped into
    orders re-posted a few times, naming a contact), 20 % replies, 5 % forwards, the rest chatter."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    handles = [(PLATFORMS[i % len(PLATFORMS)], f"@acct{i}") for i in range(accounts)]
    channels = [f"kanal {i}" for i in range(max(10, accounts // 50))]
    contacts = [("telegram", f"@kontakt{i}") for i in range(max(10, accounts // 100))]
    out: list[PostFacts] = []
    recent_ads: list[str] = []
    n_orders = 0
    for i in range(posts):
        platform, handle = handles[rng.randrange(accounts)]
        at = start + timedelta(seconds=rng.randrange(days * 86400))
        roll = rng.random()
        channel = rng.choice(channels)
        if roll < 0.05:
            if recent_ads and rng.random() < 0.5:
                order_id = recent_ads[rng.randrange(len(recent_ads))]
            else:
                n_orders += 1
                order_id = f"o{n_orders}"
                recent_ads.append(order_id)
                if len(recent_ads) > 1000:
                    recent_ads.pop(0)
            contact = contacts[hash(order_id) % len(contacts)]
            out.append(
                PostFacts(
                    f"p{i}",
                    platform,
                    at,
                    f"jobb i kveld 50k skriv {contact[1]}",
                    handle,
                    None,
                    channel,
                    None,
                    None,
                    True,
                    order_id,
                    None,
                    (contact,),
                )
            )
        elif roll < 0.25 and out:
            parent = out[rng.randrange(len(out))]
            out.append(
                PostFacts(
                    f"p{i}", platform, at, rng.choice(VOLUNTEER + HARMLESS), handle, None, channel, None, parent.id
                )
            )
        elif roll < 0.30:
            out.append(
                PostFacts(f"p{i}", platform, at, rng.choice(CHATTER), handle, None, channel, rng.choice(handles)[1])
            )
        else:
            out.append(
                PostFacts(f"p{i}", platform, at, rng.choice(CHATTER) + f" {rng.randrange(1000)}", handle, None, channel)
            )
    return out
