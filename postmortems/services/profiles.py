"""Each user's profile: created with the user, and the names the blame check reads."""

from typing import Any

from ..blame.people import encode_person_names
from ..models import Profile

# A save that changes none of these leaves the stored names as they are (a login saves
# ``last_login`` alone).
NAME_FIELDS = frozenset({"username", "first_name", "last_name"})


def profile_sync_person_names(*, user: Any, create: bool = True) -> None:
    """Store the user's names on their profile (created if missing and ``create``).

    Called from the user's ``post_save``, so inside the transaction that saved the user
    whenever the caller opened one (the admin, the services, the seed commands do).
    """
    names = encode_person_names(user.get_username(), user.first_name, user.last_name)
    if Profile.objects.filter(user=user).update(person_names=names) or not create:
        return
    Profile.objects.get_or_create(user=user, defaults={"person_names": names})
