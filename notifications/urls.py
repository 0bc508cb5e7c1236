"""The inbox pages: {% url 'notifications:inbox' %}."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.inbox_read, name="inbox_read"),
    path("preferences/", views.inbox_preferences, name="inbox_preferences"),
]
