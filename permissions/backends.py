from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, skipped when no request is given.

    Every network path (login page, admin, API token) authenticates with the request; only code
    on the server itself (shell, management commands, the test client's login()) calls
    ``authenticate`` without one, and there is nothing to throttle there.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
