"""Reviews are not in the admin: every review names a child, and the administration pages hold
no child's identity (administrators see no child records). Reviews are read and changed on the
service's own pages, through iro/access.py, with their history kept by django-simple-history."""
