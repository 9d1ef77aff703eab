"""SSDA903 episode rules as pure functions: episodes in, problems out. No ORM.

Sources: docs/rules.md section 3 (903 validator rule numbers given with each check). The services in
iro.services.episodes build the history a change would produce and ask `history_problems` about
it, so the forms, the API and the synthetic data generator all pass the same checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from iro.codes import (
    ADOPTION_PLACEMENT_TYPES,
    FOSTER_PLACEMENT_TYPES,
    NO_PROVIDER_PLACEMENT_TYPES,
    PLACEMENT_CHANGE_RNE,
    RETIRED_PLACEMENT_TYPES,
    TEMPORARY_PLACEMENT_TYPES,
    YOUTH_JUSTICE_LEGAL_STATUSES,
)
from iro.rules import age_on

X1 = "X1"
FORMER_FOSTER_CARER_SGO = frozenset({"E45", "E46"})
START = "S"
NON_FIELD = "__all__"


@dataclass(frozen=True)
class Episode:
    """The 903 fields of one episode that the rules look at."""

    start: date
    reason_new_episode: str
    legal_status: str
    category_of_need: str
    placement_type: str
    placement_provider: str = ""
    placement_postcode: str = ""
    placement_urn: str = ""
    end: date | None = None
    reason_ceased: str = ""
    reason_place_change: str = ""
    distance_miles: Decimal | None = None
    key: object = field(default=None, compare=False)

    def with_(self, **changes) -> Episode:
        return replace(self, **changes)


@dataclass(frozen=True)
class Problem:
    """A broken rule: which episode (index in the sorted history), which field, and why."""

    index: int
    field: str
    message: str


# --- Deciding the reason for a new episode ----------------------------------------------------


def placement_changed(previous: Episode, new: Episode) -> bool:
    """A placement change means PLACE, PL_POST, URN or PLACE_PROVIDER changed (903 rules 434-436)."""
    return (
        previous.placement_type != new.placement_type
        or previous.placement_postcode.replace(" ", "").upper()
        != new.placement_postcode.replace(" ", "").upper()
        or previous.placement_urn != new.placement_urn
        or previous.placement_provider != new.placement_provider
    )


def rne_for_change(
    *, legal_status_changed: bool, placement_changed: bool, carer_changed: bool
) -> str:
    """The RNE code for a change within a period of care.

    L: legal status only; T: placement, same carer; P: placement and carer; U: legal status and
    placement, same carer; B: legal status, placement and carer. Raises ValueError when nothing
    changed, or when the carer changed without the placement changing.
    """
    if carer_changed and not placement_changed:
        raise ValueError("A change of carer is a change of placement.")
    if legal_status_changed and placement_changed:
        return "B" if carer_changed else "U"
    if legal_status_changed:
        return "L"
    if placement_changed:
        return "P" if carer_changed else "T"
    raise ValueError("Neither the legal status nor the placement changed.")


# --- Single-episode checks --------------------------------------------------------------------


def placement_provider_problems(placement_type: str, provider: str) -> list[str]:
    """Placement provider against placement type (903 rules 213, 526-531)."""
    if placement_type in NO_PROVIDER_PLACEMENT_TYPES:
        if provider:
            return [f"Leave the placement provider blank for a {placement_type} placement."]
        return []
    if not provider:
        return [f"Enter the placement provider for a {placement_type} placement."]
    if provider == "PR0" and placement_type != "P1":
        return ["PR0 (parent or person with parental responsibility) is only for P1 placements."]
    if provider in {"PR1", "PR2"} and placement_type in {"P1", "R2", "R5"}:
        return [f"{provider} is not allowed with a {placement_type} placement."]
    if provider == "PR3" and placement_type in (
        {"P1", "K1", "K2"} | ADOPTION_PLACEMENT_TYPES | FOSTER_PLACEMENT_TYPES
    ):
        return [f"PR3 (other public provision) is not allowed with a {placement_type} placement."]
    if provider in {"PR4", "PR5"} and placement_type == "P1":
        return [f"{provider} is not allowed with a P1 placement."]
    return []


def retired_code_problems(episode: Episode) -> dict[str, str]:
    """Codes no longer valid for new episodes (H5, P2, Z1 retired after 2024/25)."""
    if episode.placement_type in RETIRED_PLACEMENT_TYPES:
        return {
            "placement_type": f"{episode.placement_type} is no longer a valid placement type. "
            "Choose a current code."
        }
    return {}


def youth_justice_age_problem(legal_status: str, date_of_birth: date | None, on: date) -> str:
    """J1-J3 legal statuses are not for a child under 10 (903 rule 358)."""
    if legal_status in YOUTH_JUSTICE_LEGAL_STATUSES and (
        date_of_birth is None or age_on(date_of_birth, on) < 10
    ):
        return f"A child under 10 cannot have legal status {legal_status}."
    return ""


def episode_problems(episode: Episode, date_of_birth: date | None) -> dict[str, str]:
    """Checks on one episode's own fields, whatever comes before or after it."""
    problems: dict[str, str] = {}
    if episode.end is not None and episode.end < episode.start:
        problems["end"] = "The end date must be on or after the start date."
    if (episode.end is None) != (not episode.reason_ceased):
        if episode.end is None:
            problems["reason_ceased"] = "An open episode has no reason ceased."
        else:
            problems["reason_ceased"] = "Enter the reason the episode ceased."
    if date_of_birth is not None and episode.start < date_of_birth:
        problems["start"] = "The episode cannot start before the child was born."
    for message in placement_provider_problems(episode.placement_type, episode.placement_provider):
        problems["placement_provider"] = message
    youth = youth_justice_age_problem(episode.legal_status, date_of_birth, episode.start)
    if youth:
        problems["legal_status"] = youth
    if episode.placement_type == "P1" and episode.legal_status == "V2":
        problems["placement_type"] = (
            "A child accommodated under section 20 (V2) cannot be placed with parents (P1)."
        )
    if episode.reason_place_change and (
        episode.end is None or episode.placement_type in TEMPORARY_PLACEMENT_TYPES
    ):
        problems["reason_place_change"] = (
            "Leave the reason for placement change blank on an open or temporary episode."
        )
    if episode.reason_place_change == "CUSTOD" and (
        date_of_birth is None or age_on(date_of_birth, episode.end or episode.start) < 10
    ):
        problems["reason_place_change"] = "Custody is not a reason for a child under 10."
    if episode.distance_miles is not None and episode.distance_miles < 0:
        problems["distance_miles"] = "The distance cannot be negative."
    if (
        episode.reason_ceased in FORMER_FOSTER_CARER_SGO
        and episode.placement_type not in FOSTER_PLACEMENT_TYPES
    ):
        # 903 rule 516: a special guardianship order to the former foster carer (E45/E46) ends
        # a foster placement (U1-U6).
        problems["reason_ceased"] = (
            f"{episode.reason_ceased} (special guardianship order to the former foster carer) "
            "needs a foster placement (U1 to U6)."
        )
    return problems


# --- History checks ---------------------------------------------------------------------------


def sort_history(episodes: list[Episode]) -> list[Episode]:
    return sorted(episodes, key=lambda e: (e.start, e.end is None, e.end or date.max))


def history_problems(episodes: list[Episode], date_of_birth: date | None) -> list[Problem]:
    """Every rule broken by a child's whole episode history (sorted by start).

    - each episode's own checks (episode_problems);
    - no overlaps (501) and at most one open episode, the last (142);
    - the first episode, and any after an ending other than X1, has RNE S (357, 432);
    - X1 chains into the next episode on the same day (388, 433), whose RNE is not S;
      the last episode cannot end with X1;
    - an S episode may not start on the day the previous episode ended (431);
    - RNE matches what changed (434-436);
    - category of need constant within a period of care (504);
    - reason for placement change given when X1 leads to a placement change, unless either
      episode is temporary (225);
    - a period of care does not start with a temporary placement (380).
    """
    history = sort_history(episodes)
    problems: list[Problem] = []
    for index, episode in enumerate(history):
        for field_name, message in episode_problems(episode, date_of_birth).items():
            problems.append(Problem(index, field_name, message))
    period_cin = None
    for index, episode in enumerate(history):
        previous = history[index - 1] if index else None
        if episode.end is None and index != len(history) - 1:
            problems.append(Problem(index, "end", "Only the latest episode can be open."))
        if previous is None or previous.reason_ceased != X1:
            # Start of a period of care.
            if episode.reason_new_episode != START:
                problems.append(
                    Problem(
                        index,
                        "reason_new_episode",
                        "A period of care must start with reason S (started to be looked after).",
                    )
                )
            if previous is not None and previous.end is not None:
                if episode.start < previous.end:
                    problems.append(
                        Problem(index, "start", "This episode overlaps the previous one.")
                    )
                elif episode.start == previous.end:
                    problems.append(
                        Problem(
                            index,
                            "start",
                            "A new period of care cannot start on the day the previous one ended.",
                        )
                    )
            if previous is not None and previous.end is None:
                problems.append(Problem(index, "start", "This episode overlaps the previous one."))
            if episode.placement_type in TEMPORARY_PLACEMENT_TYPES:
                problems.append(
                    Problem(
                        index,
                        "placement_type",
                        "A period of care cannot start with a temporary placement.",
                    )
                )
            period_cin = episode.category_of_need
            continue
        # Continues a period of care: previous ended with X1.
        if episode.start != previous.end:
            problems.append(
                Problem(
                    index,
                    "start",
                    "After an episode ends with X1 the next one must start the same day.",
                )
            )
        if episode.reason_new_episode == START:
            problems.append(
                Problem(
                    index,
                    "reason_new_episode",
                    "Reason S starts a period of care; the previous episode ended with X1.",
                )
            )
        else:
            problems.extend(_rne_problems(index, previous, episode))
        if episode.category_of_need != period_cin:
            problems.append(
                Problem(
                    index,
                    "category_of_need",
                    f"The category of need stays {period_cin} for the whole period of care.",
                )
            )
        if (
            episode.reason_new_episode in PLACEMENT_CHANGE_RNE
            and not previous.reason_place_change
            and previous.placement_type not in TEMPORARY_PLACEMENT_TYPES
            and episode.placement_type not in TEMPORARY_PLACEMENT_TYPES
        ):
            problems.append(
                Problem(
                    index - 1,
                    "reason_place_change",
                    "Enter the reason for the placement change.",
                )
            )
    if history and history[-1].reason_ceased == X1:
        problems.append(
            Problem(
                len(history) - 1,
                "reason_ceased",
                "X1 means a new episode starts the same day; use another reason to end care.",
            )
        )
    return problems


def _rne_problems(index: int, previous: Episode, episode: Episode) -> list[Problem]:
    ls_changed = previous.legal_status != episode.legal_status
    pl_changed = placement_changed(previous, episode)
    rne = episode.reason_new_episode
    if not ls_changed and not pl_changed:
        return [
            Problem(
                index,
                NON_FIELD,
                "Neither the legal status nor the placement changed, so there is no new episode.",
            )
        ]
    problems = []
    if rne in {"L", "B", "U"} and not ls_changed:
        problems.append(
            Problem(index, "reason_new_episode", f"Reason {rne} needs a change of legal status.")
        )
    if rne in {"P", "T"} and ls_changed:
        problems.append(
            Problem(
                index,
                "reason_new_episode",
                f"The legal status changed, so reason {rne} is wrong; use B or U.",
            )
        )
    if rne in PLACEMENT_CHANGE_RNE and not pl_changed:
        problems.append(
            Problem(index, "reason_new_episode", f"Reason {rne} needs a change of placement.")
        )
    if rne == "L" and pl_changed:
        problems.append(
            Problem(
                index,
                "reason_new_episode",
                "The placement changed too, so reason L is wrong; use B or U.",
            )
        )
    return problems


def problems_by_field(problems: list[Problem], index: int) -> dict[str, list[str]]:
    """Problems of the episode at `index` by field; those of other episodes as non-field errors."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        key = problem.field if problem.index == index else NON_FIELD
        errors.setdefault(key, [])
        if problem.message not in errors[key]:
            errors[key].append(problem.message)
    return errors
