"""Synthetic feedback for `manage.py generate_data`: invitations after the held meetings the other
generators made, and answers at the rates the seed reports give.

The rates (docs/figures.md, FB-01): 84% of children surveyed said their IRO listened and involved
them in decisions some or all of the time; 83% had their plans and outcomes discussed with them;
38% attended every review and 35% some. The seeds give no response rate and no split by channel
(FB-05 "Values: none"), so these are choices of this generator, stated here: a third of
invitations are answered; answers come 45% by QR code, 20% by link, 20% by email, 15% by text.
Parents were asked after half of the meetings. Rows are bulk inserted.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from feedback.models import Channel, FeedbackInvitation, FeedbackResponse, Respondent
from iro.models import Meeting, MeetingStatus

ANSWERED = 0.33
PARENT_ASKED = 0.5
CHANNELS = [(Channel.QR, 45), (Channel.LINK, 20), (Channel.EMAIL, 20), (Channel.TEXT, 15)]
# 84% some or all of the time (FB-01), split between all and some as the understanding question
# is (always 50%, sometimes 37%).
OFTEN = [("all", 48), ("some", 36), ("no", 9), ("unsure", 7)]
PLANS = [("yes", 83), ("no", 10), ("unsure", 7)]
TOOK_PART = [("came", 38), ("talked", 25), ("wrote", 12), ("someone", 10), ("not", 15)]
QUOTES = [
    "My IRO listened to me and I felt like my views mattered.",
    "I liked that the meeting was at my school so I did not miss football.",
    "It was good to know what is happening next.",
    "I want to see my IRO more often.",
    "They explained things in a way I could understand.",
    "The meeting was too long and a bit boring.",
    "I liked that I could write my views down before.",
]
BATCH = 5000


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def generate(ctx) -> None:
    today = ctx.today
    since = today - timedelta(days=800)  # this reporting year and the two before it (at most)
    rng = ctx.rng
    pairs = (
        Meeting.children.through.objects.filter(
            meeting__status=MeetingStatus.HELD,
            meeting__starts_at__date__gte=since,
            meeting__starts_at__date__lte=today,
        )
        .order_by("meeting_id", "child_id")
        .values_list(
            "meeting_id", "child_id", "meeting__chair_id", "meeting__kind", "meeting__starts_at"
        )  # fmt: skip
    )
    invitations: list[FeedbackInvitation] = []
    answers: list[tuple[int, FeedbackResponse]] = []
    now = timezone.now()
    for meeting_id, child_id, chair_id, kind, starts_at in pairs.iterator():
        held_on = timezone.localdate(starts_at)
        asked = [Respondent.CHILD] + ([Respondent.PARENT] if rng.random() < PARENT_ASKED else [])
        for respondent in asked:
            expires = timezone.make_aware(datetime.combine(held_on + timedelta(days=28), time(9)))
            invitation = FeedbackInvitation(
                meeting_id=meeting_id,
                child_id=child_id,
                chair_id=chair_id,
                meeting_kind=kind,
                held_on=held_on,
                respondent=respondent,
                expires_at=expires,
                issued_at=starts_at,
            )
            if rng.random() < ANSWERED:
                day = min(held_on + timedelta(days=rng.randint(0, 14)), today)
                at = timezone.make_aware(datetime.combine(day, time(rng.randint(8, 20))))
                at = min(at, now)
                invitation.used_at = at
                words = rng.choice(QUOTES) if rng.random() < 0.3 else ""
                answers.append(
                    (
                        len(invitations),
                        FeedbackResponse(
                            submitted_at=at,
                            submitted_on=timezone.localdate(at),
                            channel=_pick(rng, CHANNELS),
                            easy_read=rng.random() < 0.25,
                            listened=_pick(rng, OFTEN),
                            involved=_pick(rng, OFTEN),
                            plans_discussed=_pick(rng, PLANS),
                            took_part=_pick(rng, TOOK_PART),
                            anything_else=words,
                            named=bool(words) and rng.random() < 0.2,
                            for_report=bool(words) and rng.random() < 0.15,
                        ),
                    )
                )
            invitations.append(invitation)
    saved = FeedbackInvitation.objects.bulk_create(invitations, batch_size=BATCH)
    responses = []
    for index, response in answers:
        response.invitation_id = saved[index].pk
        responses.append(response)
    FeedbackResponse.objects.bulk_create(responses, batch_size=BATCH)
    ctx.log(f"  feedback: {len(saved)} invitations, {len(responses)} answers")
