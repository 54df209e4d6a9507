"""An API client for tests, signed in as `user` (or anonymous)."""

from rest_framework.test import APIClient


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
