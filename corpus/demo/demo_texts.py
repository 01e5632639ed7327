# ruff: noqa: E501
"""Hand-written texts and gold labels of Varde's demo corpus (read by make_demo.py).

Everything here is invented for Varde: every handle, phone number, wallet, name and invite link is made up, and no
real private person is a target. Network names (Foxtrot, Rumba) appear only as mentioned in news-style posts.

ORDERS: one entry per order ("order group"); `texts` lists its re-posts (str, or (str, overrides)). Group fields:
  g            order group id
  lang         nb | nn | sv | da | en
  bucket       concrete_order | teaser | recruitment | price_menu | bounty_list | self_ad | threat_for_hire | obfuscated
  vt           violence types
  place        key of PLACES (country, police district/region/politikreds, municipality), or None
  pay          (amount,) in the language's currency, or (amount, "CUR"); the highest amount of a menu or range
  when         today | tomorrow | weekend | mon..sun (the coming weekday) | None
  contacts     (kind, normalised value); a post's label keeps those that occur in its own text
  minor        the text says recruits/the applicant may be under 18
Overrides (per re-post) may change any of these, and set platform, channel, source, fwd (forwarded from), media.
"""

from __future__ import annotations

from typing import Any

ZW = "\u200b"  # zero-width space
ZJ = "\u200d"  # zero-width joiner
RLO = "\u202e"  # right-to-left override
PDF = "\u202c"  # pop directional formatting

# (country, district / police region / politikreds, municipality)
PLACES: dict[str, tuple[str | None, str | None, str | None]] = {
    # Norway (police districts)
    "oslo": ("NO", "Oslo", "Oslo"),
    "baerum": ("NO", "Oslo", "Bærum"),
    "lillestrom": ("NO", "Øst", "Lillestrøm"),
    "sarpsborg": ("NO", "Øst", "Sarpsborg"),
    "fredrikstad": ("NO", "Øst", "Fredrikstad"),
    "moss": ("NO", "Øst", "Moss"),
    "drammen": ("NO", "Sør-Øst", "Drammen"),
    "skien": ("NO", "Sør-Øst", "Skien"),
    "tonsberg": ("NO", "Sør-Øst", "Tønsberg"),
    "kristiansand": ("NO", "Agder", "Kristiansand"),
    "stavanger": ("NO", "Sør-Vest", "Stavanger"),
    "sandnes": ("NO", "Sør-Vest", "Sandnes"),
    "haugesund": ("NO", "Sør-Vest", "Haugesund"),
    "bergen": ("NO", "Vest", "Bergen"),
    "trondheim": ("NO", "Trøndelag", "Trondheim"),
    "alesund": ("NO", "Møre og Romsdal", "Ålesund"),
    "tromso": ("NO", "Troms", "Tromsø"),
    "bodo": ("NO", "Nordland", "Bodø"),
    "hamar": ("NO", "Innlandet", "Hamar"),
    "ostlandet": ("NO", None, None),
    "norway": ("NO", None, None),
    # Sweden (police regions)
    "stockholm": ("SE", "Stockholm", "Stockholm"),
    "botkyrka": ("SE", "Stockholm", "Botkyrka"),
    "huddinge": ("SE", "Stockholm", "Huddinge"),
    "sodertalje": ("SE", "Stockholm", "Södertälje"),
    "goteborg": ("SE", "Väst", "Göteborg"),
    "boras": ("SE", "Väst", "Borås"),
    "malmo": ("SE", "Syd", "Malmö"),
    "helsingborg": ("SE", "Syd", "Helsingborg"),
    "uppsala": ("SE", "Mitt", "Uppsala"),
    "vasteras": ("SE", "Mitt", "Västerås"),
    "norrkoping": ("SE", "Öst", "Norrköping"),
    "linkoping": ("SE", "Öst", "Linköping"),
    "orebro": ("SE", "Bergslagen", "Örebro"),
    "sundsvall": ("SE", "Nord", "Sundsvall"),
    "sweden": ("SE", None, None),
    # Denmark (politikredse)
    "kobenhavn": ("DK", "Københavns Politi", "København"),
    "albertslund": ("DK", "Københavns Vestegns Politi", "Albertslund"),
    "ishoj": ("DK", "Københavns Vestegns Politi", "Ishøj"),
    "aarhus": ("DK", "Østjyllands Politi", "Aarhus"),
    "odense": ("DK", "Fyns Politi", "Odense"),
    "aalborg": ("DK", "Nordjyllands Politi", "Aalborg"),
    "sjaelland": ("DK", None, None),
}

ORDER_PLATFORMS = ["telegram", "telegram", "telegram", "snapchat", "snapchat", "signal", "tiktok", "instagram", "discord", "x"]
ORDER_AUTHORS: dict[str, list[str]] = {
    "nb": ["@nattjobb", "@dm_meg_bror", "@sørlandet_ekstra", "@night_shift_no", "@bror.jobb", "@fantomet_99", "@ghost_ops"],
    "nn": ["@vestlands_ekstra", "@fjordjobb", "@ghost_ops"],
    "sv": ["@uppdrag_nu", "@snabbcash_031", "@skuggan", "@kontoret_sthlm", "@lillebror_x", "@k4sh_flow"],
    "da": ["@opgave_dk", "@vestegn_ekstra", "@kbh_natten", "@zz_top_jobs"],
    "en": ["@v1p_w0rk", "@ghost_ops", "@zz_top_jobs", "@k4sh_flow", "@nordic_plug"],
}
REPLY_AUTHORS = ["@kid_sander", "@yunggus07", "@emil.j", "@l4ndo", "@sami_rnk", "@jonte_k", "@mo_b", "@frederik.x",
                 "@bashir_22", "@snoop_kb", "@ali.gbg", "@theo_osl"]

CHANNELS: dict[tuple[str, ...], list[str]] = {
    ("telegram", "nb", "pos"): ["Oslo Jobber 24/7", "Østlandet Ekstra 💸", "Nattskift Oslo", "Raske Penger NO", "Vestlandet Oppdrag"],
    ("telegram", "nn", "pos"): ["Vestlandet Oppdrag", "Sunnmøre Ekstra"],
    ("telegram", "sv", "pos"): ["Jobb Sthlm 💸", "Västkusten Extra", "Snabba Cash 031", "Uppdrag Syd", "Norrland Kontakt"],
    ("telegram", "da", "pos"): ["Opgaver KBH", "Vestegnen Jobs", "Jylland Ekstra"],
    ("telegram", "en", "pos"): ["Nordic Work Board", "Scandi Jobs 24/7", "Nattskift Oslo"],
    ("telegram", "nb"): ["Kjøp & Salg Oslo", "Groruddalen Nyheter", "Russ 2026 Østfold", "Trening & Tips"],
    ("telegram", "nn"): ["Bygdepraten", "Vestlandsnytt"],
    ("telegram", "sv"): ["Köp & Sälj Göteborg", "Orten Nyheter", "Gymkompisar Sthlm"],
    ("telegram", "da"): ["Køb & Salg KBH", "Nyheder Vestegnen"],
    ("telegram", "en"): ["Nordic Crypto Talk", "Scandi News Feed"],
    ("signal", "*"): ["Signal: Jobbgruppa", "Signal: Kontakt Syd", "Signal: Nattskift"],
    ("snapchat", "*"): ["Snapchat story", "Snap Map"],
    ("tiktok", "*"): ["TikTok-kommentarer", "TikTok live"],
    ("instagram", "*"): ["Instagram story", "Instagram-kommentarer"],
    ("discord", "nb"): ["Nordic Gamers #general", "CS-gutta #snakk", "Minecraft Norge #chat"],
    ("discord", "sv"): ["Svenska Spelare #allmänt", "GTA RP Sverige #ooc"],
    ("discord", "*"): ["Nordic Gamers #general", "Valhalla RP #ooc"],
    ("facebook", "nb"): ["Småjobber i Oslo", "Kjøp og salg Groruddalen", "Foreldre i Bergen", "Hva skjer i Drammen", "Nabolaget Tøyen"],
    ("facebook", "nn"): ["Småjobbar på Voss", "Folk i Førde"],
    ("facebook", "sv"): ["Småjobb Göteborg", "Köp & sälj Malmö", "Föräldrar i Järva", "Grannar i Angered"],
    ("facebook", "da"): ["Småjobs Aarhus", "Køb og salg Odense", "Forældre på Nørrebro"],
    ("facebook", "en"): ["Expats in Oslo", "Stockholm Expats", "Copenhagen Internationals"],
    ("forum", "nb"): ["Forum: Samfunn og krim", "Forum: Jakt og fiske", "Forum: Jobb og karriere"],
    ("forum", "nn"): ["Forum: Samfunn og krim"],
    ("forum", "sv"): ["Forum: Brott och straff", "Forum: Jakt & vapen", "Forum: Arbetsliv"],
    ("forum", "da"): ["Forum: Krimi og samfund", "Forum: Job og penge"],
    ("forum", "en"): ["Forum: Nordic Crime Watch", "Forum: Security Work"],
}

NEG_PLATFORMS: dict[str, list[str]] = {
    "news": ["facebook", "x", "forum", "telegram"],
    "warning": ["facebook", "instagram", "x"],
    "gig": ["facebook", "snapchat", "forum"],
    "job": ["facebook", "forum", "x"],
    "lyrics": ["tiktok", "instagram", "x"],
    "gaming": ["discord"],
    "banter": ["facebook", "snapchat", "discord", "tiktok", "x", "telegram"],
    "personal_threat": ["facebook", "snapchat", "instagram", "x"],
    "drugs": ["telegram", "snapchat", "signal"],
    "sale": ["facebook", "forum", "telegram"],
    "fiction": ["facebook", "x", "forum", "tiktok"],
    "hoax": ["facebook", "tiktok", "snapchat"],
    "adjacent": ["facebook", "telegram", "tiktok", "instagram", "x"],
}
NEG_AUTHORS: dict[str, list[str]] = {
    "news": ["@nyhetsvakta", "@lokalavisa_ost", "@krimreporter", "@nyheter_idag", "@dk_nyt", "@nordic_newsdesk"],
    "warning": ["@politiet_ost_info", "@rektor_haugen", "@fau_stovner", "@polisen_info_syd", "@skolen_i_ishoj", "@fritidsklubben"],
    "gig": ["@mamma_kari", "@tonje.h", "@per_i_gata", "@britt_m", "@lasse_v", "@farmor_ingrid"],
    "job": ["@vaktselskapet", "@sprengmester_as", "@skadedyrkontroll", "@jobbportalen", "@hr_vaktbolaget"],
    "lyrics": ["@yung_fjord", "@drillgutta", "@mc_orten", "@lil_grorud", "@beatz_by_k"],
    "gaming": ["@fragmaster", "@noobslayer", "@gta_king", "@mineguy", "@clutchkid"],
    "personal_threat": ["@sinna_sara", "@jonas_97", "@ex_kjæresten", "@ahmed.b", "@kimmy"],
    "*": ["@randomdude", "@line_k", "@oskar.w", "@freja_dk", "@anon_2000", "@mads.p", "@nora_b", "@viktor.s",
          "@tuva.o", "@isak_r", "@emma.l", "@noah_h"],
}

REPLIES_ORDER: dict[str, list[str]] = {
    "nb": ["dm sendt", "jeg tar den", "sjekk dm bro", "pm'a deg", "ledig fortsatt?", "jeg er klar i kveld", "sendt snap 👀"],
    "nn": ["sendt melding", "eg tek den"],
    "sv": ["skickat dm", "jag tar den", "kolla dm", "fortfarande ledig?", "kan ikväll, dm:at", "intresserad 👀"],
    "da": ["skrevet dm", "jeg tager den", "tjek din dm", "stadig ledig?"],
    "en": ["dm sent", "I'll take it", "check dm", "still open?"],
}
REPLIES_GIG: dict[str, list[str]] = {
    "nb": ["Jeg kan ta den! Bor i nærheten", "sendt melding 🙂", "er den fortsatt til salgs?"],
    "nn": ["Eg kan ta den!", "sendt melding"],
    "sv": ["Jag kan! skickat dm", "finns den kvar?"],
    "da": ["Jeg kan godt, skrevet dm", "er den stadig til salg?"],
    "en": ["dm sent!", "still available?"],
}
N_ORDER_REPLIES = 16
N_GIG_REPLIES = 4


def o(g: str, lang: str, bucket: str, vt: list[str], place: str | None, pay: tuple[Any, ...] | None,
      when: str | None, contacts: list[tuple[str, str]], texts: list[Any], minor: bool = False, **kw: Any) -> dict[str, Any]:
    return {"g": g, "lang": lang, "bucket": bucket, "vt": vt, "place": place, "pay": pay, "when": when,
            "contacts": contacts, "texts": texts, "minor": minor, **kw}


FLYER = ["media/flyer.png"]
FLYER2 = ["media/flyer_repost.png"]

ORDERS: list[dict[str, Any]] = [
    o("g01", "nb", "concrete_order", ["shooting"], "oslo", (80000,), "today", [("telegram", "@kveldsjobb_osl")], [
        ("Oppdrag i kveld 🔫 Holmlia. Skyte mot ei dør i en blokk, ingen skal treffes. 80k cash rett etter. Kun seriøse, dm @kveldsjobb_osl", {"media": FLYER, "platform": "telegram"}),
        ("OPPDRAG I KVELD🔫 holmlia — skudd mot dør, 80k. seriøse folk dm @kveldsjobb_osl", {"media": FLYER2}),
        ("fortsatt ledig!! skudd mot dør Holmlia 80 lapper @kveldsjobb_osl", {"when": None}),
        ("Job tonight in Holmlia (Oslo) 🔫 shoot at a door, nobody gets hurt. 80k NOK cash after. DM @kveldsjobb_osl", {"lang": "en"}),
        ("Oppdrag i kveld 🔫 Holmlia. Skyte mot ei dør i en blokk, ingen skal treffes. 80k cash rett etter. Kun seriøse, dm @kveldsjobb_osl", {"fwd": True, "source": "partner", "platform": "telegram"}),
        ("oppdrag i kveld holmlia 🔫 dør. 80k. snap meg eller dm @KveldsJobb_Osl", {"platform": "snapchat", "source": "tip"}),
    ]),
    o("g02", "sv", "concrete_order", ["explosion"], "goteborg", (100000,), "fri", [("telegram", "@smallen_gbg")], [
        "Uppdrag: smälla en port i Biskopsgården innan fredag 💣 grejen fixar vi. 100 ton direkt efter. Skriv @smallen_gbg",
        "💥 smälla port Biskopsgården, innan fredag, 100k. @smallen_gbg 💥",
        ("s m ä l l a   p o r t  •  B i s k o p s g å r d e n  •  1OO t0n  •  @smallen_gbg", {"bucket": "obfuscated", "when": None}),
        ("Uppdrag: smälla en port i Biskopsgården innan fredag 💣 grejen fixar vi. 100 ton direkt efter. Skriv @smallen_gbg", {"fwd": True}),
        ("fortfarande ledigt: port i Biskopsgården 💣 100 ton, innan fredag. @smallen_gbg", {"source": "platform_report"}),
    ]),
    o("g03", "sv", "recruitment", [], "stockholm", None, None, [("snapchat", "@jobbsthlm.24")], [
        "Söker grabbar till jobb i Sthlm 💸 ålder spelar ingen roll, 15+ går fint. Snabba pengar, vi fixar allt du behöver. Adda snap jobbsthlm.24",
        "Jobb finns i Stockholm! 15+ funkar, inga frågor. snap: jobbsthlm.24 💸💸",
        ("söker folk i sthlm, ålder spelar ingen roll, 15+ ok 💸 snap jobbsthlm.24", {"platform": "tiktok", "source": "platform_report"}),
    ], minor=True),
    o("g04", "sv", "teaser", ["shooting"], "goteborg", None, None, [], [
        "jobb finns 🔫 Gbg. hör av er privat",
        ("jobb finns 🔫🔫 Gbg ikväll, hör av er privat", {"when": "today"}),
    ]),
    o("g05", "nb", "recruitment", [], None, None, None, [("telegram", "@raskepenger_no")], [
        "Trenger folk til oppdrag over hele landet. Alder spiller ingen rolle, under 15 får ingen straff 😉 Godt betalt hver gang. @raskepenger_no",
    ], minor=True),
    o("g06", "nb", "price_menu", ["assault", "stabbing", "shooting", "explosion"], "ostlandet", (150000,), None, [("telegram", "@prisliste_sor")], [
        "📋 PRISLISTE\n👊 bank: 15k\n🔪 kniv: 50k\n🔫 dør/vindu: 70k\n💣 håndgranat: 150k\nHele Østlandet. Kontakt @prisliste_sor",
        "Priser denne uka: bank 15 lapper, kniv 50, skudd mot dør 70, granat 150. Østlandet. @prisliste_sor",
    ]),
    o("g07", "sv", "self_ad", ["threat", "assault", "shooting"], "sweden", None, None, [("wickr", "@tarjobb_se")], [
        "Tar jobb, hela Sverige. Allt från hot och stryk till 🔫. Betalning i förskott. Wickr: tarjobb_se",
        "tar jobb hela sverige 🇸🇪 hot / stryk / 🔫 — förskott. wickr tarjobb_se",
    ]),
    o("g08", "da", "concrete_order", ["shooting"], "kobenhavn", (40000,), "today", [("telegram", "@opgave_kbh")], [
        "Opgave i aften i Tingbjerg 🔫 skyd mod en hoveddør, ingen skal rammes. 40.000 kr kontant. Skriv @opgave_kbh",
        ("stadig ledig: skud mod dør i Tingbjerg, 40k @opgave_kbh", {"when": None}),
        ("Task tonight in Tingbjerg, Copenhagen 🔫 shots at a front door. 40,000 DKK cash. Write @opgave_kbh", {"lang": "en"}),
    ]),
    o("g09", "nb", "concrete_order", ["arson"], "sarpsborg", (30000,), "weekend", [("snapchat", "@brenn.bil")], [
        ("Noen som kan brenne en bil i Sarpsborg i helga? 🔥🚗 Svart Audi, adressen får du. 30 lapper. Snap brenn.bil", {"media": ["media/car.png"]}),
        "🔥🚗 Sarpsborg i helga, 30k. snap: brenn.bil",
    ]),
    o("g10", "nb", "concrete_order", ["arson"], "fredrikstad", (30000,), "weekend", [("snapchat", "@brenn.bil")], [
        "Noen som kan brenne en bil i Fredrikstad i helga? 🔥🚗 Hvit Golf, adressen får du. 30 lapper. Snap brenn.bil",
    ]),
    o("g11", "sv", "concrete_order", ["stabbing"], "malmo", (150000,), "tomorrow", [("signal", "@laxjakt.07")], [
        "Kniva en snubbe i Rosengård imorgon. 150 lax. Bild och adress i dm. Signal: laxjakt.07",
        ("Need someone to knife a guy in Rosengård, Malmö tomorrow. 150k SEK. Pic + address in DM. Signal: laxjakt.07", {"lang": "en"}),
        ("kniva snubbe rosengård imorgon 🔪 150 lax, signal laxjakt.07", {"source": "tip"}),
    ]),
    o("g12", "nb", "threat_for_hire", ["threat"], "trondheim", (10000,), "fri", [("telegram", "@skrem_trd")], [
        "Trenger en som kan skremme en kar i Trondheim som skylder meg penger. Bare true han, vis at vi vet hvor han bor. 10k, innen fredag. @skrem_trd",
        "innen fredag: skremme en fyr på Saupstad (Trondheim), 10 lapper. ingen vold. @skrem_trd",
    ]),
    o("g13", "sv", "concrete_order", ["explosion"], "uppsala", (80000,), "weekend", [("telegram", "@gottsunda_jobb")], [
        "Uppdrag i Gottsunda i helgen 🧨 lägga en grej vid en dörr. 80 ton. @gottsunda_jobb",
        ("Uрpdrаg i Gоttsunda i hеlgen 🧨 lägga en grеj vid en dörr. 80 tоn. @gottsunda_jobb", {"bucket": "obfuscated"}),
        ("Uppdrag i Gottsunda i helgen 🧨 lägga en grej vid en dörr. 80 ton. @gottsunda_jobb", {"fwd": True, "source": "partner"}),
    ]),
    o("g14", "da", "concrete_order", ["assault"], "odense", (15000,), "weekend", [("snapchat", "@fyn.jobs")], [
        "Søger to drenge til en opgave i Vollsmose i weekenden – give en fyr et ordentligt tæsk 👊 15k til hver. Snap: fyn.jobs",
    ]),
    o("g15", "en", "concrete_order", ["kidnapping"], "sandnes", (50000, "NOK"), "tomorrow", [("telegram", "@pickup_svg")], [
        "Job tomorrow in Sandnes: pick up a guy, put him in the car and drive him where we tell you. 50k NOK. No questions. @pickup_svg",
        ("Hente en kar i Sandnes i morgen og kjøre han dit vi sier. 50k. Ingen spørsmål. @pickup_svg", {"lang": "nb"}),
    ]),
    o("g16", "sv", "bounty_list", ["murder"], None, (500000,), None, [("telegram", "@listan_2025")], [
        "⚰️ LISTAN ⚰️ tre namn, bilder finns i kanalen. 500k per namn när det är gjort. Bevis krävs. @listan_2025",
        ("⚰️ listan uppdaterad, fortfarande tre namn kvar. 500k styck. @listan_2025", {"source": "platform_report"}),
    ]),
    o("g17", "nb", "obfuscated", ["shooting"], "oslo", (60000,), "today", [("telegram", "@grorudjobb")], [
        f"opp{ZW}drag 🔫 G r o r u d . 6 0 k . i k v e l d . @ g r o r u d j o b b",
        f"o{ZW}p{ZW}p{ZW}d{ZW}r{ZW}a{ZW}g i kveld Grorud 🔫 60k @grorud{ZJ}jobb",
    ]),
    o("g18", "nb", "obfuscated", ["shooting"], "oslo", (50000,), "today", [("telegram", "@furu_natt")], [
        "𝐎𝐏𝐏𝐃𝐑𝐀𝐆 𝐈 𝐊𝐕𝐄𝐋𝐃 🔫 Furuset • 50k • @furu_natt",
        ("Oppdrag i kveld 🔫 Furuset, 50k, dm @furu_natt", {"bucket": "concrete_order"}),
    ]),
    o("g19", "sv", "concrete_order", ["shooting"], "stockholm", (60000,), "today", [("telegram", "@rinkeby_natt")], [
        "Ikväll kl 22 i Rinkeby. Skjuta mot ett fönster, lägenheten är tom. 60k. Bil fixas. @rinkeby_natt",
        "ikväll 22:00 Rinkeby 🔫 fönster 60k @rinkeby_natt",
        ("F0RTFARANDE LEDIGT 🔫 Rinkeby 60k @rinkeby_natt", {"when": None}),
        ("Ikväll kl 22 i Rinkeby. Skjuta mot ett fönster, lägenheten är tom. 60k. Bil fixas. @rinkeby_natt", {"source": "platform_report", "fwd": True}),
        ("rinkeby ikväll, 60 lax, fönster 🔫 dm @rinkeby_natt", {"platform": "snapchat"}),
        ("Tonight 22:00 in Rinkeby, Stockholm. Shots at a window, flat is empty. 60k SEK, car sorted. @rinkeby_natt", {"lang": "en"}),
        ("🔫🔫 RINKEBY IKVÄLL 🔫🔫 60k, bil finns. @rinkeby_natt", {"source": "partner"}),
    ]),
    o("g20", "sv", "recruitment", ["shooting"], "linkoping", None, None, [("snapchat", "@skagget.money")], [
        "Söker unga killar för uppdrag i Skäggetorp 🔫💰 går du på högstadiet är det perfekt. Betalt varje vecka. snap skagget.money",
    ], minor=True),
    o("g21", "nb", "self_ad", ["stabbing", "assault"], "bergen", None, None, [("snapchat", "@bgo.tar.jobb")], [
        "Tar oppdrag i Bergen og omegn. Kniv eller bank, du bestemmer. 17 år og ikke redd for noe. Snap: bgo.tar.jobb",
    ], minor=True),
    o("g22", "en", "recruitment", ["shooting"], None, None, None, [("telegram", "@nordic_work_ok")], [
        "Looking for drivers and shooters, all of Scandinavia. Age doesn't matter, good pay, we sort travel. Telegram @nordic_work_ok",
        "drivers + shooters wanted 🔫🚗 scandinavia, age doesnt matter. tg @nordic_work_ok",
    ], minor=True),
    o("g23", "da", "price_menu", ["threat", "assault", "stabbing", "shooting", "arson"], "sjaelland", (50000,), None, [("threema", "K7XQ2M9P")], [
        "PRISER 🇩🇰 trusler 5k • tæsk 15k • 🔪 35k • 🔫 mod dør 50k • 🔥 bil 20k — hele Sjælland. Threema: K7XQ2M9P",
    ]),
    o("g24", "nb", "concrete_order", ["arson"], "drammen", (25000,), "today", [("telegram", "@drammen_nattskift")], [
        "Brenne en garasje i Drammen i natt. 25k, bensin ligger klart. @drammen_nattskift",
        ("Burn down a garage in Drammen tonight, 25k NOK, petrol is ready. @drammen_nattskift", {"lang": "en"}),
    ]),
    o("g25", "sv", "concrete_order", ["explosion"], "orebro", (120000,), "tomorrow", [("btc", "{BTC1}"), ("session", "{SESSION1}")], [
        "Spränga en ytterdörr i Vivalla imorgon natt. 120k, halva i BTC innan: {BTC1}. Kontakt via Session: {SESSION1}",
    ]),
    o("g26", "en", "concrete_order", ["shooting"], "aarhus", (60000, "DKK"), "weekend", [("xmr", "{XMR1}"), ("telegram", "@aarhus_ops")], [
        "Need a shooter in Aarhus this weekend, Gellerup. Door only. 60k DKK, paid in XMR {XMR1}. tg @aarhus_ops",
    ]),
    o("g27", "sv", "concrete_order", ["assault", "robbery"], "sodertalje", (20000,), "sun", [("snapchat", "@ronna.jobb")], [
        "Behöver två som kan brösta en kille i Ronna innan söndag, slå honom ordentligt och ta klockan. 20k var. Snap: ronna.jobb",
    ]),
    o("g28", "nb", "concrete_order", ["assault"], "tromso", (20000,), "tomorrow", [("phone", "+4741238907")], [
        "Trenger noen til å banke opp en fyr i Tromsø i morgen. 20k. Han vet hva han har gjort. Ring 412 38 907",
        "banke en kar i Tromsø i morgen, 20 lapper, ring/sms 41238907",
    ]),
    o("g29", "da", "threat_for_hire", ["threat"], "aalborg", (10000,), "fri", [("phone", "+4531742298")], [
        "Skal bruge en der kan true en mand i Aalborg til at droppe en sag, inden fredag. 10.000 kr. Ring +45 31 74 22 98",
    ]),
    o("g30", "sv", "concrete_order", ["arson"], "vasteras", (40000,), "today", [("phone", "+46703184427")], [
        "Bränna en bil i Västerås ikväll, vit Tesla, 40 lax. Ring 070-318 44 27",
        ("Bränna bil Västerås ikväll 🔥 40k. nr 0703184427", {"media": ["media/car.png"]}),
    ]),
    o("g31", "nb", "teaser", ["shooting"], "oslo", None, None, [], [
        "Har jobber ledig i Oslo for de som vil tjene raskt 💸🔫 inbox",
    ]),
    o("g32", "da", "teaser", ["shooting", "explosion"], "kobenhavn", None, None, [], [
        "opgaver ledige i Kbh 🔫💣 skriv privat",
        "stadig opgaver i KBH 🔫💣 privat besked",
    ]),
    o("g33", "en", "teaser", ["shooting"], "stockholm", None, None, [], [
        "got work in Stockholm 🔫 serious only, hmu",
    ]),
    o("g34", "nn", "concrete_order", ["shooting"], "bergen", (60000,), "today", [("telegram", "@vestlandsjobb")], [
        "Oppdrag i Loddefjord i kveld: skot mot ei dør i andre etasje. Ingen skal skadast. 60 lappar. Ta kontakt med @vestlandsjobb",
        ("oppdrag loddefjord i kveld, skudd mot dør, 60k @vestlandsjobb", {"lang": "nb"}),
    ]),
    o("g35", "nn", "recruitment", [], "alesund", None, None, [("telegram", "@sunnmore_jobb")], [
        "Treng fleire folk til oppdrag rundt Ålesund. Alder spelar inga rolle, 15 år går fint. Godt betalt. Skriv til @sunnmore_jobb",
    ], minor=True),
    o("g36", "sv", "concrete_order", ["murder"], "norrkoping", (1000000,), None, [("telegram", "@nkpg_slut")], [
        "Ett namn i Norrköping. Ska bort för gott ⚰️ 1 mille. Bara folk med erfarenhet. @nkpg_slut",
    ]),
    o("g37", "sv", "concrete_order", ["murder"], "linkoping", (1000000,), None, [("telegram", "@nkpg_slut")], [
        "Ett namn i Linköping. Ska bort för gott ⚰️ 1 mille. Bara folk med erfarenhet. @nkpg_slut",
    ]),
    o("g38", "en", "concrete_order", ["explosion"], "oslo", (200000, "NOK"), "weekend", [("signal", "@toyen.work"), ("eth", "{ETH1}")], [
        "Grenade job at Tøyen this weekend 💣 200k NOK, half up front in ETH {ETH1}. Signal @toyen.work",
        ("Granat-jobb på Tøyen i helga 💣 200k, halvparten på forskudd i ETH. Signal @toyen.work", {"lang": "nb"}),
    ]),
    o("g39", "sv", "recruitment", ["shooting"], "malmo", (30000,), None, [("telegram", "@mlm_torped")], [
        "Vi söker torpeder i Malmö 🔫 15-17 år perfekt, du får pjäs och bil. 30k per jobb. tg @mlm_torped",
        "torpeder sökes Malmö 🔫 15–17 år, pjäs + bil ingår, 30k/jobb @mlm_torped",
    ], minor=True),
    o("g40", "nb", "concrete_order", ["stabbing"], "lillestrom", (40000,), "thu", [("snapchat", "@lstrm.jobb")], [
        "Stikke en fyr i låret på Lillestrøm innen torsdag 🔪 40k. Bilde på snap. snap: lstrm.jobb",
    ]),
    o("g41", "sv", "concrete_order", ["shooting"], "boras", (50000,), "weekend", [("telegram", "@boras_hot")], [
        "Skjut några skott mot en villa i Borås i helgen så han fattar. 50k. kontakta @boras_hot",
    ]),
    o("g42", "da", "recruitment", ["shooting"], "ishoj", None, None, [("telegram", "@ishoj_opg")], [
        "Er du 15-17 og mangler penge? Vi har opgaver i Ishøj 💰🔫 skriv @ishoj_opg",
    ], minor=True),
    o("g43", "en", "self_ad", ["threat", "shooting"], None, None, None, [("wickr", "@nordic_hand")], [
        "Available for jobs in Norway and Sweden. Door knocks, scares, 🔫 if the price is right. Wickr: nordic_hand",
    ]),
    o("g44", "sv", "concrete_order", ["kidnapping"], "huddinge", (70000,), "today", [("signal", "@flempick.02")], [
        "Plocka upp en kille i Flemingsberg och hålla honom några timmar tills han betalar. 70k. Ikväll. Signal: flempick.02",
    ]),
    o("g45", "nb", "concrete_order", ["vandalism", "threat"], "kristiansand", (15000,), "weekend", [("telegram", "@krs_natt")], [
        "Knuse alle vinduene i en butikk i Kristiansand i helga og legge igjen en lapp med en hilsen. 15k. @krs_natt",
    ]),
    o("g46", "da", "concrete_order", ["arson"], "kobenhavn", (20000,), "today", [("telegram", "@nbro_ild")], [
        "Brænd en bil af på Nørrebro i nat 🔥 20k. Skriv @nbro_ild",
        "i nat 🔥🚗 Nørrebro 20k @nbro_ild",
        ("Brænd en bil af på Nørrebro i nat 🔥 20k. Skriv @nbro_ild", {"fwd": True, "source": "partner"}),
    ]),
    o("g47", "sv", "obfuscated", ["threat"], "stockholm", (25000,), None, [("telegram", "@husby_h")], [
        f"h{ZW}o{ZW}t{ZW}a en snubbe i H u s b y så han håller käften. 2{ZW}5k. t g : @ h u s b y _ h",
    ]),
    o("g48", "nb", "concrete_order", ["shooting"], "oslo", (70000,), "sat", [("url", "https://t.me/+Qx7vLm2Rk9aZ")], [
        "Trenger 2 stk til jobb på Stovner innen lørdag 🔫 70k til deling. Bli med i gruppa: https://t.me/+Qx7vLm2Rk9aZ",
    ]),
    o("g49", "en", "bounty_list", [], "stockholm", (250000, "SEK"), None, [("telegram", "@sthlm_list")], [
        "Three names from Rinkeby on the list. 250k SEK each, proof on video. DM @sthlm_list",
    ]),
    o("g50", "sv", "price_menu", ["threat", "assault", "stabbing", "shooting", "explosion"], "stockholm", (150000,), None, [("telegram", "@menyn_sthlm")], [
        "Menyn 👇\nskrämsel 10k\nstryk 25k\nknivhugg 60k\nskott mot dörr 80k\nsmäll 150k\nHela Stockholm. @menyn_sthlm",
        "MENY: skrämsel 10 / stryk 25 / kniv 60 / 🔫 80 / 💥 150 (ton). Sthlm. @menyn_sthlm",
    ]),
    o("g51", "nb", "concrete_order", ["explosion"], "stavanger", (150000,), "tomorrow", [("phone", "+4798427163")], [
        "Legge en bombe ved en bilforhandler i Stavanger i morgen kveld 💥 150k. Kontakt 984 27 163",
    ]),
    o("g52", "en", "concrete_order", ["assault"], "helsingborg", (10000, "SEK"), "today", [("snapchat", "@hbg.crew")], [
        "Need 3 guys to beat someone up in Helsingborg tonight, 10k SEK each, meet at the station 21:00. snap hbg.crew",
    ]),
    o("g53", "sv", "concrete_order", ["shooting"], "goteborg", (50000,), "today", [("telegram", "@hjallbo_22")], [
        "Skott mot dörr i Hjällbo ikväll. 50k. Bil och pjäs finns. dm @hjallbo_22",
        ("🔁 Skott mot dörr i Hjällbo ikväll. 50k. Bil och pjäs finns. dm @hjallbo_22", {"fwd": True}),
        ("Shots at a door in Hjällbo tonight. 50k SEK. Car and gun ready. dm @hjallbo_22", {"lang": "en", "source": "tip"}),
    ]),
    o("g54", "nb", "threat_for_hire", ["threat"], "hamar", (8000,), None, [("telegram", "@hamar_hjelp")], [
        "Trenger hjelp til å skremme en eks-kompis i Hamar. Møte opp hjemme hos ham og vise kniven, ikke bruke den. 8k. @hamar_hjelp",
    ]),
    o("g55", "da", "concrete_order", ["shooting"], "albertslund", (35000,), "tomorrow", [("phone", "+4528417703")], [
        "Skud mod en opgang i Albertslund i morgen nat. 35.000. kontakt 28 41 77 03",
    ]),
    o("g56", "nb", "recruitment", [], "oslo", (10000,), None, [("snapchat", "@ekstra.cash.osl")], [
        "Går du på ungdomsskolen og vil tjene 10k i uka? Vi har oppdrag i Oslo, alt er ordnet. Snap ekstra.cash.osl",
        ("ungdomsskole? 10k i uka, oppdrag i Oslo. snap: ekstra.cash.osl 💸", {"platform": "snapchat"}),
    ], minor=True),
    o("g57", "sv", "concrete_order", ["arson"], "sundsvall", (30000,), "tomorrow", [("telegram", "@norr_eld")], [
        "Tända eld på en trappuppgång i Sundsvall imorgon natt. 30 ton. @norr_eld",
    ]),
    o("g58", "nb", "concrete_order", ["assault", "kidnapping"], "bodo", (40000,), None, [("snapchat", "@bodo.oppgjor")], [
        "Trenger to som kan hente en kar i Bodø, ta han med ut i skogen og gi han bank. 40k. snap bodo.oppgjor",
    ]),
    o("g59", "en", "teaser", ["explosion"], "goteborg", None, None, [], [
        "💣💣 work in Gothenburg, big pay, dm",
    ]),
    o("g60", "sv", "self_ad", ["shooting", "stabbing"], "goteborg", None, None, [("snapchat", "@gbg.ready")], [
        "Är 16, tar jobb i Göteborg med omnejd. Pjäs eller kniv spelar ingen roll. Snap gbg.ready",
    ], minor=True),
    o("g61", "da", "concrete_order", ["explosion"], "kobenhavn", (80000,), "today", [("signal", "@kbh.boom")], [
        "Sprængning ved en frisørsalon på Amager i aften 💥 80k. Kun folk der har gjort det før. Signal kbh.boom",
        ("Explosion at a barber shop in Amager, Copenhagen tonight 💥 80k DKK. Experienced only. Signal kbh.boom", {"lang": "en"}),
    ]),
    o("g62", "nb", "concrete_order", ["shooting"], "baerum", (90000,), "weekend", [("telegram", "@sandvika_jobb")], [
        "Jobb i Sandvika i helga. Skudd mot et vindu i en enebolig 🔫 90k. Sjåfør fikses. @sandvika_jobb",
    ]),
    o("g64", "nb", "threat_for_hire", ["threat"], "skien", (12000,), "sun", [("snapchat", "@skien.jobb")], [
        "Oppdrag i Skien innen søndag: true en fyr sånn at han flytter fra byen. 12k cash. snap: skien.jobb",
    ]),
    o("g63", "sv", "threat_for_hire", ["threat"], "helsingborg", (15000,), None, [("instagram", "@hbg_budet")], [
        "Behöver någon som kan leverera ett meddelande till en person i Helsingborg, på ett sätt han inte glömmer. Hot räcker. 15k. IG: hbg_budet",
    ]),
]

# (language, bucket, text[, overrides])
NEGATIVES: list[tuple[Any, ...]] = [
    # news: reports quoting ads, court, statistics
    ("nb", "news", "Politiet: ungdommer rekrutteres via Telegram med meldinger som «oppdrag i kveld, 80k». Tre personer siktet etter skuddene mot en dør på Holmlia."),
    ("nb", "news", "16-åring dømt for å ha kastet en håndgranat mot en bolig i Oslo. Retten mente han var lovet 50 000 kroner for jobben."),
    ("nb", "news", "Kripos: Foxtrot-nettverket bruker norske tenåringer som «torpedoer». Se hele saken i kveld kl 21."),
    ("nb", "news", "Bil brant i Sarpsborg i natt. Politiet undersøker om brannen var påsatt. Ingen personer skadet."),
    ("nb", "news", "Slik lokkes barn inn i voldsoppdrag: «Alder spiller ingen rolle» står det i annonsene politiet har kartlagt."),
    ("nn", "news", "Politiet i Vest har auka patruljeringa i Loddefjord etter skotlossinga mot ei bustaddør natt til sundag."),
    ("sv", "news", "Polisen: 15-åring gripen efter skottlossning mot lägenhet i Rinkeby. Han ska ha fått uppdraget via Snapchat."),
    ("sv", "news", "Rumba och Foxtrot rekryterar barn som torpeder – i chattarna kallas uppdragen för ”jobb” och betalas i ”lax”."),
    ("sv", "news", "Detonation mot en port i Biskopsgården under natten. Inga skadade, bombtekniker på plats."),
    ("sv", "news", "Åklagaren: tonåringen erbjöds 100 000 kronor för att ”smälla” en dörr i Uppsala. Rättegången inleds i morgon."),
    ("sv", "news", "BRÅ: allt fler våldsuppdrag beställs i krypterade appar. Läs rapporten om våld som tjänst."),
    ("da", "news", "Politiet: svenske drenge hyret til skud i København via Telegram. To anholdt på Nørrebro i aftes."),
    ("da", "news", "Bil brændt af i Vollsmose i nat – politiet efterforsker påsat brand."),
    ("da", "news", "Københavns Politi: 17-årig sigtet for at have taget imod en ”opgave” om at sprænge en dør i Brøndby."),
    ("en", "news", "Swedish gangs recruit teenagers online for shootings in Norway and Denmark, police say. Ads promise 'easy money, age doesn't matter'."),
    ("en", "news", "Europol: violence-as-a-service networks advertise 'jobs' on Telegram with price lists for shootings and bombings."),
    ("nb", "news", "Nytt i saken: 19-åringen som skjøt mot døra i Drammen fikk 80k og ble kjørt til stedet av en sjåfør, ifølge tiltalen.", {"fwd": "Krimnytt Norge"}),
    # warnings: police, school, parents
    ("nb", "warning", "Til foreldre i Groruddalen: vi har sett meldinger på Snapchat der ungdom tilbys «raske penger» for oppdrag. Snakk med barna deres. Hilsen FAU Stovner"),
    ("nb", "warning", "Politiet advarer: Får du tilbud om «jobb» på Telegram for å skade noen, ring 02800 eller tips oss anonymt. Du er ikke alene."),
    ("nb", "warning", "Rektor informerer: Flere elever har mottatt meldinger om betalte «oppdrag». Ikke svar, ta skjermbilde og kontakt kontaktlærer."),
    ("sv", "warning", "Polisen varnar: kriminella nätverk söker unga på TikTok och Snapchat med ”jobb” för 50k. Säg nej och prata med en vuxen."),
    ("sv", "warning", "Till alla föräldrar på Järva: uppdrag som ”smälla” eller ”brösta” är brott med långa straff. Hör av er till fältassistenterna."),
    ("sv", "warning", "Skolan informerar: har ditt barn fått erbjudande om ”snabba pengar” via sociala medier? Kontakta kuratorn eller polisen på 114 14."),
    ("da", "warning", "Politiet advarer forældre: bander hverver unge til ”opgaver” via Snapchat. Tal med jeres børn og ring 114 hvis I bliver bekymrede."),
    ("da", "warning", "Fra skolen i Ishøj: Vi har fået kendskab til beskeder om betalte ”jobs” til elever. Svar ikke – kontakt skolen."),
    ("en", "warning", "PSA for parents: 'job' offers for teens on Telegram that pay 50k for one night are recruitment for violence. Screenshot, block, report."),
    ("nn", "warning", "Politiet åtvarar: Ungdom på Vestlandet får tilbod om «oppdrag» på Snapchat. Ikkje svar, snakk med ein vaksen."),
    ("nb", "warning", "Ikke la deg lure! «Alder spiller ingen rolle» og «under 15 får ingen straff» er løgn. De som sender deg ut bryr seg ikke om deg. – Fritidsklubben"),
    # gigs: teen small jobs
    ("nb", "gig", "Trenger noen til snømåking i Nordstrand i helga. 300 kr, Vipps. Send melding!", {"media": ["media/snow.png"]}),
    ("nb", "gig", "15 år og tar småjobber i Bærum: plenklipping, hundelufting, bære ved. 150 kr/t på Vipps 🙂"),
    ("nb", "gig", "Oppdrag i kveld: trenger barnevakt på Tøyen fra kl 18 til 22. 200 kr timen. Må være minst 16."),
    ("nb", "gig", "Noen som kan hjelpe meg å bære en sofa i 3. etasje på Grünerløkka i morgen? Gir 500 kr + pizza"),
    ("sv", "gig", "Söker någon som kan klippa gräset i Hässelby i helgen, 400 kr via Swish."),
    ("sv", "gig", "14 år och tar småjobb i Angered: rasta hund, skotta snö, bära kassar. Swisha mig 😊"),
    ("sv", "gig", "Uppdrag ikväll: behöver hjälp att flytta en garderob i Västra Hamnen, 300 kr, tar 1h."),
    ("da", "gig", "Søger en til at slå græs i Brabrand i weekenden, 250 kr på MobilePay."),
    ("da", "gig", "Opgave i aften: nogen der kan passe min kat på Nørrebro? 200 kr"),
    ("en", "gig", "Need someone to shovel snow in Frogner tomorrow morning, 400 NOK via Vipps. Kids welcome!", {"media": ["media/snow.png"]}),
    ("nn", "gig", "Treng nokon til å klippe plenen på Voss i helga. 300 kr på Vipps."),
    ("nb", "gig", "Jobb finns? Jeg er 15 og vil tjene litt i sommer. Kan vaske bil, klippe plen, male gjerde. Bor på Hamar."),
    ("sv", "gig", "Tar jobb hela sommaren! Målning, trädgård, flyttstäd. Swisha efter jobbet. Göteborg med omnejd."),
    # jobs: legit professions using the vocabulary
    ("nb", "job", "Sprengningsleder søkes til tunnelprosjekt ved Drammen. Sertifikat for sprengning og 5 års erfaring. Konkurransedyktig lønn."),
    ("nb", "job", "Vekter/dørvakt søkes til utesteder i Oslo sentrum, helg. Godkjent vekterkurs kreves. Søk innen fredag."),
    ("nb", "job", "Skadedyrkontroll AS ansetter: du tar oppdrag over hele Østlandet med rotter, mus og veps. Førerkort B."),
    ("sv", "job", "Bergsprängare sökes till vägbygge i Västerås. Du har skjutledarbevis och erfarenhet av salvor. Tillsvidare."),
    ("sv", "job", "Ordningsvakter sökes till evenemang i Malmö i helgen. 220 kr/h. Krav: förordnande."),
    ("sv", "job", "Jägare sökes till skyddsjakt på vildsvin i Skåne. Vapenlicens och jägarexamen krävs."),
    ("da", "job", "Dørmand søges til natklub i Aarhus, weekender. Krav: dørmandsuddannelse og ren straffeattest."),
    ("da", "job", "Skadedyrsbekæmper søges – opgaver i hele Region Hovedstaden. Autorisation er en fordel."),
    ("en", "job", "Hiring: security guards for festival in Bergen, 3 days, 250 NOK/h. Must hold a valid guard certificate."),
    ("en", "job", "Blasting contractor needed for a quarry near Trondheim. Certified shot-firer, own insurance."),
    ("nn", "job", "Vi søkjer sprengar til vegprosjekt i Sogn. Sertifikat og røynsle er krav."),
    ("nb", "job", "Eventmedarbeider til fyrverkerishow nyttårsaften i Tromsø. Du må være over 18 og ha kurs i pyroteknikk."),
    # lyrics: drill/rap/russ
    ("nb", "lyrics", "🎤 «kom til blokka med en pakke, gjorde oppdraget for gata / 80k i sekken men mamma hun må ikke vite» – ny låt ute fredag 🔥"),
    ("nb", "lyrics", "russelåt 2026 🎉 «vi smeller ned døra på nachspielet, brenner hele kvelden, ingen stopper oss»"),
    ("sv", "lyrics", "nya låten ute 🔫 «torped i natt, smäller på porten, lax i fickan» länk i bion"),
    ("sv", "lyrics", "🎶 ”ungen från orten, femton år men ingen rädsla / uppdrag på uppdrag” – drill från förorten, vad tycker ni?"),
    ("da", "lyrics", "ny sang 🔥 ”skud i natten, opgaven er klaret, penge i lommen” – ude på alle platforme"),
    ("en", "lyrics", "new drill track out now 🔫 'pull up in the night, job done, bag secured' #ukdrill #scandidrill"),
    ("nb", "lyrics", "verset mitt: «tar jobb, hele landet, ingen spør om alder» — hva synes dere om flowen? 😅"),
    ("sv", "lyrics", "Snippet: ”brösta, kniva, bränna, allt för laxen” – full låt på fredag. Bara musik, inget annat."),
    ("nn", "lyrics", "Bygderap 🎤 «skyt på blinken, treff kvar gong, jobb på garden» – ny låt ute no!"),
    ("en", "lyrics", "lyric of the day: 'they paid 50k for a door, now the block remember' – what do y'all think the verse means?"),
    # gaming
    ("nb", "gaming", "Noen som vil ta oppdrag i GTA i kveld? Trenger en til på heisten, vi skyter oss inn i banken 🔫😂"),
    ("nb", "gaming", "Hitman-kontrakt i Hokkaido er så vanskelig. Noen tips til å ta målet uten at noen ser?"),
    ("sv", "gaming", "Söker folk till CS ikväll kl 22, behöver en AWP:are. 15+ går fint, mic krävs."),
    ("sv", "gaming", "GTA RP: min karaktär tar uppdrag åt maffian, 50k per jobb in-game lol. Servern heter Valhalla."),
    ("da", "gaming", "Nogen der vil spille Warzone i aften? Vi mangler en sniper 🔫"),
    ("en", "gaming", "Anyone up for Payday 3 tonight? Bank job at 22:00, need a driver and someone on explosives 💣"),
    ("en", "gaming", "Selling my CS skin: AK-47 | Redline FT, 300 kr. Trade ok."),
    ("nb", "gaming", "Minecraft-server søker moderatorer, alder spiller ingen rolle så lenge du er snill 😄"),
    ("sv", "gaming", "Red Dead Online: bounty på mig 500 dollar igen 😂 vem tar den?"),
    ("nb", "gaming", "Fortnite-turnering på fritidsklubben lørdag! Premie: 500 kr i V-bucks. 13–17 år."),
    ("da", "gaming", "Hitman 3 kontrakter er det bedste. I aften: kniv-only run på Dartmoor 🔪"),
    # banter
    ("nb", "banter", "hvis noen spiser yoghurten min i kjøleskapet igjen bestiller jeg en torpedo 😤😂"),
    ("nb", "banter", "lillebror tilbød meg 50 kr for å «ta ut» storesøster i Mario Kart lol"),
    ("sv", "banter", "ska mörda den här tentan ikväll 🔪📚"),
    ("sv", "banter", "den där pizzan var bomben 💣 smällde verkligen"),
    ("da", "banter", "hvis du bringer ananas på pizza igen så brænder jeg dit køkken af 😂🔥"),
    ("en", "banter", "my manager asked for the report by friday, might need to hire a hitman for my inbox 😂"),
    ("nb", "banter", "oppdrag i kveld: finne ut hvem som tok laderen min. belønning: 100 kr og evig takknemlighet"),
    ("sv", "banter", "tar jobb, hela Sverige: diskar, viker tvätt, lyssnar på dina problem 😂 betalning i kanelbullar"),
    ("nn", "banter", "Skal skyte ned heile helga med Netflix og potetgull 🎬"),
    ("da", "banter", "jeg tager den! sidste stykke kage er mit 🍰"),
    ("nb", "banter", "🔫🔫 vannpistolkrig på Sofienberg kl 15, ta med venner og håndklær"),
    ("en", "banter", "whoever keeps stealing my parking spot, i'm putting a bounty on you: one (1) cinnamon bun"),
    # personal threats, not for hire
    ("nb", "personal_threat", "Hvis du snakker om søstera mi en gang til så kommer jeg hjem til deg. Du vet hvem jeg er."),
    ("nb", "personal_threat", "Du skylder meg 2000 kr siden mars. Betal innen fredag eller så tar jeg det opp med deg ansikt til ansikt."),
    ("sv", "personal_threat", "Säg det där en gång till så ses vi utanför skolan imorgon. Jag lovar."),
    ("sv", "personal_threat", "Du snodde min cykel. Jag vet var du bor, lämna tillbaka den annars blir det bråk."),
    ("da", "personal_threat", "Hvis du rører min lillebror igen, så finder jeg dig. Det er ikke en joke."),
    ("en", "personal_threat", "keep talking trash and see what happens when i catch you at the mall"),
    ("nb", "personal_threat", "kommer til å knuse deg på treninga i morgen, bare vent 😤"),
    ("sv", "personal_threat", "om du inte slutar följa efter min tjej så kommer jag och mina bröder och pratar med dig"),
    ("nn", "personal_threat", "Om du skriv om meg på nettet ein gong til, så møtest vi på bussen."),
    ("da", "personal_threat", "du skal ikke vise dig i Fælledparken igen efter det du gjorde"),
    # drugs (not violence)
    ("nb", "drugs", "🍃🍃 Levering Oslo i kveld. Gram 150, 10g 1200. Snap meg. Kun seriøse."),
    ("nb", "drugs", "Har pakker på lager, Grønland og omegn. Kontakt på wickr, rask levering 🚗"),
    ("sv", "drugs", "Leverans ikväll i hela Sthlm ❄️🍃 bästa priser, skriv i dm"),
    ("sv", "drugs", "Söker springpojkar till leveranser i Göteborg, betalt per tur. Bil är ett plus."),
    ("da", "drugs", "Hash og pills, levering i Kbh i aften. Skriv privat 🍃💊"),
    ("en", "drugs", "Delivering in Malmö tonight 🍃❄️ best prices in town, dm for the menu"),
    ("nb", "drugs", "Trenger sjåfør som kan kjøre pakker Oslo–Bergen i helga, godt betalt, ingen spørsmål."),
    ("sv", "drugs", "Prislista: 🍃 1g 120, 5g 500, ❄️ 1g 800. Uppsala & Stockholm. Snap."),
    ("da", "drugs", "Ny menu 🍃 1g 100, 5g 450, levering Aarhus C hele weekenden"),
    # sales: airsoft, fireworks, knives, jackets
    ("nb", "sale", "Selger airsoft-pistol (Glock-replika) med 2 magasiner, 800 kr. Henting på Lørenskog. Må være over 18."),
    ("nb", "sale", "Fyrverkeri til salgs! Bombebatteri 100 skudd, 600 kr. Kun til nyttår, lovlig kategori F2. Sarpsborg."),
    ("nb", "sale", "Selger jaktkniv fra Helle, ubrukt, 450 kr. Kan sendes."),
    ("nb", "sale", "Bomberjakke str M, svart, brukt én vinter. 350 kr. Hentes på Furuset."),
    ("sv", "sale", "Säljer softairgevär M4, 1200 kr, funkar perfekt. Hämtas i Borås."),
    ("sv", "sale", "Smällare och raketer säljes inför nyår, lagliga, endast till dig över 18. Malmö."),
    ("sv", "sale", "Säljer Mora-kniv och yxa, perfekt för camping, 250 kr för båda."),
    ("da", "sale", "Sælger bomberjakke fra Alpha Industries, str L, 400 kr. Afhentes i Odense."),
    ("da", "sale", "Nytårskrudt sælges – batterier og raketter, kun lovligt krudt. Aalborg."),
    ("en", "sale", "Selling a replica BB pistol, great for airsoft games, 60 EUR, pickup in Helsingborg."),
    ("nn", "sale", "Sel hagle (jaktvåpen) til ein med våpenkort. Beretta, godt halden. 6000 kr. Førde."),
    ("sv", "sale", "Säljer bomberjacka, grön, strl S. 300 kr + frakt. Swish."),
    # fiction, TV, books
    ("nb", "fiction", "Ny episode av «Skyggeoppdraget» i kveld: torpedoen fra Grorud får ordre om å ta ut en rival. Spoiler: han ombestemmer seg."),
    ("nb", "fiction", "Skrivekurs-oppgave: en novelle om en 15-åring som får et «oppdrag» på Snapchat. Hvordan slutter den? Her er utkastet mitt…"),
    ("sv", "fiction", "Såg ”Torpeden” på SVT igår – serien om en kille som tar mord på uppdrag i Södertälje. Otroligt bra skådespeleri."),
    ("sv", "fiction", "Läste ut deckaren där en hitman får 1 mille för ett namn på en lista. Spännande men slutet var svagt."),
    ("da", "fiction", "Den nye krimiserie: en lejemorder i København tager opgaver via en app. Sæson 2 i aften kl 21!"),
    ("en", "fiction", "Book club pick: a thriller about a Swedish teen hired via Telegram to bomb a door. Chapter 3 is brutal."),
    ("en", "fiction", "Just finished John Wick 4. The bounty on him goes up to 20 million, absolutely ridiculous and I loved it."),
    ("nb", "fiction", "Rollespill i kveld: du er en leiemorder i middelalderens Bergen, kongen betaler 100 gull for hodet til en jarl."),
    ("nn", "fiction", "Teaterstykket «Oppdraget» spelar på Det Norske Teatret: ein ung mann får tilbod om pengar for å skyte. Sterkt!"),
    ("da", "fiction", "Podcast-anbefaling: afsnittet om ”opgaverne” – fiktiv lydserie om en dreng fra Vollsmose."),
    # hoaxes
    ("nb", "hoax", "DEL DETTE!!! «Dødsliste» med 20 navn fra skolen går rundt på Snap. Politiet bekrefter at det er en spøk og at ingen er i fare. Ikke spre den videre."),
    ("sv", "hoax", "Kedjebrev: ”om du inte skickar detta till 10 personer kommer en torped hem till dig ikväll” 😂 lägg ner"),
    ("sv", "hoax", "Faktakoll: listan med ”priser på mord” som sprids på TikTok är påhittad av en satirsida."),
    ("da", "hoax", "Den ”dødsliste” der deles på Snapchat er fup. Politiet: det er en kædebesked, ikke en trussel."),
    ("en", "hoax", "That 'hitman price list' going viral is from a parody account. Stop sharing it as if it's real."),
    ("nb", "hoax", "PARODI: Prisliste for å få noen til å rydde rommet sitt: 50k. Å få lillebror til å tømme oppvaskmaskinen: 1 mille 😂"),
    ("sv", "hoax", "SKÄMT: uppdrag ikväll – någon måste äta upp sista bullen innan fredag. 100 lax i belöning 😂 (ni fattar)"),
    ("en", "hoax", "This is a chain message. 'Someone has paid 50k to shoot a random house tonight' – police say it's fake, please don't panic."),
    ("nn", "hoax", "Nei, det finst ikkje nokon «drapsliste» på skulen. Det er ei kjedemelding. – Rektor"),
    # adjacent: money mules, extortion of youth, fight clips, scam jobs, debt collection
    ("nb", "adjacent", "Lån ut bankkontoen din og tjen 5000 kr på en dag! Ingen risiko 💸 dm for info"),
    ("sv", "adjacent", "Söker folk med BankID som kan ta emot betalningar, 10% till dig. Snabba pengar."),
    ("nb", "adjacent", "Fight-klipp fra Oslo S i går 🥊 ny kanal, send inn dine egne klipp"),
    ("sv", "adjacent", "Jobb i Thailand! Kundtjänst, gratis resa och boende, 40k/mån. Ålder spelar ingen roll. Skicka pass."),
    ("da", "adjacent", "Inkasso: Vi overtager din gamle gæld og inddriver lovligt. Ring til vores kontor i Vejle."),
    ("en", "adjacent", "Earn 500 EUR a week receiving packages at your address. No questions asked, start today."),
    ("nb", "adjacent", "Noen har tatt bilder av meg og krever 3000 kr ellers sender de dem til alle. Hva gjør jeg??"),
    ("sv", "adjacent", "Slagsmålsvideos från Sergels torg 🎥 följ för mer, skicka in era klipp"),
    ("nb", "adjacent", "Inkassobyrå søker saksbehandler i Skien. Du jobber med lovlig innkreving etter inkassoloven."),
    ("da", "adjacent", "Tjen hurtige penge: lån din MobilePay ud i en uge, 3000 kr. Skriv privat"),
    ("nb", "news", "To tenåringer pågrepet i Bergen etter at en bil ble satt i brann i natt. Politiet undersøker om de ble betalt for jobben."),
    ("sv", "news", "Tre gripna efter sprängningen i Norrköping i helgen. Enligt polisen hade en av dem fått uppdraget via Telegram för 30 000 kronor."),
    ("da", "news", "Retten i Glostrup: 16-årig svensker idømt fængsel for skud mod en opgang i Albertslund. Han var lovet 40.000 kr."),
    ("en", "news", "Court hears that a 17-year-old was offered 'one mille' on Snapchat to kill a man in Uppsala. Verdict expected next week."),
    ("nn", "news", "Brann i ein bil på Åsane i natt. Politiet held ope om brannen var påsett."),
    ("nb", "warning", "Info fra politiet: vi ser en økning i rekruttering av unge til voldsoppdrag via sosiale medier. Tips oss på 02800."),
    ("sv", "warning", "Fältgruppen i Hjällbo finns på plats ikväll kl 18–22. Har du fått ett erbjudande om ”jobb”? Kom och prata med oss."),
    ("en", "warning", "Reminder from the school in Malmö: never accept 'jobs' from strangers online, even if they say age doesn't matter."),
    ("da", "gig", "15 år og tager små opgaver i Hvidovre: græsslåning, snerydning, hundeluftning. MobilePay 😊"),
    ("nb", "gig", "Trenger noen til å rake løv på Ullern lørdag, 400 kr på Vipps. Passer fint for ungdom."),
    ("en", "gig", "Looking for a teen to help carry moving boxes in Gothenburg on Saturday, 300 SEK via Swish."),
    ("nb", "job", "Vi søker jegere til ettersøk av skadet vilt i Innlandet. Godkjent skyteprøve, og hund er et pluss."),
    ("sv", "job", "Väktare sökes till köpcentrum i Uppsala. Nattskift 22–06. Väktarutbildning krävs."),
    ("da", "job", "Sprængningsmester søges til byggeprojekt ved Aarhus havn. Certifikat påkrævet."),
    ("da", "lyrics", "Ny drill fra Vollsmose 🎤 ”opgave i aften, kniven i lommen, mor må ikke vide det” – hvad synes I?"),
    ("nb", "lyrics", "Russebuss-låt 2026 🚌 «vi tar oppdrag fra Drammen til Tromsø, brenner gjennom natta!»"),
    ("en", "gaming", "Looking for a squad in Tarkov tonight, bring grenades, we're raiding Customs at 22:00"),
    ("nb", "gaming", "GTA RP-serveren trenger flere til politiet og gjengene, 16+ går fint. Søk i #søknader"),
    ("nb", "banter", "skal drepe han som fant opp mandager 😤"),
    ("sv", "banter", "chefen vill ha rapporten innan fredag, ska smälla ihop den ikväll 💥📄"),
    ("da", "banter", "min lillesøster betalte mig 20 kr for at skræmme hendes veninde med en edderkop 🕷😂"),
    ("en", "personal_threat", "you scratched my car and drove off. i know your plate. fix it or i come find you"),
    ("en", "drugs", "Need a runner for deliveries in Oslo this weekend, paid per drop, no questions."),
    ("nb", "sale", "Selger 3 røykgranater til paintball, 200 kr stk. Kun lovlig bruk. Moss."),
    ("da", "sale", "Sælger airsoft-pistol, som ny, 500 kr. Du skal være over 18. Esbjerg."),
    ("sv", "fiction", "Rollspelskampanj ikväll: ni är legosoldater som får 500 guldmynt för att ta ut en drake i Götaland."),
    ("da", "hoax", "Kædebrev: ”send til 15 venner, ellers kommer der en lejemorder i nat” 🙄 stop det"),
    ("en", "adjacent", "Debt collector wanted for a licensed agency in Stockholm. All work follows the Debt Collection Act."),
    ("nb", "adjacent", "«Tjen 10k i uka på å ta imot pakker» – noen som vet om dette er svindel? Virker ekkelt."),
    # hostile text that must pass through unharmed (shown verbatim, never executed)
    ("en", "banter", "<script>alert('varde')</script> lol does this forum escape html? <img src=x onerror=alert(1)>", {"platform": "forum", "channel": "Forum: Webdev Norge", "author": "@xss_tester"}),
    ("en", "banter", "Robert'); DROP TABLE posts;-- 😂 classic. also ' OR '1'='1", {"platform": "forum", "channel": "Forum: Webdev Norge", "author": "@bobby_tables"}),
    ("nb", "banter", "prøvde å kjøre $(rm -rf /) i terminalen på skolen 😬 `cat /etc/passwd` && echo ferdig; | > < & *", {"platform": "discord", "channel": "Kodeklubben #hjelp", "author": "@script_kiddie"}),
    ("nb", "banter", f"Noen som vet hvorfor teksten min blir baklengs? {RLO}gninlob ne re etteD{PDF} og her er usynlige{ZW}{ZW}tegn{ZJ} midt i", {"platform": "forum", "channel": "Forum: Teknisk hjelp", "author": "@unicode_nerd"}),
    ("sv", "banter", "Testar\ttabbar\r\noch radbrytningar\u2028och null-liknande tecken \\u0000 och \\\\ bakåtsnedstreck \"citat\" {{mall}} %s %d ${HOME}", {"platform": "forum", "channel": "Forum: Webdev Norge", "author": "@edgecase_erik"}),
    ("en", "banter", "", {"platform": "instagram", "channel": "Instagram story", "author": "@photo_only", "media": ["media/snow.png"]}),
]

# ---------------------------------------------------------------- Telegram Desktop exports

TG_SINGLE: dict[str, Any] = {
    "name": "Nattskift Øst 🌙", "type": "private_supergroup", "id": 1873302241, "first_id": 4410,
    "messages": [
        {"type": "service", "actor": "Nattskift Øst 🌙", "actor_id": "channel1873302241", "action": "create_group"},
        {"type": "service", "actor": "Kim", "actor_id": "user6120043881", "action": "join_group_by_link", "inviter": "Group"},
        {"from": "Admin 🌙", "from_id": "user5993120055", "lang": "nb", "bucket": "banter",
         "parts": ["Velkommen alle sammen. Les reglene: ingen navn, ingen bilder av ansikter."]},
        {"from": "Admin 🌙", "from_id": "user5993120055", "order": "g01", "photo": "yes",
         "parts": [{"type": "bold", "text": "OPPDRAG I KVELD"}, " 🔫 Holmlia. Skyte mot ei dør, ingen skal treffes. 80k cash. dm ", {"type": "mention", "text": "@kveldsjobb_osl"}]},
        {"from": "Kim", "from_id": "user6120043881", "lang": "nb", "bucket": "reply", "reply_to": 3, "parts": ["dm sendt"]},
        {"type": "service", "actor": "Sander", "actor_id": "user7733019452", "action": "join_group_by_link", "inviter": "Group"},
        {"from": "Sander", "from_id": "user7733019452", "lang": "nb", "bucket": "reply", "reply_to": 3, "parts": ["jeg tar den"]},
        {"from": "Sander", "from_id": "user7733019452", "lang": "nb", "bucket": "banter", "parts": ["hvor er det lettest å parkere på Holmlia egentlig 😂"]},
        {"from": "Admin 🌙", "from_id": "user5993120055", "order": "g06", "fwd": "Prisliste Sør",
         "parts": ["📋 PRISLISTE\n👊 bank: 15k\n🔪 kniv: 50k\n🔫 dør/vindu: 70k\n💣 håndgranat: 150k\nHele Østlandet. Kontakt ", {"type": "mention", "text": "@prisliste_sor"}]},
        {"from": "Mo", "from_id": "user6601288803", "lang": "nb", "bucket": "drugs", "parts": ["noen som har 🍃 på Furuset i kveld?"]},
        {"from": "Admin 🌙", "from_id": "user5993120055", "lang": "nb", "bucket": "banter", "parts": ["Ikke her. Hold tråden ren."]},
        {"from": "Admin 🌙", "from_id": "user5993120055", "order": "g09", "photo": "missing",
         "parts": ["Noen som kan brenne en bil i Sarpsborg i helga? 🔥🚗 Svart Audi. 30 lapper. Snap ", {"type": "bold", "text": "brenn.bil"}]},
        {"from": "Kim", "from_id": "user6120043881", "lang": "nb", "bucket": "news", "fwd": "Krimnytt Norge",
         "parts": ["Politiet: ungdommer rekrutteres på nett til voldsoppdrag. Les mer: ", {"type": "link", "text": "https://nyheter.example.no/krim/oppdrag"}]},
        {"from": "Jonas", "from_id": "user6877001945", "lang": "nb", "bucket": "gig", "parts": ["Off topic men trenger noen til snømåking på Stovner lørdag, 300 kr Vipps"]},
        {"type": "service", "actor": "Jonas", "actor_id": "user6877001945", "action": "remove_members", "members": ["Jonas"]},
        {"from": "Admin 🌙", "from_id": "user5993120055", "order": "g17",
         "parts": [f"opp{ZW}drag 🔫 G r o r u d . 6 0 k . i k v e l d . @ g r o r u d j o b b"]},
        {"from": "Mo", "from_id": "user6601288803", "lang": "nb", "bucket": "reply", "reply_to": 15, "parts": ["sjekk dm bro"]},
        {"from": "Admin 🌙", "from_id": "user5993120055", "order": "g56",
         "parts": ["Går du på ungdomsskolen og vil tjene 10k i uka? Vi har oppdrag i Oslo, alt er ordnet. Snap ", {"type": "mention_name", "text": "ekstra.cash.osl", "user_id": 6290112233}]},
        {"from": "Sander", "from_id": "user7733019452", "lang": "nb", "bucket": "lyrics", "file": "(File not included. Change data exporting settings to download.)", "mime_type": "audio/mpeg",
         "parts": ["ny låt 🎤 «80k i sekken men mamma må ikke vite» haha"]},
        {"from": "Admin 🌙", "from_id": "user5993120055", "order": "g48",
         "parts": ["Trenger 2 stk til jobb på Stovner innen lørdag 🔫 70k til deling. Bli med: ", {"type": "link", "text": "https://t.me/+Qx7vLm2Rk9aZ"}]},
        {"from": "Kim", "from_id": "user6120043881", "lang": "nb", "bucket": "gaming", "parts": ["noen som skal på GTA i kveld? trenger en sjåfør til heisten 😂"]},
        {"from": "Admin 🌙", "from_id": "user5993120055", "order": "g24", "edited": True,
         "parts": ["Brenne en garasje i Drammen i natt. 25k, bensin ligger klart. ", {"type": "mention", "text": "@drammen_nattskift"}]},
        {"type": "service", "actor": "Admin 🌙", "actor_id": "user5993120055", "action": "pin_message"},
        {"from": "Lina", "from_id": "user6034551290", "lang": "nb", "bucket": "warning",
         "parts": ["Dere vet at politiet følger med på sånne grupper? Ring ", {"type": "phone", "text": "02800"}, " hvis noen blir presset."]},
        {"from": "Admin 🌙", "from_id": "user5993120055", "order": "g12",
         "parts": ["Trenger en som kan skremme en kar i Trondheim som skylder meg penger. Bare true han. 10k, innen fredag. ", {"type": "mention", "text": "@skrem_trd"}]},
        {"from": "Admin 🌙", "from_id": "user5993120055", "order": "g22", "fwd": "Nordic Work Board",
         "parts": ["drivers + shooters wanted 🔫🚗 scandinavia, age doesnt matter. tg ", {"type": "mention", "text": "@nordic_work_ok"}]},
        {"from": "Mo", "from_id": "user6601288803", "lang": "en", "bucket": "reply", "reply_to": 25, "parts": ["still open?"]},
        {"from": "Sander", "from_id": "user7733019452", "lang": "nb", "bucket": "sale",
         "parts": ["Selger airsoft-pistol 600 kr, ", {"type": "hashtag", "text": "#airsoft"}, " henting Lørenskog"]},
        {"from": "Admin 🌙", "from_id": "user5993120055", "order": "g18",
         "parts": [{"type": "italic", "text": "𝐎𝐏𝐏𝐃𝐑𝐀𝐆 𝐈 𝐊𝐕𝐄𝐋𝐃"}, " 🔫 Furuset • 50k • ", {"type": "text_link", "text": "@furu_natt", "href": "https://t.me/furu_natt"}]},
        {"from": "Kim", "from_id": "user6120043881", "lang": "nb", "bucket": "banter", "parts": ["😂😂"]},
        {"type": "service", "actor": "Kim", "actor_id": "user6120043881", "action": "invite_members", "members": ["Theo"]},
    ],
}

TG_ACCOUNT_CHATS: list[dict[str, Any]] = [
    {"name": "Ali", "type": "personal_chat", "id": 6612093457, "first_id": 1201, "messages": [
        {"from": "Ali", "from_id": "user6612093457", "lang": "sv", "bucket": "banter", "parts": ["tjena, ses på träningen ikväll?"]},
        {"from": "Demo Analytiker", "from_id": "user5512093377", "lang": "sv", "bucket": "banter", "parts": ["ja kl 19 👍"]},
        {"from": "Ali", "from_id": "user6612093457", "lang": "sv", "bucket": "gig", "parts": ["min morbror behöver hjälp att flytta i helgen, 500 kr Swish"]},
        {"from": "Ali", "from_id": "user6612093457", "order": "g19", "fwd": "Jobb Sthlm 💸",
         "parts": ["Ikväll kl 22 i Rinkeby. Skjuta mot ett fönster, lägenheten är tom. 60k. Bil fixas. ", {"type": "mention", "text": "@rinkeby_natt"}]},
        {"from": "Ali", "from_id": "user6612093457", "lang": "sv", "bucket": "warning", "parts": ["såg detta i en grupp, sjukt. ska vi anmäla?"]},
        {"from": "Demo Analytiker", "from_id": "user5512093377", "lang": "sv", "bucket": "warning", "parts": ["ja, tipsa polisen på 114 14"]},
    ]},
    {"name": "Västkusten Extra", "type": "public_channel", "id": 1755092318, "first_id": 880, "messages": [
        {"type": "service", "actor": "Västkusten Extra", "actor_id": "channel1755092318", "action": "create_channel"},
        {"from": "Västkusten Extra", "from_id": "channel1755092318", "order": "g02", "photo": "yes",
         "parts": ["Uppdrag: smälla en port i Biskopsgården innan fredag 💣 100 ton direkt efter. Skriv ", {"type": "mention", "text": "@smallen_gbg"}]},
        {"from": "Västkusten Extra", "from_id": "channel1755092318", "order": "g04", "parts": ["jobb finns 🔫 Gbg. hör av er privat"]},
        {"from": "Västkusten Extra", "from_id": "channel1755092318", "lang": "sv", "bucket": "drugs", "parts": ["Leverans ikväll Hisingen 🍃 skriv dm"]},
        {"from": "Västkusten Extra", "from_id": "channel1755092318", "order": "g53",
         "parts": ["Skott mot dörr i Hjällbo ikväll. 50k. Bil och pjäs finns. dm ", {"type": "mention", "text": "@hjallbo_22"}]},
        {"from": "Västkusten Extra", "from_id": "channel1755092318", "order": "g60",
         "parts": ["Är 16, tar jobb i Göteborg med omnejd. Pjäs eller kniv spelar ingen roll. Snap ", {"type": "bold", "text": "gbg.ready"}]},
        {"from": "Västkusten Extra", "from_id": "channel1755092318", "lang": "sv", "bucket": "sale", "parts": ["Säljer softairgevär, 900 kr, Borås"]},
        {"from": "Västkusten Extra", "from_id": "channel1755092318", "order": "g25",
         "parts": ["Spränga en ytterdörr i Vivalla imorgon natt. 120k, halva i BTC innan: ", {"type": "code", "text": "{BTC1}"}, ". Kontakt via Session: {SESSION1}"]},
    ]},
    {"name": "Gutta 💯", "type": "private_group", "id": 4421009876, "first_id": 77, "messages": [
        {"type": "service", "actor": "Theo", "actor_id": "user6043312200", "action": "create_group"},
        {"from": "Theo", "from_id": "user6043312200", "lang": "nb", "bucket": "gaming", "parts": ["CS i kveld kl 22? trenger en AWP"]},
        {"from": "Emil", "from_id": "user6701223344", "lang": "nb", "bucket": "banter", "parts": ["jeg tar den 😎"]},
        {"from": "Theo", "from_id": "user6043312200", "lang": "nb", "bucket": "banter", "parts": ["den som taper kjøper kebab, ellers bestiller jeg en torpedo 😂"]},
        {"from": "Emil", "from_id": "user6701223344", "lang": "nb", "bucket": "news", "fwd": "Groruddalen Nyheter",
         "parts": ["Bil brant på Furuset i natt, politiet mistenker påsatt brann"]},
        {"from": "Theo", "from_id": "user6043312200", "lang": "nb", "bucket": "banter", "photo": "missing", "parts": [""]},
    ]},
]

# ---------------------------------------------------------------- CSV (a partner's export; re-posts of known orders + negatives)

CSV_ROWS: list[dict[str, Any]] = [
    {"order": "g01", "platform": "snapchat", "author": "@dm_meg_bror", "channel": "Snapchat story",
     "text": "oppdrag i kveld, Holmlia 🔫\nskudd mot dør, 80k\ndm @kveldsjobb_osl"},
    {"order": "g19", "platform": "telegram", "author": "@kontoret_sthlm", "channel": "Jobb Sthlm 💸",
     "text": "Ikväll kl 22 i Rinkeby, skjuta mot ett fönster, lägenheten är tom, 60k, bil fixas. @rinkeby_natt"},
    {"order": "g03", "platform": "tiktok", "author": "@k4sh_flow", "channel": "TikTok-kommentarer",
     "text": "jobb finns i sthlm 💸 15+ går fint, adda snap jobbsthlm.24", "source": "platform_report"},
    {"order": "g11", "platform": "signal", "author": "@skuggan", "channel": "Signal: Kontakt Syd",
     "text": "Kniva en snubbe i Rosengård imorgon, 150 lax.\nBild och adress i dm.\nSignal: laxjakt.07"},
    {"order": "g46", "platform": "telegram", "author": "@opgave_dk", "channel": "Opgaver KBH", "fwd": "Vestegnen Jobs",
     "text": "Brænd en bil af på Nørrebro i nat 🔥, 20k, skriv @nbro_ild"},
    {"order": "g23", "platform": "telegram", "author": "@opgave_dk", "channel": "Jylland Ekstra",
     "text": "PRISER: trusler 5k, tæsk 15k, 🔪 35k, 🔫 mod dør 50k, 🔥 bil 20k.\nHele Sjælland.\nThreema: K7XQ2M9P"},
    {"order": "g38", "platform": "signal", "author": "@ghost_ops", "channel": "Signal: Nattskift",
     "text": "Grenade job at Tøyen this weekend 💣 200k NOK, half up front in ETH. Signal @toyen.work", "when": "weekend"},
    {"order": "g64", "platform": "snapchat", "author": "@bror.jobb", "channel": "Snapchat story",
     "text": "Oppdrag i Skien innen søndag: true en fyr, så han flytter. 12k, cash. snap: skien.jobb"},
    {"lang": "nb", "bucket": "news", "platform": "facebook", "author": "@lokalavisa_ost", "channel": "Hva skjer i Drammen",
     "text": "Politiet, som har etterforsket saken i to måneder, sier at annonsen lød: «oppdrag i kveld, 80k».\nTre er siktet."},
    {"lang": "sv", "bucket": "gig", "platform": "facebook", "author": "@britt_m", "channel": "Småjobb Göteborg",
     "text": "Hej! Söker någon som kan skotta snö, klippa häck och bära ved i Kortedala.\n300 kr/h, Swish.\nHör av er, tack!"},
    {"lang": "da", "bucket": "sale", "platform": "facebook", "author": "@mads.p", "channel": "Køb og salg Odense",
     "text": "Sælger: airsoft-gevær, 2 magasiner, briller. 700 kr, afhentes i Vollsmose"},
    {"lang": "en", "bucket": "job", "platform": "forum", "author": "@vaktselskapet", "channel": "Forum: Security Work",
     "text": "Doormen wanted for Oslo nightlife, Fri–Sat, 22:00–03:30.\nRequirements: guard certificate, clean record, Norwegian or English."},
    {"lang": "nb", "bucket": "lyrics", "platform": "tiktok", "author": "@lil_grorud", "channel": "TikTok live",
     "text": "«tar oppdrag, hele byen, ingen spør hvem» – ny låt, hva syns dere? 🔥"},
    {"lang": "sv", "bucket": "warning", "platform": "instagram", "author": "@polisen_info_syd", "channel": "Instagram story",
     "text": "Har du fått ett ”jobb”-erbjudande, t.ex. ”smälla en dörr, 50k”? Säg nej, ring 114 14."},
    {"lang": "nb", "bucket": "gaming", "platform": "discord", "author": "@fragmaster", "channel": "CS-gutta #snakk",
     "text": "noen som vil ta heist-oppdraget i GTA i kveld? \"sjåfør\" trengs, kl 21"},
    {"lang": "nn", "bucket": "gig", "platform": "facebook", "author": "@farmor_ingrid", "channel": "Småjobbar på Voss",
     "text": "Treng hjelp til snømåking, Voss sentrum, laurdag.\n250 kr på Vipps."},
    {"lang": "da", "bucket": "banter", "platform": "x", "author": "@freja_dk",
     "text": "mandag morgen, kaffe og en \"opgave\" fra chefen, der skulle have været løst i går 🙃"},
    {"lang": "en", "bucket": "banter", "platform": "forum", "author": "@bobby_tables", "channel": "Forum: Webdev Norge",
     "text": "CSV test: \"quoted\", comma, semicolon; pipe | and a newline\nhere <b>bold</b> '; DROP TABLE posts;--"},
    {"lang": "sv", "bucket": "drugs", "platform": "telegram", "author": "@anon_2000", "channel": "Köp & Sälj Göteborg",
     "text": "Leverans ikväll, hela Gbg 🍃 snabbt och diskret"},
    {"lang": "nb", "bucket": "hoax", "platform": "snapchat", "author": "@nora_b", "channel": "Snapchat story",
     "text": "IKKE DEL: den «dødslista» fra 9B er bare en kjedemelding, politiet har sjekket, ingen fare.", "media": ["media/flyer.png", "media/snow.png"]},
]
