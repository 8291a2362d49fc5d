from .documents import (
    AnchorState,
    AuthorType,
    Claim,
    ClaimKind,
    ClaimStatus,
    Document,
    VersionSource,
    WatchState,
    text_sha256,
)
from .matching import ClaimMatch, ReferenceReview
from .projects import (
    ROLE_RANK,
    Membership,
    Profile,
    Project,
    Rating,
    RatingScale,
    Role,
)
from .publishing import Publication
from .review import Comment, Verdict
from .sources import (
    FINISHED_FETCH_STATES,
    FetchState,
    Snapshot,
    Source,
    SourceOrigin,
    Stance,
)
from .versions import ClaimAnchor

__all__ = [
    "FINISHED_FETCH_STATES",
    "ROLE_RANK",
    "AnchorState",
    "AuthorType",
    "Claim",
    "ClaimAnchor",
    "ClaimKind",
    "ClaimMatch",
    "ClaimStatus",
    "Comment",
    "Document",
    "FetchState",
    "Membership",
    "Profile",
    "Project",
    "Publication",
    "Rating",
    "RatingScale",
    "ReferenceReview",
    "Role",
    "Snapshot",
    "Source",
    "SourceOrigin",
    "Stance",
    "Verdict",
    "VersionSource",
    "WatchState",
    "text_sha256",
]
