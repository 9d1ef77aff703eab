"""Area 11 of the figure catalogue (docs/figures.md): feedback from children and families.

The answers come from the feedback form each child, and each parent or carer invited, is offered
after a review or conference (the feedback app). A respondent is never named in a figure.

Not computed here:
- FB-03 (feedback from partners): no record of partners' feedback is held.
- FB-04 (complaints about the IRO service): complaints are not recorded in the service.
"""

from django.db.models import Count, Q, QuerySet

from feedback.models import Channel, FeedbackResponse, Respondent
from reporting.figures.base import Kind, Period, Result, figure, pct, shared

# The questions FB-01 reports, with the answers that count as yes (the seeds' "some or all of
# the time" for listening and involvement; "yes" for the plans discussed).
FB01_QUESTIONS = {
    "listened": ("Their IRO listened to them", ("all", "some")),
    "involved": ("They had a say in decisions", ("all", "some")),
    "plans_discussed": ("Their plans were discussed with them", ("yes",)),
}
RESPONDENT_LABELS = {
    Respondent.CHILD: "A child or young person",
    Respondent.PARENT: "A parent or carer",
}


@shared
def answers_in(period: Period) -> QuerySet:
    return FeedbackResponse.objects.filter(
        submitted_on__gte=period.start, submitted_on__lte=period.end
    )


@figure(
    "FB-01",
    title="Children who said their IRO listened to them",
    kind=Kind.PCT,
    section="feedback",
    unit="%",
    labels={k: label for k, (label, _) in FB01_QUESTIONS.items()},
)
def children_feedback(period: Period) -> Result:
    """Of the children and young people who answered the feedback form after a review or
    conference in the period (by the date they answered), the percentage who said their IRO
    listened to them some or all of the time; the breakdown gives the same percentage for each
    question: listened (some or all of the time), had a say in decisions (some or all of the
    time), plans discussed with them (yes).

    Each question's denominator is the children who answered that question: a question left
    out is not counted as "no". Parents' and carers' answers are not counted (the seeds' survey is
    of children: Birmingham's 84% listened and involved, 83% plans discussed). The table gives
    each question's yes count and number answering."""
    aggregates = {}
    for key, (_, yes) in FB01_QUESTIONS.items():
        aggregates[f"{key}_yes"] = Count("pk", filter=Q(**{f"{key}__in": yes}))
        aggregates[f"{key}_n"] = Count("pk", filter=~Q(**{key: ""}))
    counts = (
        answers_in(period).filter(invitation__respondent=Respondent.CHILD).aggregate(**aggregates)
    )
    breakdown = {k: pct(counts[f"{k}_yes"], counts[f"{k}_n"]) for k in FB01_QUESTIONS}
    return Result(
        value=breakdown["listened"],
        numerator=counts["listened_yes"],
        denominator=counts["listened_n"],
        breakdown=breakdown,
        columns=["Question", "Said yes", "Answered"],
        table=[
            [label, counts[f"{k}_yes"], counts[f"{k}_n"]]
            for k, (label, _) in FB01_QUESTIONS.items()
        ],
    )


@figure(
    "FB-02",
    title="Quotes from children and families",
    kind=Kind.LIST,
    section="feedback",
    unit="quotes",
    better="neither",
    labels=RESPONDENT_LABELS,
)
def chosen_quotes(period: Period) -> Result:
    """The words ("anything else you want to tell us") of feedback answers given in the period
    that a team manager chose for the report, newest first, each with who said it (a child or
    young person, or a parent or carer), never a name: the seeds print five quotes (M21). The
    value is the number of quotes."""
    rows = list(
        answers_in(period)
        .filter(for_report=True)
        .exclude(anything_else="")
        .order_by("-submitted_on", "-pk")
        .values_list("anything_else", "invitation__respondent")
    )
    return Result(
        value=len(rows),
        columns=["Quote", "From"],
        table=[[text, RESPONDENT_LABELS.get(who, who)] for text, who in rows],
    )


@figure(
    "FB-05",
    title="Feedback answers by channel",
    kind=Kind.COUNT,
    section="feedback",
    unit="answers",
    better="higher",
    labels=dict(Channel.choices),
)
def feedback_channels(period: Period) -> Result:
    """Answers to the feedback form given in the period (children, parents and carers), by how
    the link reached them: QR code, link shown or printed, email, text message (the channel
    written in the link the IRO made). The seeds name channels but give no values (M24, BCT);
    submissions per channel is the figure they describe."""
    counts = dict(
        answers_in(period)
        .order_by()
        .values("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
    )
    breakdown = {c: counts.get(c, 0) for c in Channel.values}
    return Result(value=sum(breakdown.values()), breakdown=breakdown)
