"""Reads of the letters app: whose profile a user may read, a child's letters and records, and
the text of a letter."""

from __future__ import annotations

from django.db.models import QuerySet

from iro.access import children_visible_to
from iro.models import User
from iro.roles import Role
from iro.teams import managed_team_ids
from letters.models import ChildRecord, IroProfile, MyIroLetter


def profile_of(user: User) -> IroProfile | None:
    return IroProfile.objects.filter(user=user).first()


def team_iros(manager: User) -> QuerySet[User]:
    """The IROs whose profiles a team manager reads: those of the teams they manage and their own
    team (every active IRO when they have none)."""
    qs = User.objects.filter(groups__name=Role.IRO.label, is_active=True)
    teams = managed_team_ids(manager)
    if manager.team_id:
        teams.append(manager.team_id)
    if teams:
        qs = qs.filter(team_id__in=teams)
    return qs.select_related("iro_profile").order_by("last_name", "first_name", "pk").distinct()


def may_read_profile(user: User, iro: User) -> bool:
    """The IRO themselves; a team manager for the IROs of their team (team_iros); and whoever
    may read a child's "my IRO" letter that names this IRO (for the photo on the letter)."""
    if user.pk == iro.pk:
        return True
    if user.has_perm("letters.view_iroprofile") and team_iros(user).filter(pk=iro.pk).exists():
        return True
    if user.has_perm("letters.view_myiroletter"):
        return MyIroLetter.objects.filter(iro=iro, child__in=children_visible_to(user)).exists()
    return False


def letters_of_child(child) -> list[MyIroLetter]:
    return list(MyIroLetter.objects.filter(child=child).select_related("iro", "previous_iro"))


def records_of_child(child) -> list[ChildRecord]:
    return list(
        ChildRecord.objects.filter(review__child=child)
        .select_related("review")
        .order_by("-review__held_on", "-pk")
    )


def letter_sections(letter: MyIroLetter, profile: IroProfile | None) -> list[tuple[str, str]]:
    """(heading, text) of the letter, in order: the one text for the page and the Word copy."""
    name = letter.iro.get_full_name() or letter.iro.username
    opening = (
        f"Dear {letter.child.first_name},\n\n"
        f"My name is {name}. I am your Independent Reviewing Officer, or IRO for short, "
        f"from {letter.from_date:%-d %B %Y}."
    )
    if letter.previous_iro is not None:
        before = letter.previous_iro.get_full_name() or letter.previous_iro.username
        opening += f" {before} was your IRO before me."
    sections = [("", opening)]
    if profile is not None:
        sections += [
            ("Who I am", profile.who_i_am),
            ("What I do", profile.what_i_do),
            ("How to reach me", profile.how_to_reach_me),
        ]
    else:
        sections.append(
            (
                "What I do",
                "I make sure that your care plan is right for you and that the people who look "
                "after you do what they said they would. I will chair your reviews and I want "
                "to hear what you think.",
            )
        )
    sections.append(("", f"From {name}"))
    return sections
