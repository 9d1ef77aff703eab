"""Plugging into the core is idempotent: every app's ready() may run twice without a hook twice."""

from dataclasses import fields

from django.apps import apps

from iro.registry import NavItem, Registry, ReminderRule, registry

PROJECT_APPS = {"iro", "reviews", "protection", "escalations", "letters", "reporting"}


def _sizes(reg: Registry) -> dict[str, object]:
    sizes: dict[str, object] = {}
    for f in fields(reg):
        value = getattr(reg, f.name)
        if f.name == "home_panels":
            sizes[f.name] = {role: len(providers) for role, providers in value.items()}
        else:
            sizes[f.name] = len(value)
    return sizes


def test_running_every_apps_ready_twice_adds_nothing():
    before = _sizes(registry)
    # Every hook has something registered: the comparison below is not of empty lists.
    assert all(before[name] for name in before), before
    ours = [c for c in apps.get_app_configs() if c.name.split(".")[0] in PROJECT_APPS]
    assert len(ours) == 7
    for _ in range(2):
        for config in ours:
            config.ready()
    assert _sizes(registry) == before
    nav = [item.url_name for item in registry.nav]
    assert len(nav) == len(set(nav))


def test_registering_the_same_thing_twice_is_a_no_op_and_different_things_are_kept():
    reg = Registry()

    def panel(request):
        return None

    def other(request):
        return None

    reg.add("nav", NavItem("Home", "home", lambda user: True))
    reg.add("nav", NavItem("Home again", "home", lambda user: False))
    reg.add("nav", NavItem("Children", "children:list", lambda user: True))
    reg.add("home_panels", panel, role="iro")
    reg.add("home_panels", panel, role="iro")
    reg.add("home_panels", panel, role="team_manager")
    reg.add("timeline", panel)
    reg.add("timeline", panel)
    reg.add("timeline", other)
    reg.add("synthetic_data", ("a", panel))
    reg.add("synthetic_data", ("a", panel))
    reg.add("synthetic_data", ("a", other))
    reg.add("reminder_rules", ReminderRule("r", "daily", lambda today: []))
    reg.add("reminder_rules", ReminderRule("r", "hourly", lambda today: []))
    reg.add("notification_kinds", {"k": "Kind"})
    reg.add("notification_kinds", {"k": "Kind"})

    assert [item.label for item in reg.nav] == ["Home", "Children"]
    assert reg.home_panels == {"iro": [panel], "team_manager": [panel]}
    assert reg.timeline == [panel, other]
    assert reg.synthetic_data == [("a", panel), ("a", other)]
    assert [rule.schedule for rule in reg.reminder_rules] == ["daily"]
    assert reg.notification_kinds == {"k": "Kind"}


def test_a_hook_that_does_not_exist_or_a_panel_without_its_role_is_refused():
    reg = Registry()
    for call in (
        lambda: reg.add("navigation", object()),
        lambda: reg.add("home_panels", print),
        lambda: reg.add("timeline", print, role="iro"),
    ):
        try:
            call()
        except (AttributeError, TypeError) as error:
            assert str(error)
        else:
            raise AssertionError("registered on a hook that does not exist")
