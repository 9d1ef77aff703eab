"""Pictures for the easy-read form: small SVG drawings made of circles, lines and paths.

Each is decorative (aria-hidden): the words beside it say the same thing. Colours are attributes,
not style, so the page keeps to the service's CSP.
"""

from django.utils.safestring import mark_safe

_OPEN = (
    '<svg class="app-feedback-icon" viewBox="0 0 64 64" width="64" height="64" '
    'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">'
)
_FACE = '<circle cx="32" cy="32" r="28" fill="{fill}" stroke="#0b0c0c" stroke-width="3"/>'
_EYES = (
    '<circle cx="23" cy="26" r="4" fill="#0b0c0c"/><circle cx="41" cy="26" r="4" fill="#0b0c0c"/>'
)
_LINE = 'fill="none" stroke="#0b0c0c" stroke-width="4" stroke-linecap="round"'


def _svg(*parts: str) -> str:
    return mark_safe(_OPEN + "".join(parts) + "</svg>")  # noqa: S308 (constant drawings)


HAPPY = _svg(_FACE.format(fill="#ffdd00"), _EYES, f'<path d="M18 38 Q32 52 46 38" {_LINE}/>')
MIDDLE = _svg(_FACE.format(fill="#ffdd00"), _EYES, f'<path d="M20 42 H44" {_LINE}/>')
SAD = _svg(_FACE.format(fill="#ffdd00"), _EYES, f'<path d="M18 46 Q32 34 46 46" {_LINE}/>')
UNSURE = _svg(
    '<circle cx="32" cy="32" r="28" fill="#ffffff" stroke="#0b0c0c" stroke-width="3"/>',
    f'<path d="M24 24 Q24 14 32 14 Q41 14 41 23 Q41 30 32 33 V39" {_LINE}/>',
    '<circle cx="32" cy="48" r="3.5" fill="#0b0c0c"/>',
)
EAR = _svg(
    f'<path d="M22 40 Q14 8 36 8 Q52 8 50 26 Q48 36 40 40 Q34 44 34 52 Q34 58 27 58" {_LINE}/>',
    f'<path d="M30 28 Q30 18 38 18 Q44 18 43 26" {_LINE}/>',
)
HAND = _svg(
    f'<path d="M22 58 V24 M22 30 V12 M30 30 V8 M38 30 V10 M46 34 V18 M22 58 H44 Q50 50 46 34" '
    f"{_LINE}/>",
)
PLAN = _svg(
    '<rect x="14" y="8" width="36" height="48" rx="3" fill="#ffffff" stroke="#0b0c0c" '
    'stroke-width="3"/>',
    f'<path d="M22 22 H42 M22 32 H42 M22 42 H34" {_LINE}/>',
)
ROOM = _svg(
    '<circle cx="20" cy="18" r="7" fill="#1d70b8"/><circle cx="44" cy="18" r="7" fill="#00703c"/>',
    f'<path d="M8 40 H56 M14 40 V56 M50 40 V56" {_LINE}/>',
    '<path d="M12 38 Q20 24 28 38 Z M36 38 Q44 24 52 38 Z" fill="#0b0c0c"/>',
)
TALK = _svg(
    '<path d="M8 12 H56 V40 H28 L16 52 V40 H8 Z" fill="#ffffff" stroke="#0b0c0c" '
    'stroke-width="3" stroke-linejoin="round"/>',
    f'<path d="M18 24 H46 M18 31 H38" {_LINE}/>',
)
PENCIL = _svg(
    '<path d="M14 50 L44 12 L52 18 L22 56 Z" fill="#ffdd00" stroke="#0b0c0c" stroke-width="3" '
    'stroke-linejoin="round"/>',
    '<path d="M14 50 L12 60 L22 56 Z" fill="#0b0c0c"/>',
)
HELPER = _svg(
    '<circle cx="20" cy="16" r="8" fill="#1d70b8"/><circle cx="44" cy="22" r="6" fill="#00703c"/>',
    '<path d="M6 56 Q6 30 20 30 Q34 30 34 56 Z" fill="#1d70b8"/>',
    '<path d="M34 56 Q34 34 44 34 Q54 34 54 56 Z" fill="#00703c"/>',
)
NOT = _svg(
    '<circle cx="32" cy="32" r="26" fill="#ffffff" stroke="#0b0c0c" stroke-width="3"/>',
    f'<path d="M20 20 L44 44 M44 20 L20 44" {_LINE}/>',
)
PRIVATE = _svg(
    '<rect x="14" y="28" width="36" height="28" rx="3" fill="#0b0c0c"/>',
    f'<path d="M22 28 V20 Q22 10 32 10 Q42 10 42 20 V28" {_LINE}/>',
)
NAME = _svg(
    '<rect x="6" y="16" width="52" height="32" rx="4" fill="#ffffff" stroke="#0b0c0c" '
    'stroke-width="3"/>',
    '<circle cx="20" cy="30" r="6" fill="#1d70b8"/>',
    f'<path d="M32 27 H50 M32 36 H46" {_LINE}/>',
)

ICONS = {
    "listened": EAR,
    "involved": HAND,
    "plans_discussed": PLAN,
    "all": HAPPY,
    "some": MIDDLE,
    "no": SAD,
    "unsure": UNSURE,
    "yes": HAPPY,
    "came": ROOM,
    "talked": TALK,
    "wrote": PENCIL,
    "someone": HELPER,
    "not": NOT,
    "named_no": PRIVATE,
    "named_yes": NAME,
}
