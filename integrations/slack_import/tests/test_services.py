import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from integrations.models import SlackImport
from integrations.slack_import import services
from tests.factories import PostmortemFactory


def test_uploads_older_than_a_day_are_deleted_with_their_files(team, alice, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    postmortem = PostmortemFactory(team=team)
    old = services.slack_import_start(
        postmortem=postmortem, by=alice, archive=ContentFile(b"zip", name="x.zip")
    )
    path = old.archive.path
    SlackImport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    fresh = SlackImport.objects.create(postmortem=postmortem, created_by=alice, pasted_text="x")
    assert services.slack_imports_discard_stale() == 1
    assert list(SlackImport.objects.all()) == [fresh]
    assert not (tmp_path / "uploads").joinpath(path).exists()
