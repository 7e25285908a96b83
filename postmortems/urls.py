from django.urls import path

from .views import profile, teams

app_name = "postmortems"

urlpatterns = [
    path("teams/<slug:slug>/settings/", teams.team_settings, name="team_settings"),
    path("teams/<slug:slug>/test-message/", teams.team_test_message, name="team_test_message"),
    path("profile/", profile.profile, name="profile"),
]
