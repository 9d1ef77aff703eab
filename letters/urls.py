from django.urls import path

from letters.views import letters, profiles, records

app_name = "letters"

urlpatterns = [
    path("profile/", profiles.profile_edit, name="profile_edit"),
    path("profiles/", profiles.team_profiles, name="team_profiles"),
    path("profiles/<int:user_pk>/", profiles.profile_detail, name="profile_detail"),
    path("profiles/<int:user_pk>/photo/", profiles.profile_photo, name="profile_photo"),
    path("children/<int:child_pk>/my-iro/<int:pk>/", letters.letter_page, name="letter"),
    path("children/<int:child_pk>/my-iro/<int:pk>.docx", letters.letter_docx, name="letter_docx"),
    path("reviews/<int:review_pk>/record/", records.record_write, name="record_write"),
    path("reviews/<int:review_pk>/record/sent/", records.record_sent, name="record_sent"),
    path("reviews/<int:review_pk>/record.docx", records.record_docx, name="record_docx"),
    path("readability.json", records.readability_check, name="readability"),
]
