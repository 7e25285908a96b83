"""Weekly theme roll-ups, the Kaizen digest and the figures behind the Kaizen page.

A period is a week, Monday to Sunday, in ``settings.TIME_ZONE``: a postmortem belongs to the
week its incident started in (``started_at``, or ``created_at`` when the start is unknown).
``rollup`` aggregates in the database (one grouped query for postmortems and factors, one
for action items), so its cost does not grow with the number of themes.
"""

import datetime
import re
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from postmortems import slack
from postmortems.models import ContributingFactor, SlackMessage, Team

from .models import ActionItem, ThemeRollup

WEEK = datetime.timedelta(days=7)
# A theme "recurs" when it shows up in this many periods of the range shown.
RECURRING_PERIODS = 3
DIGEST_WEEKS = 4
# The weekly task re-computes this many weeks, so late-written postmortems are counted.
REFRESH_WEEKS = 4
DIGEST_THEMES = 3


def _zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def last_completed_week_end(now=None):
    """The Sunday that ended the last full Monday-to-Sunday week, in ``settings.TIME_ZONE``."""
    today = timezone.localtime(now or timezone.now(), _zone()).date()
    return today - datetime.timedelta(days=today.weekday() + 1)


def week_of(day):
    """(Monday, Sunday) of the week containing ``day``."""
    start = day - datetime.timedelta(days=day.weekday())
    return start, start + datetime.timedelta(days=6)


def day_start(day):
    """Midnight at the start of ``day`` in ``settings.TIME_ZONE``, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=_zone())


def _as_date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


@dataclass
class RollupResult:
    period_start: datetime.date
    period_end: datetime.date
    rows: int


@dataclass
class _Counts:
    postmortems: int = 0
    previous: int = 0
    factors: int = 0
    open: int = 0
    overdue: int = 0

    def any(self):
        return bool(self.postmortems or self.previous or self.factors or self.open)


def rollup(period_end=None):
    """Write the ThemeRollup rows of the week ending on ``period_end`` (a date or ISO string;
    default: the last completed week). Re-running replaces the period's rows.

    Per theme, and per team plus one overall row (team empty): postmortems and factors of
    the week, action items linked to the theme's factors that were open (and overdue) when
    the week ended, and the change in postmortems against the week before.
    """
    end = _as_date(period_end) or last_completed_week_end()
    start = end - datetime.timedelta(days=6)
    counts = _counts(start, end, with_restricted=True)
    open_counts = _counts(start, end, with_restricted=False)
    rows = []
    for (theme_id, team_id), c in counts.items():
        if not c.any():
            continue
        o = open_counts.get((theme_id, team_id)) or _Counts()
        rows.append(
            ThemeRollup(
                theme_id=theme_id,
                team_id=team_id,
                period_start=start,
                period_end=end,
                postmortem_count=c.postmortems,
                factor_count=c.factors,
                open_action_count=c.open,
                overdue_action_count=c.overdue,
                change=c.postmortems - c.previous,
                open_postmortem_count=o.postmortems,
                open_factor_count=o.factors,
                open_open_action_count=o.open,
                open_overdue_action_count=o.overdue,
            )
        )
    with transaction.atomic():
        ThemeRollup.objects.filter(period_start=start).delete()
        ThemeRollup.objects.bulk_create(rows, batch_size=1000)
    return RollupResult(start, end, len(rows))


def _counts(start, end, *, with_restricted):
    """``{(theme_id, team_id or None): _Counts}`` of one week, with or without restricted
    postmortems. Two grouped queries."""
    start_at, end_at = day_start(start), day_start(end + datetime.timedelta(days=1))
    previous_at = start_at - WEEK
    through = ContributingFactor.themes.through
    at = Coalesce(
        "contributingfactor__postmortem__started_at", "contributingfactor__postmortem__created_at"
    )
    current = Q(at__gte=start_at)
    factor_rows = (
        through.objects.annotate(at=at, team_id=F("contributingfactor__postmortem__team_id"))
        .filter(at__gte=previous_at, at__lt=end_at)
        .filter(restricted_filter("contributingfactor__postmortem__", with_restricted))
        .values("theme_id", "team_id")
        .annotate(
            postmortems=Count("contributingfactor__postmortem_id", distinct=True, filter=current),
            previous=Count("contributingfactor__postmortem_id", distinct=True, filter=~current),
            factors=Count("contributingfactor_id", filter=current),
        )
        .order_by()
    )
    # Open when the week ended: created by then, and not closed by then (status is only
    # known as of now, so an item still open now counts; one closed later counted then).
    open_then = Q(created_at__lt=end_at) & (
        Q(status__in=ActionItem.OPEN_STATUSES) | Q(completed_at__gte=end_at)
    )
    action_rows = (
        ActionItem.objects.filter(open_then, factor__themes__isnull=False)
        .filter(restricted_filter("postmortem__", with_restricted))
        .values("team_id", theme_id=F("factor__themes"))
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lte=end)))
        .order_by()
    )

    counts = defaultdict(_Counts)
    for row in factor_rows:
        for key in ((row["theme_id"], row["team_id"]), (row["theme_id"], None)):
            c = counts[key]
            c.postmortems += row["postmortems"]
            c.previous += row["previous"]
            c.factors += row["factors"]
    for row in action_rows:
        for key in ((row["theme_id"], row["team_id"]), (row["theme_id"], None)):
            c = counts[key]
            c.open += row["open"]
            c.overdue += row["overdue"]

    return counts


def restricted_filter(prefix, with_restricted):
    return Q() if with_restricted else Q(**{f"{prefix}restricted": False})


def rollup_weeks(*, period_end=None, weeks=1):
    """Roll up ``weeks`` consecutive weeks ending on ``period_end``, oldest first."""
    end = _as_date(period_end) or last_completed_week_end()
    return [rollup(end - WEEK * i) for i in reversed(range(weeks))]


# --- Ranking recurring themes ----------------------------------------------------------------


@dataclass
class ThemeTrend:
    theme_id: int
    name: str
    counts: list  # postmortems per period, oldest first
    factors: int = 0
    open_actions: int = 0
    overdue_actions: int = 0
    seen_before: bool = False  # postmortems in an earlier period than the latest one
    postmortems: list = field(default_factory=list)
    action_items: list = field(default_factory=list)
    hidden_action_items: int = 0
    action_item_count: int = 0  # open items visible to the user (only a few are listed)
    has_open_prevent: bool = False
    latest_row: int = -1

    @property
    def total(self):
        return sum(self.counts)

    @property
    def periods_with_incidents(self):
        return sum(1 for n in self.counts if n)

    @property
    def is_new(self):
        return bool(self.counts and self.counts[-1]) and not self.seen_before

    @property
    def is_recurring(self):
        return self.periods_with_incidents >= RECURRING_PERIODS

    @property
    def needs_prevention(self):
        return self.periods_with_incidents >= 2 and not self.has_open_prevent

    @property
    def sparkline(self):
        return sparkline(self.counts)


def periods_between(first, last):
    """Monday-to-Sunday weeks overlapping [first, last], oldest first."""
    start, _ = week_of(first)
    weeks = []
    while start <= last:
        weeks.append((start, start + datetime.timedelta(days=6)))
        start += WEEK
    return weeks


def trends(periods, *, team=None, with_restricted=True):
    """ThemeTrend per theme with postmortems in ``periods`` (list of (start, end) weeks),
    ranked by recurrence (periods with incidents), then by postmortems. One query.

    ``with_restricted=False`` counts no restricted postmortem (see ``reader_sees_all``)."""
    if not periods:
        return []
    index = {start: i for i, (start, _) in enumerate(periods)}
    latest = periods[-1][0]
    scope = Q(team__isnull=True) if team is None else Q(team=team)
    prefix = "" if with_restricted else "open_"
    counts = [
        f"{prefix}{name}"
        for name in (
            "postmortem_count",
            "factor_count",
            "open_action_count",
            "overdue_action_count",
        )
    ]
    if not with_restricted:
        # A row that only counts restricted postmortems does not exist for this reader.
        scope &= Q(**{f"{counts[0]}__gt": 0}) | Q(**{f"{counts[2]}__gt": 0})
    earlier = ThemeRollup.objects.filter(
        scope, theme_id=OuterRef("theme_id"), period_start__lt=latest, **{f"{counts[0]}__gt": 0}
    )
    rows = (
        ThemeRollup.objects.filter(scope, period_start__in=list(index))
        .annotate(seen_before=Exists(earlier), theme_name=F("theme__name"))
        .values_list("theme_id", "theme_name", "period_start", *counts, "seen_before")
    )
    by_theme = {}
    for theme_id, name, start, pms, factors, open_, overdue, seen in rows:
        t = by_theme.get(theme_id)
        if t is None:
            t = by_theme[theme_id] = ThemeTrend(theme_id, name, [0] * len(periods))
        t.counts[index[start]] = pms
        t.factors += factors
        if start == latest:
            t.seen_before = seen
        if index[start] > t.latest_row:
            # Action counts as of the most recent period the theme has a row for.
            t.latest_row = index[start]
            t.open_actions, t.overdue_actions = open_, overdue
    ranked = [t for t in by_theme.values() if t.total]
    ranked.sort(key=lambda t: (-t.periods_with_incidents, -t.total, t.name.lower()))
    return ranked


def reader_sees_all(user, team=None):
    """Whether ``user`` may see the roll-up counts that include restricted postmortems: a
    superuser, or a member of ``team`` looking at its own rows. Anyone else gets the counts
    without restricted postmortems (undercounting the few restricted ones they may read)."""
    from postmortems.permissions import is_team_member

    if user.is_superuser:
        return True
    return team is not None and is_team_member(user, team)


# --- Inline SVG sparkline ----------------------------------------------------------------------


def sparkline(values, *, width=120, height=28, pad=3):
    """Geometry for a server-rendered sparkline: polyline points and one dot per period."""
    if not values:
        return None
    top = max(values) or 1
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    dots = []
    for i, v in enumerate(values):
        x = pad + i * step
        y = height - pad - (height - 2 * pad) * v / top
        dots.append({"x": round(x, 1), "y": round(y, 1), "value": v})
    return {
        "width": width,
        "height": height,
        "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
    }


# --- Slack digest ------------------------------------------------------------------------------


def digest_payload(team, team_trends, period_end):
    """Block Kit + text digest for one team: its top recurring themes, by name and counts
    only. It never names a postmortem, so nothing restricted can leak through Slack."""
    link = f"{settings.SITE_URL}/kaizen/?team={team.pk}"
    with translation.override(team.language or settings.LANGUAGE_CODE):
        title = _("Kaizen digest for %(team)s, week ending %(date)s") % {
            "team": team.name,
            "date": period_end.isoformat(),
        }
        lines = []
        for t in team_trends[:DIGEST_THEMES]:
            incidents = ngettext("%(count)d incident", "%(count)d incidents", t.total) % {
                "count": t.total
            }
            lines.append(
                _(
                    "• *%(theme)s*: %(incidents)s in %(periods)d of the last %(weeks)d weeks, "
                    "%(open)d open actions"
                )
                % {
                    # Theme names are typed by anyone who writes a factor.
                    "theme": slack.escape(t.name),
                    "incidents": incidents,
                    "periods": t.periods_with_incidents,
                    "weeks": len(t.counts),
                    "open": t.open_actions,
                }
            )
        if not lines:
            lines.append(
                _("No recurring themes in the last %(weeks)d weeks.") % {"weeks": DIGEST_WEEKS}
            )
        more = _("Open the Kaizen review")
    body = "\n".join(lines)
    return {
        "text": f"{slack.escape(title)}\n{body}\n{link}",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": body}},
            {
                "type": "actions",
                "elements": [
                    {"type": "button", "text": {"type": "plain_text", "text": more}, "url": link}
                ],
            },
        ],
    }


def send_digests(period_end):
    """Queue one digest per team with a Slack webhook. Returns the SlackMessages."""
    from postmortems.services import slack_message_enqueue

    end = _as_date(period_end)
    periods = periods_between(end - WEEK * (DIGEST_WEEKS - 1), end)
    messages = []
    teams = Team.objects.exclude(slack_webhook_url="")
    for team in teams:
        payload = digest_payload(team, trends(periods, team=team), end)
        messages.append(
            slack_message_enqueue(team=team, kind=SlackMessage.Kind.DIGEST, payload=payload)
        )
    return messages


# --- Theme suggestions -----------------------------------------------------------------------

TOKEN = re.compile(r"\w+", re.UNICODE)
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "did",
        "do",
        "for",
        "from",
        "had",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "no",
        "not",
        "of",
        "on",
        "or",
        "so",
        "than",
        "that",
        "the",
        "their",
        "then",
        "there",
        "this",
        "to",
        "was",
        "we",
        "were",
        "when",
        "which",
        "while",
        "with",
        "without",
        "our",
        "after",
        "before",
        "during",
        "because",
        "could",
        "would",
        "should",
    ]
)
# How many recent tagged factors a suggestion compares against (bounded work per request).
SUGGESTION_SAMPLE = 2000
SUGGESTION_LIMIT = 5


def tokens(text):
    """Lower-cased words of two or more letters, English stop words left out. No stemming:
    Korean words are compared as written."""
    return {t for t in TOKEN.findall((text or "").lower()) if len(t) > 1 and t not in STOPWORDS}


def _keyword_found(keyword, lowered):
    keyword = keyword.lower()
    if keyword.isascii():
        return re.search(rf"\b{re.escape(keyword)}", lowered) is not None
    # Korean attaches particles to words (알림이, 알림을): a substring is a match.
    return keyword in lowered


@dataclass
class Suggestion:
    theme: object
    score: float
    keywords: list
    shared_words: list


def suggest_themes(text, *, user, limit=SUGGESTION_LIMIT, exclude=()):
    """Themes for a factor description, best first: keyword matches weigh most, then the
    share of the text's words found in past factors tagged with the theme. Two queries.

    Only themes and factors ``user`` may see take part: the shared words are quoted back,
    so comparing against a restricted factor would let anyone read it word by word."""
    from postmortems.selectors import visible_postmortems, visible_themes

    lowered = (text or "").lower()
    words = tokens(text)
    if not words:
        return []
    themes = {t.pk: t for t in visible_themes(user).exclude(pk__in=list(exclude))}
    vocab = defaultdict(set)
    through = ContributingFactor.themes.through
    rows = (
        through.objects.filter(
            theme_id__in=list(themes),
            contributingfactor__postmortem__in=visible_postmortems(user).values("pk"),
        )
        .order_by("-contributingfactor_id")
        .values_list("theme_id", "contributingfactor__description")[:SUGGESTION_SAMPLE]
    )
    for theme_id, description in rows:
        vocab[theme_id] |= tokens(description)
    suggestions = []
    for theme in themes.values():
        found = [k for k in theme.keyword_list if _keyword_found(k, lowered)]
        known = vocab[theme.pk] | tokens(theme.name) | tokens(theme.description)
        shared = sorted(words & known)
        score = 2.0 * len(found) + len(shared) / len(words)
        if found or shared:
            suggestions.append(Suggestion(theme, round(score, 3), found, shared))
    suggestions.sort(key=lambda s: (-s.score, s.theme.name.lower()))
    return suggestions[:limit]


# --- Drill-down for the Kaizen page ------------------------------------------------------------

DRILL_LIMIT = 5


def attach_drill_down(theme_trends, *, user, first, last, team=None):
    """Give each trend the postmortems (of [first, last]) and open action items that ``user``
    may see, and whether any open preventive item exists. Two queries for all themes.

    Titles come only from ``visible_postmortems(user)`` (and items of those postmortems);
    the preventive-item check looks at every item but reads no title."""
    from postmortems.selectors import visible_postmortems

    trends_by_id = {t.theme_id: t for t in theme_trends}
    if not trends_by_id:
        return theme_trends
    ids = list(trends_by_id)
    pms = (
        visible_postmortems(user)
        .annotate(at=Coalesce("started_at", "created_at"))
        .filter(
            at__gte=day_start(first),
            at__lt=day_start(last + datetime.timedelta(days=1)),
            factors__themes__in=ids,
        )
    )
    if team is not None:
        pms = pms.filter(team=team)
    seen = set()
    for theme_id, pk, title, severity, at in pms.values_list(
        "factors__themes", "pk", "title", "severity", "at"
    ).order_by("-at", "-pk"):
        if (theme_id, pk) in seen:
            continue
        seen.add((theme_id, pk))
        trends_by_id[theme_id].postmortems.append(
            {"pk": pk, "title": title, "severity": severity, "at": at}
        )

    # Only the first DRILL_LIMIT visible items per theme travel to Python; window functions
    # give each theme's count of visible items and whether any open item prevents.
    visible = Case(
        When(postmortem__in=visible_postmortems(user).values("pk"), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    theme = F("factor__themes")
    items = (
        ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES, factor__themes__in=ids)
        .annotate(
            theme_id=theme,
            visible=visible,
            rank=Window(
                RowNumber(), partition_by=[theme, visible], order_by=[F("due_date"), F("pk")]
            ),
            in_group=Window(Count("pk"), partition_by=[theme, visible]),
            prevents=Window(
                Max(Case(When(kind=ActionItem.Kind.PREVENT, then=Value(1)), default=Value(0))),
                partition_by=[theme],
            ),
        )
        .filter(rank__lte=DRILL_LIMIT)
    )
    if team is not None:
        items = items.filter(team=team)
    rows = items.values_list(
        "theme_id", "pk", "title", "kind", "due_date", "visible", "in_group", "prevents"
    ).order_by("due_date", "pk")
    for theme_id, pk, title, kind, due, is_visible, in_group, prevents in rows:
        t = trends_by_id[theme_id]
        t.has_open_prevent = t.has_open_prevent or bool(prevents)
        if is_visible:
            t.action_item_count = in_group
            t.action_items.append(
                {
                    "pk": pk,
                    "title": title,
                    "kind": kind,
                    "kind_label": ActionItem.Kind(kind).label,
                    "due_date": due,
                }
            )
        else:
            t.hidden_action_items = in_group
    return theme_trends
