"""Writes of IRO concerns and IRPs (see escalations.services.escalations for the IRP rules)."""

from escalations.services.common import plan_context_on
from escalations.services.concerns import concern_escalate, concern_raise, concern_resolve
from escalations.services.escalations import (
    escalation_escalate,
    escalation_raise,
    escalation_refer_cafcass,
    escalation_resolve,
    escalation_respond,
    escalation_withdraw,
)

__all__ = [
    "concern_escalate",
    "concern_raise",
    "concern_resolve",
    "escalation_escalate",
    "escalation_raise",
    "escalation_refer_cafcass",
    "escalation_resolve",
    "escalation_respond",
    "escalation_withdraw",
    "plan_context_on",
]
