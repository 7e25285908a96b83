import pytest
import time_machine

from actions import reminders
from actions.models import ReminderLog
from postmortems.models import SlackMessage
from tests.factories import PostmortemFactory

from .support import (
    Kind,
    day,
    deliver,
    linked_item_ids,
    make_item,
    person,
    section_texts,
    sweep_on,
)

# --- One message per team, grouped by person -----------------------------------------------


@pytest.mark.django_db
def test_one_message_per_team_grouped_by_assignee(
    team, other_team, settings, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://hindsight.example.com"
    team.slack_webhook_url = slack_receiver.url("/services/T1/B1/payments")
    team.save()
    other_team.slack_webhook_url = slack_receiver.url("/services/T1/B2/search")
    other_team.save()
    ann = person("ann", "Ann", "Cho", slack_id="U012AB3CD")
    bob = person("bob", "Bob", "Yoon")
    with time_machine.travel(day(-1), tick=False):
        ann_late = make_item(team, assignee=ann, title="Page on queue depth", priority="P1")
        ann_today = make_item(team, assignee=ann, due=day(1).date(), title="Runbook for failover")
        bob_soon = make_item(team, assignee=bob, due=day(3).date(), title="Alert <!channel> & co")
        nobody = make_item(team, due=day(30).date(), title="Decide cache TTL")
        search_item = make_item(other_team, assignee=bob, title="Reindex guard")

    report = deliver(django_capture_on_commit_callbacks, 1)

    assert report.messages_queued == 2
    assert SlackMessage.objects.filter(kind=SlackMessage.Kind.REMINDERS).count() == 2
    by_path = {r["path"]: r["json"] for r in slack_receiver.requests}
    assert set(by_path) == {"/services/T1/B1/payments", "/services/T1/B2/search"}
    payments = by_path["/services/T1/B1/payments"]
    assert linked_item_ids(by_path["/services/T1/B2/search"]) == [search_item.pk]

    sections = section_texts(payments)
    ann_section = next(s for s in sections if "<@U012AB3CD>" in s)
    bob_section = next(s for s in sections if s.startswith("*Bob Yoon*"))
    nobody_section = next(s for s in sections if "Nobody assigned yet" in s)
    # Most urgent first within a person's list.
    assert linked_item_ids({"blocks": [_block(ann_section)]}) == [ann_late.pk, ann_today.pk]
    assert linked_item_ids({"blocks": [_block(bob_section)]}) == [bob_soon.pk]
    assert linked_item_ids({"blocks": [_block(nobody_section)]}) == [nobody.pk]
    assert (
        sections.index(ann_section) < sections.index(bob_section) < sections.index(nobody_section)
    )
    assert f"<https://hindsight.example.com/actions/{ann_late.pk}/|Page on queue depth>" in (
        ann_section
    )
    assert "P1" in ann_section
    assert "due 2026-03-18" in ann_section
    assert "1 day overdue" in ann_section
    assert "due today" in ann_section
    assert "due in 2 days" in bob_section
    # Titles cannot ping the channel or break the link syntax.
    assert "Alert &lt;!channel&gt; &amp; co" in bob_section
    assert "<!channel>" not in str(payments)
    dashboard = f"https://hindsight.example.com/actions/?team={team.pk}&status=open"
    assert dashboard in section_texts(payments)[-1]
    assert payments["text"].startswith("Action-item reminders for Payments, 2026-03-19")
    assert dashboard in payments["text"]
    assert payments["blocks"][0]["type"] == "header"


def _block(text):
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


@pytest.mark.django_db
def test_a_malformed_slack_member_id_is_shown_as_the_name(team):
    eve = person("eve", "Eve", "Han", slack_id="U1> <!here")
    with time_machine.travel(day(-10), tick=False):
        make_item(team, assignee=eve)
    sweep_on(1)
    text = "\n".join(section_texts(SlackMessage.objects.get().payload))
    assert "*Eve Han*" in text
    assert "<!here" not in text


@pytest.mark.django_db
def test_two_hundred_items_stay_within_slack_limits(team, settings):
    settings.SITE_URL = "https://hindsight.example.com"
    people = [person(f"p{n}", f"Person{n}", "Kim", slack_id=f"U{n:08d}") for n in range(20)]
    postmortem = PostmortemFactory(team=team)
    long_title = "Make the fail-over runbook cover the read replicas & the <cache> " * 3
    with time_machine.travel(day(-10), tick=False):
        for n in range(200):
            make_item(
                team,
                postmortem=postmortem,
                assignee=people[n % 20],
                title=long_title[:190] + str(n),
            )
    sweep_on(1)
    payload = SlackMessage.objects.get().payload
    assert len(payload["blocks"]) <= 50
    assert all(len(t) <= 3000 for t in section_texts(payload))
    assert len(payload["blocks"][0]["text"]["text"]) <= 150
    listed = linked_item_ids(payload)
    assert len(listed) == len(set(listed))
    more = 200 - len(listed)
    assert 0 < len(listed) <= reminders.MAX_LISTED_ITEMS
    closing = section_texts(payload)[-1]
    assert f"…and {more} more items." in closing
    assert f"https://hindsight.example.com/actions/?team={team.pk}&status=open" in closing
    assert len(payload["text"]) <= 3000
    # Every reminder is still recorded, listed or not.
    assert ReminderLog.objects.filter(kind=Kind.OVERDUE).count() == 200


@pytest.mark.django_db
def test_two_hundred_people_hit_the_block_limit_not_the_item_limit(team):
    postmortem = PostmortemFactory(team=team)
    with time_machine.travel(day(-10), tick=False):
        for n in range(200):
            make_item(team, postmortem=postmortem, assignee=person(f"q{n}", f"Q{n:03d}", "Park"))
    sweep_on(1)
    payload = SlackMessage.objects.get().payload
    assert len(payload["blocks"]) == 50
    listed = len(linked_item_ids(payload))
    assert listed == 50 - 3  # header, summary and the closing line take three blocks
    assert f"…and {200 - listed} more items." in section_texts(payload)[-1]


# --- Restricted postmortems ---------------------------------------------------------------
@pytest.mark.django_db
def test_a_restricted_items_title_never_reaches_a_channel_that_cannot_open_it(
    team, other_team, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    other_team.slack_webhook_url = slack_receiver.url()
    other_team.save()
    with time_machine.travel(day(-10), tick=False):
        # Owned by Search before Payments made the postmortem restricted.
        item = make_item(
            other_team,
            postmortem=PostmortemFactory(team=team, restricted=True),
            title="Rotate the quokka signing key",
        )

    deliver(django_capture_on_commit_callbacks, 1)

    (request,) = slack_receiver.requests
    assert "quokka" not in request["body"].decode().lower()
    assert "restricted action item" in request["body"].decode()
    assert linked_item_ids(request["json"]) == [item.pk]


@pytest.mark.django_db
def test_a_restricted_items_title_is_reminded_in_its_own_teams_channel(
    team, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    with time_machine.travel(day(-10), tick=False):
        make_item(
            team,
            postmortem=PostmortemFactory(team=team, restricted=True),
            title="Rotate the quokka signing key",
        )

    deliver(django_capture_on_commit_callbacks, 1)

    (request,) = slack_receiver.requests
    assert "quokka" in request["body"].decode()
