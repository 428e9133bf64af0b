"""Response headers that are not Django's or django-csp's (issue 8, item 9).

* ``Cache-Control: no-store`` (with Django's other never-cache headers) on every
  response to a signed-in person: case pages carry names and addresses, and must
  not stay in a browser's or a shared proxy's cache. Static files are served by
  WhiteNoise before this middleware runs and keep their long caching.
* ``Permissions-Policy``: the app uses no camera, microphone, location, payment
  or sensor, so none is allowed, for it or for anything it could be tricked into framing.
* ``Cross-Origin-Opener-Policy`` is set by Django's SecurityMiddleware
  (``SECURE_CROSS_ORIGIN_OPENER_POLICY``); ``Cross-Origin-Resource-Policy`` here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
)


class PrivatePageHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated
                and not request.path.startswith(settings.STATIC_URL)):
            add_never_cache_headers(response)
        return response
