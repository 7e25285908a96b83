"""Slack authors -> Hindsight users: by Slack member ID (profile), else by a name that
matches exactly one person (username, or full name either way round)."""

from django.contrib.auth import get_user_model


def match_authors(messages):
    """{message author key: User} for the authors of ``messages`` that match someone."""
    User = get_user_model()
    ids = {m.user_id for m in messages if m.user_id}
    by_member_id = {
        user.profile.slack_member_id: user
        for user in User.objects.filter(profile__slack_member_id__in=ids, is_active=True)
        .select_related("profile")
        .exclude(profile__slack_member_id="")
    }
    by_name, ambiguous = {}, set()
    for user in User.objects.filter(is_active=True).only("username", "first_name", "last_name"):
        names = {user.username.casefold()}
        if user.first_name and user.last_name:
            names |= {
                f"{user.first_name} {user.last_name}".casefold(),
                f"{user.last_name} {user.first_name}".casefold(),
                f"{user.last_name}{user.first_name}".casefold(),
            }
        for name in names:
            if name in by_name and by_name[name].pk != user.pk:
                ambiguous.add(name)
            by_name[name] = user
    for name in ambiguous:
        del by_name[name]
    found = {}
    for message in messages:
        key = author_key(message)
        if key in found:
            continue
        user = by_member_id.get(message.user_id) or by_name.get(message.author.casefold())
        if user is not None and not message.bot:
            found[key] = user
    return found


def author_key(message):
    return message.user_id or message.author
