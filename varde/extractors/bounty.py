"""Bounty targets: the `@handle` a bounty is put on ("50k til den som tar ut @someone", "100k to whoever finds
@x", "belöning till den som tar hand om @x").

A handle right after an act ("tar ut", "take out", "finds", "straffer", "knuser", "tar hand om"…, with an optional
"på/mot/against"), after a bounty's price ("Bounty 75k på @x", "reward for @x"), or with what is to befall it
("have @x beaten up", "@x skal få juling") names whom the job is aimed at, so it is the target and not a way to
reach the poster. The act
words are those of these ads in nb/nn, sv, da and en, compiled by hand for Varde.
"""

from __future__ import annotations

import re

_ACT = (
    r"tar\s+ut|ta\s+ut|tek\s+ut|tager\s+ud|tage\s+ud|tar\s+hand\s+om|ta\s+hand\s+om|tar\s+seg\s+av|ta\s+seg\s+av|"
    r"tar\s+sig\s+af|takes?\s+out|taking\s+out|takes?\s+care\s+of|deals?\s+with|gets?\s+rid\s+of|"
    r"finner|hittar|finder|finds|"
    r"skyt(?:er|e)?|skjut(?:er|a)?|skyd(?:er|e)?|shoots?|stikk(?:er|e)?|knivhugg(?:er)?|stab(?:s)?|"
    r"bank(?:er|e|a|ar)?|slå(?:r)?|juling\s+til|beats?\s+up|hits|knus(?:er|e)?|krossa(?:r)?|smash(?:es)?|"
    r"straff(?:er|e|a|ar)?|punish(?:es)?|drep(?:er|e)?|döda(?:r)?|dræb(?:er|e)?|kills?|"
    r"fjern(?:er|e)?|rydd(?:er|e)?\s+av\s+veien|silence[sd]?|teach(?:es)?|lær(?:er)?|skremm(?:er|e)|skräm(?:mer|ma)"
)
_BOUNTY_HANDLE = re.compile(
    rf"(?<!\w)(?:{_ACT})\s+(?:(?:på|pa|mot|mod|against|on|at|opp|up)\s+)?(?P<handle>@[A-Za-z0-9_][A-Za-z0-9_.]{{0,30}}"
    r"[A-Za-z0-9_])(?![\w@])",
    re.IGNORECASE,
)


_HANDLE = r"(?P<handle>@[A-Za-z0-9_][A-Za-z0-9_.]{0,30}[A-Za-z0-9_])(?![\w@])"
# "Bounty 75k på @x", "dusør på @x", "reward for @x", "belöning 200 000 kr för @x".
_PRICE_ON = re.compile(
    r"(?<!\w)(?:bounty|dusør|dusor|dusøren|belønning|belöning|belønningen|belöningen|reward|hodepris|skottpeng\w*)"
    r"(?:[^@\n]{0,30}?\s)?(?:på|pa|for|för|on|om|mot|against)\s+" + _HANDLE,
    re.IGNORECASE,
)
# "to have @x beaten up", "vil ha @x banket", "want @x gone", "@x skal få juling", "@x ska få stryk".
_DONE_TO = re.compile(
    r"(?<!\w)(?:have|get|see|want|ha|få|se|vil\s+ha|vill\s+ha|vil\s+have)\s+" + _HANDLE + r"\s+(?:beaten|shot|stabbed|"
    r"dead|gone|hurt|banket|skutt|knivstukket|død|borte|slått|straffet|skadet|skjuten|knivhuggen|död|borta|slagen|"
    r"skadad|tæsket|skudt|stukket|væk)",
    re.IGNORECASE,
)
_FATE = re.compile(
    _HANDLE + r"\s+(?:skal|ska|skall|will|must|må|should|shall)\s+(?:\w+\s+){0,2}?(?:ha|få|have|get|bli|bliver|blir)?"
    r"\s*(?:juling|bank|stryk|tæsk|straff\w*|skytes|skjutas|skydes|dø|dö|die|pay|betale|betala|lide|suffer|smake|"
    r"beaten|shot|stabbed|hurt)(?!\w)",
    re.IGNORECASE,
)


def bounty_handles(text: str) -> list[tuple[int, int]]:
    """The spans of the `@handle`s in `text` that a bounty or job is aimed at, in text order."""
    spans = {
        m.span("handle") for pattern in (_BOUNTY_HANDLE, _PRICE_ON, _DONE_TO, _FATE) for m in pattern.finditer(text)
    }
    return sorted(spans)
