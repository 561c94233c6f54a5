"""The actor of an HTTP request, built once by the middleware and passed on as `request.actor`."""

from django.conf import settings
from django.http import HttpRequest

from opennrm.core.acting import Actor, Channel
from opennrm.core.models import Membership, User

API_PREFIX = "/api/"


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, trusting only the last `TRUSTED_PROXY_COUNT` forwarding hops."""
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        # X-Forwarded-For: client, proxy1, proxy2…; trust only the last `proxies` hops.
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            return str(hops[-proxies])
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def channel_of(request: HttpRequest) -> Channel:
    return Channel.API if request.path.startswith(API_PREFIX) else Channel.PAGE


def actor_from_request(request: HttpRequest, user: User | None = None) -> Actor:
    """Who acts in `request`: its user (or `user`, for sign-in events), the membership chosen by
    `CurrentMembershipMiddleware`, the client address and the channel."""
    if user is None:
        signed_in = getattr(request, "user", None)
        user = signed_in if isinstance(signed_in, User) else None
    membership: Membership | None = getattr(request, "membership", None)
    memberships: list[Membership] = getattr(request, "memberships", [])
    if membership is not None and user is not None and membership.user_id != user.pk:
        membership, memberships = None, []
    return Actor(
        user=user,
        membership=membership,
        address=client_ip(request),
        channel=channel_of(request),
        memberships=tuple(memberships),
    )


def actor_of(request: HttpRequest) -> Actor:
    """`request.actor` when the middleware set it, else built now (error pages, sign-in)."""
    actor = getattr(request, "actor", None)
    if isinstance(actor, Actor):
        return actor
    return actor_from_request(request)


class ActingRequest(HttpRequest):
    """A request after `CurrentMembershipMiddleware`: what views may read of who acts."""

    actor: Actor
    membership: Membership | None
    memberships: list[Membership]
