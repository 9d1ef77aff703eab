from django.urls import path

from escalations import views

app_name = "escalations"

urlpatterns = [
    path("", views.home, name="home"),
    path("queue/", views.queue, name="queue"),
    path("mine/", views.mine, name="mine"),
    path("all/", views.all_open, name="all"),
    path("new/", views.escalation_new, name="new"),
    path("concerns/new/", views.concern_new, name="concern_new"),
    path("concerns/<int:pk>/", views.concern_detail, name="concern"),
    path("<int:pk>/", views.escalation_detail, name="detail"),
    path("<int:pk>/respond/", views.escalation_respond_page, name="respond_page"),
    path("<int:pk>/respond/send/", views.escalation_respond, name="respond"),
    path("<int:pk>/escalate/", views.escalation_escalate, name="escalate"),
    path("<int:pk>/resolve/", views.escalation_resolve, name="resolve"),
    path("<int:pk>/refer-cafcass/", views.escalation_refer_cafcass, name="refer_cafcass"),
    path("<int:pk>/withdraw/", views.escalation_withdraw, name="withdraw"),
]
