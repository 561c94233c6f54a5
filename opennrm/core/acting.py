"""Who acts: what every domain function knows of a page, an API call, a job, a command or an import.

The domain never sees an HTTP request. The web layer builds one `Actor` per request
(`opennrm.web.acting`, as `request.actor`); jobs, commands and imports build theirs with the
named constructors below. Audit entries and case events read who acted from it.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from opennrm.core.models import Membership, Organisation, User
from opennrm.profiles.capabilities import Capability


class Channel(StrEnum):
    """How an action reached the domain."""

    PAGE = "page"
    API = "api"
    JOB = "job"
    COMMAND = "command"
    IMPORT = "import"


class NotSignedIn(PermissionError):
    """An action that needs a signed-in person was asked by the public or by the system."""


@dataclass(frozen=True, eq=False)
class Actor:
    """The person (or process) acting, the organisation they act for, from where, and how.

    `user` is None for a member of the public and for the system; `process` names the job or
    command acting on its own (`retention`, `reminders`…). `memberships` lists every active
    membership of the user, `membership` the one they act with.
    """

    user: User | None = None
    membership: Membership | None = None
    address: str | None = None
    channel: Channel = Channel.PAGE
    process: str = ""
    memberships: tuple[Membership, ...] = field(default=())

    @classmethod
    def public(cls, address: str | None = None, channel: Channel = Channel.PAGE) -> "Actor":
        """A member of the public: no account, perhaps an address (rate limits, audit)."""
        return cls(address=address, channel=channel)

    @classmethod
    def system(cls, process: str, channel: Channel = Channel.JOB) -> "Actor":
        """The system itself, running `process` (a scheduled job, a maintenance command)."""
        if not process:
            raise ValueError("A system actor needs the name of its process.")
        return cls(process=process, channel=channel)

    @classmethod
    def for_membership(
        cls,
        membership: Membership,
        channel: Channel = Channel.COMMAND,
        address: str | None = None,
    ) -> "Actor":
        """The membership's user acting for its organisation (commands, imports, demo data)."""
        return cls(
            user=membership.user,
            membership=membership,
            address=address,
            channel=channel,
            memberships=(membership,),
        )

    @classmethod
    def for_user(
        cls, user: User, channel: Channel = Channel.COMMAND, address: str | None = None
    ) -> "Actor":
        """A user acting for no organisation (their own account, the administration)."""
        return cls(user=user, address=address, channel=channel)

    @property
    def organisation(self) -> Organisation | None:
        return self.membership.organisation if self.membership is not None else None

    @property
    def organisation_id(self) -> int | None:
        return self.membership.organisation_id if self.membership is not None else None

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None and self.user.is_authenticated

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    def can(self, capability: Capability) -> bool:
        """Whether the membership acted with grants `capability`."""
        return self.membership is not None and self.membership.can(capability)

    def signed_in_user(self) -> User:
        """The person behind a state change; refused for the public and the system."""
        if self.user is None or not self.user.is_authenticated:
            raise NotSignedIn("A signed-in user is required.")
        return self.user

    def organisation_acted_for(self) -> Organisation:
        """The organisation acted for, where the action has already required a membership."""
        if self.membership is None:
            raise NotSignedIn("An organisation to act for is required.")
        return self.membership.organisation

    def with_membership(self, membership: Membership | None) -> "Actor":
        """The same actor acting with another of their memberships."""
        return Actor(
            user=self.user,
            membership=membership,
            address=self.address,
            channel=self.channel,
            process=self.process,
            memberships=self.memberships,
        )

    def __str__(self) -> str:
        if self.process:
            return f"system:{self.process}"
        if self.user is None:
            return "public"
        return f"user:{self.user.pk}"
