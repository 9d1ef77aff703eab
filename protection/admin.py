"""Strategy discussions, conferences, plans and core groups are not in the admin: each names a
child, and the administration pages hold no child's identity. They are read and changed on the
service's own pages, through iro/access.py."""
