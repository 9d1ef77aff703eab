"""Notifications and due-date reminders: the inbox, email preferences and delivery, the reminder
rule runner and its "sent at most once" ledger.

The core knows no feature: each app registers its reminder rules and notification kinds in
`iro.registry` (see `reminder_rules`, `notification_kinds`) from its own `reminders.py`.
"""
