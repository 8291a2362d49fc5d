"""Token creation for API clients, with failed attempts throttled like the login page."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .throttling import ScopedRateThrottle


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenView(APIView):
    """``POST {"username", "password"}`` → ``{"token": ...}``, the user's API token.

    Failures count towards the login lockout (django-axes): the middleware answers a
    locked-out account or address with 429 and ``Retry-After``.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        auth=[],
        request=CredentialsSerializer,
        responses={200: inline_serializer("Token", {"token": serializers.CharField()})},
    )
    def post(self, request: Request) -> Response:
        data = CredentialsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The Django request, so that the lockout sees the attempt and its address.
        user = authenticate(request._request, **data.validated_data)
        if user is None or not user.is_active:
            raise ValidationError(
                {"non_field_errors": [_("Unable to log in with the username and password given.")]}
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key}, status=status.HTTP_200_OK)
