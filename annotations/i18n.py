"""Interface language: the user's profile first, then the browser's Accept-Language."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.i18n import set_language as django_set_language

from .models import Profile

_LANGUAGES = {code for code, _name in settings.LANGUAGES}


class ProfileLanguageMiddleware:
    """Activate the language saved in the user's profile, overriding Accept-Language.

    Goes after AuthenticationMiddleware and LocaleMiddleware, which picked the language
    from the cookie or the browser for everyone else.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
            if language in _LANGUAGES:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: remembered in the profile of a logged-in user."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in _LANGUAGES:
        Profile.objects.update_or_create(user=request.user, defaults={"language": language})
    return response
