"""The API documentation pages, served without a CDN."""

from __future__ import annotations

from django.http import HttpResponse
from django.template import engines
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView

# ---------------------------------------------------------------- API documentation pages

# The stock ReDoc page loads web fonts from Google: a CDN, and a third party told who reads the
# docs. Same page, system fonts; the script itself comes from the sidecar package (/static/).
REDOC_PAGE = """{% extends "drf_spectacular/redoc.html" %}
{% block head %}<title>{{ title|default:"Redoc" }}</title><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body { margin: 0; padding: 0; }</style>{% endblock head %}"""


class RedocView(SpectacularRedocView):
    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        data = super().get(request, *args, **kwargs).data
        return HttpResponse(engines["django"].from_string(REDOC_PAGE).render(data, request))
