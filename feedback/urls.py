from django.urls import path

from feedback.views import staff

app_name = "feedback"

urlpatterns = [
    path("", staff.answers, name="answers"),
    path("responses/<int:pk>/report/", staff.choose, name="choose"),
    path("meetings/<int:meeting_id>/children/<int:child_id>/", staff.meeting, name="meeting"),
    path(
        "meetings/<int:meeting_id>/children/<int:child_id>/parents/",
        staff.add_parent,
        name="add_parent",
    ),
    path("invitations/<int:pk>/link/", staff.make_link, name="link"),
    path("invitations/<int:pk>/send/", staff.send, name="send"),
]
