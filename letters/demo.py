"""Demo data: the demo IRO's profile for children (seed_demo, registry.demo_data)."""

from __future__ import annotations

from letters.models import IroProfile


def demo_profiles(sign_ins: dict, today) -> None:
    iro = sign_ins.get("iro")
    if iro is None:
        return
    name = iro.get_full_name() or iro.username
    IroProfile.objects.get_or_create(
        user=iro,
        defaults={
            "who_i_am": (
                f"Hello, I am {name}. I have worked with children and young people for many "
                "years. I like walking my dog, football and cooking."
            ),
            "what_i_do": (
                "I am your Independent Reviewing Officer. I chair your reviews. I check that "
                "your plan is right for you and that everyone does what they said they would. "
                "I want to hear what you think, and I will make sure other people hear it too."
            ),
            "how_to_reach_me": (
                "You can phone me at the office on 0161 496 0000, Monday to Friday, 9am to 5pm. "
                "Your social worker or carer can help you get in touch."
            ),
        },
    )
