"""Login and logout (Django's auth views, with the project's templates)."""

from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    next_page = "web:home"


class LogoutView(auth_views.LogoutView):
    # Django's LogoutView accepts POST only: a link cannot log anyone out.
    next_page = "web:login"
