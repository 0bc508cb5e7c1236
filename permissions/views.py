"""The second factor: register an authenticator app (TOTP) once, then enter its code at login."""

from __future__ import annotations

import base64

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .auth import record
from .models import AuthEvent


class CodeForm(forms.Form):
    code = forms.RegexField(label=_("6-digit code from your authenticator app"), regex=r"^\s*\d{6}\s*$",
                            error_messages={"invalid": _("Enter the 6 digits shown in the app.")},
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                          "autofocus": True}))


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


@login_required
def two_factor(request):
    """Verify (or first register) the user's TOTP device for this session."""
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    device = confirmed or TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                record(AuthEvent.Kind.OTP_DEVICE_ADDED, request=request, user=request.user)
            otp_login(request, device)
            record(AuthEvent.Kind.OTP_VERIFIED, request=request, user=request.user)
            return redirect(_next(request))
        record(AuthEvent.Kind.OTP_FAILED, request=request, user=request.user)
        form.add_error("code", _("That code is not right, or it has expired. Try the current one."))
    context = {"form": form, "setup": not device.confirmed, "next": _next(request)}
    if not device.confirmed:
        secret = base64.b32encode(device.bin_key).decode()
        context.update(secret=secret, qr_svg=segno.make(device.config_url, micro=False).svg_inline(scale=4))
    return render(request, "permissions/two_factor.html", context)
