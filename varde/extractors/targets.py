"""Target: who or what the job is aimed at — a person, a residence, a business, a vehicle or a group.

Target nouns come from data/targets.yaml. A noun counts as the target when it is the object of the job: it follows
an act or an aiming preposition within a few words ("skyte mot døra", "bränna en bil", "besøk hos en kar", "slå
en kille") or is the subject of what will befall it ("et hus skal få besøk"). Without such a mention the first
person, residence, business or group noun is taken; a vehicle only with an act nearby, because "bil stiller vi med"
is logistics, not a target. Words inside handles and links are skipped, but an `@handle` a bounty is put on
("50k til den som tar ut @someone", `varde.extractors.bounty`) is the target itself (kind person) and comes first.
The span runs from a determiner or possessive before the noun ("en", "hans", "the") to a short phrase after it
("på Grønland", "som säljer för fel folk"), stopping at punctuation.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

from varde.extractors.bounty import bounty_handles
from varde.extractors.gazetteer import words
from varde.extractors.spacing import inside_any
from varde.records import Target

_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_MASK = re.compile(
    r"(?:https?://|www\.|t\.me/)\S+|[\w.+-]{1,64}@[\w-]{1,63}\.[\w.]{1,63}|(?<!\w)@\w[\w.]{0,64}"
    r"|\b\w{1,64}[._]\w{1,64}\b"
)
_ACTS = words(
    "mot mod against at på ved vid hos til till skyte skyt skyt skjut skjuta skjuter skyd skyde shoot shooting "
    "bränn bränna brenn brenne brenner brand brænd brænde burn torch tenn tenne fyr sprenge spreng spräng spränga "
    "sprænge smell smelle smäll smälla bomb bombe knive knivstikk knivhugg stikke stikk hugge slå slag banke banka "
    "bank juling tæsk tæske misshandla mishandle beat hit rob robbe råne råna kidnappe kidnappa kidnap bortføre true "
    "true hota hot true threaten skremme skremm skrämma skræmme scare besøk besök besøg visit fjerne ta ut drepe "
    "döda dræbe kill murder straffe straffa punish ødelegge förstöra ødelægge smash knuse krossa vandalisere "
    "target inn in i into gjennom genom through sprängning sprengning sprængning skyting skjutning skottlossning "
    "skyderi knivstikking knivhugg brann brand bränning påtenning ildspåsættelse"
)
_FATE = words("skal ska skall will må måste must trenger behöver needs får")
_LOGISTICS = words(
    "stiller stilles fikses fikser fiks ordnes ordner ordnar ordna fixas fixar fixat fixa provided sørger sørges "
    "skaffer skaffar skaffes lån låna låne lånt transport egen eget eigen own har have kjøre köra køre drive "
    "sjåfør chaufför driver körkort førerkort lappen leverer levererar delivered får with med"
)
_DETERMINERS = words(
    "en ett et ei a an the hans hennes hendes his her deres their dess denne dette dennes this that den det "
    "ny nya nye gamle gamla svart svarta sort sorte black hvit vit hvide white rød röd røde röda red grå gray "
    "blå blue samme same"
)
_TAIL_START = words(
    "på i in at on by ved vid fra från from utenfor utanför udenfor outside som who that der där near nær"
)
_SET_FIRE = words("sette satte sett setter sætte sætter satt sätta sätter tenne tent")
_STREET = words("street road avenue gate gata gatan vej vei veien vägen plass plassen torg torget plads pladsen")
_RELATIVE = words("som who that der där")
# A tail ends before time words, body parts ("i benet" is where, not whom) and conjunctions.
_TAIL_STOP = words(
    "kveld kvelden kväll kvällen kvell aften natt natten nat morgen morgon imorgon dag idag helgen helga weekenden "
    "tonight tomorrow today weekend mandag måndag monday tirsdag tisdag tuesday onsdag wednesday torsdag thursday "
    "fredag friday lørdag lördag saturday søndag söndag sunday asap nå nu now "
    "benet beinet beina benen låret lårene foten føttene armen armene knæet kneet knät knærne ryggen magen hodet "
    "huvudet hovedet ansiktet ansiktet leg legs arm arms knee knees head face "
    "and og och men but eller or samt plus"
)
_STOP_AFTER = re.compile(r"[.,;:!?\n–—(){}\[\]|/+]")


@cache
def _lexicon() -> dict[str, str]:
    text = resources.files("varde.extractors").joinpath("data", "targets.yaml").read_text(encoding="utf-8")
    data: dict[str, list[str]] = yaml.safe_load(text)
    return {word.casefold(): kind for kind, items in data.items() for word in items}


def extract_target(text: str, language: str | None) -> Target | None:
    """The target of the job named in `text`, or None when none is named."""
    handles = bounty_handles(text)
    if handles:
        start, end = handles[0]
        return Target(text[start:end], "person", (start, end))
    lexicon = _lexicon()
    masked = [m.span() for m in _MASK.finditer(text)]
    tokens = [m for m in _TOKEN.finditer(text) if not inside_any(masked, m.start())]
    first: tuple[int, str] | None = None
    for i, token in enumerate(tokens):
        kind = lexicon.get(token.group(0).casefold())
        if kind is None or (i > 0 and tokens[i - 1].group(0).casefold() in _SET_FIRE):  # "sette fyr på"
            continue
        near_before = [t.group(0).casefold() for t in tokens[max(0, i - 4) : i] if t.end() > token.start() - 40]
        near_after = [t.group(0).casefold() for t in tokens[i + 1 : i + 4] if t.start() < token.end() + 30]
        acted = any(w in _ACTS for w in near_before) or (near_after[:1] and near_after[0] in _FATE)
        logistics = any(w in _LOGISTICS for w in near_before[-2:] + near_after[:2])
        if kind == "vehicle" and (logistics or not acted):
            continue
        if acted and not logistics:
            return _target(text, tokens, i, kind)
        if first is None and not logistics:
            first = (i, kind)
    if first is None:
        return None
    return _target(text, tokens, first[0], first[1])


def _target(text: str, tokens: list[re.Match[str]], i: int, kind: str) -> Target:
    start, first = tokens[i].start(), i
    # A compound written apart ("rival gang"): the head is the last noun.
    while i + 1 < len(tokens) and text[tokens[i].end() : tokens[i + 1].start()] == " ":
        head = _lexicon().get(tokens[i + 1].group(0).casefold())
        if head is None:
            break
        i, kind = i + 1, head
    end = tokens[i].end()
    j = first - 1
    while j >= 0 and first - j <= 2 and tokens[j].group(0).casefold() in _DETERMINERS:
        if _STOP_AFTER.search(text[tokens[j].end() : start]):
            break
        start = tokens[j].start()
        j -= 1
    if i + 1 < len(tokens) and tokens[i + 1].group(0).casefold() in _TAIL_START:
        stop = _STOP_AFTER.search(text, end)
        limit = stop.start() if stop else len(text)
        relative = tokens[i + 1].group(0).casefold() in _RELATIVE
        k = i + 1
        while k < len(tokens) and k - i <= 6 and tokens[k].end() <= limit:
            word = tokens[k].group(0)
            if word.casefold() in _FATE or word.casefold() in _TAIL_STOP:
                break
            # A place phrase is the preposition and a name ("på Grønland", "in Aarhus"), not what follows it.
            previous = tokens[k - 1].group(0)
            if (
                not relative
                and k >= i + 3
                and not word[:1].isupper()
                and previous.casefold() not in _DETERMINERS
                and word.casefold() not in _STREET
            ):
                break
            end = tokens[k].end()
            k += 1
        if k == i + 2:  # only the preposition was taken: "vindu i 🔫" keeps "vindu"
            end = tokens[i].end()
    return Target(text[start:end], kind, (start, end))
