import datetime
import io
import tracemalloc
import zipfile

import pytest

from integrations.slack_import.export import ExportError, SlackExport

from .export_factory import START, write_export


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    return write_export(tmp_path_factory.mktemp("slack") / "export.zip", messages=10_000)


def test_the_generated_export_has_10k_messages_in_three_channels(export):
    assert export.messages == 10_000
    with SlackExport(export.path) as reader:
        assert reader.channels() == ["deploys", "general", "incident-42"]


def test_every_message_but_channel_joins_is_read_with_its_exact_time(export):
    with SlackExport(export.path) as reader:
        read = list(reader.messages("incident-42"))
    assert [m.ts for m in read] == export.importable["incident-42"]
    assert read[0].at == START
    assert all(m.at.utcoffset() == datetime.timedelta(0) for m in read)


def test_a_window_reads_only_the_messages_inside_it(export):
    start = START + datetime.timedelta(minutes=1860)  # messages 1860..1919 of the channel
    end = start + datetime.timedelta(minutes=59)
    with SlackExport(export.path) as reader:
        read = list(reader.messages("general", start, end))
    assert len(read) == 60 - 1  # one of the 60 minutes is a channel_join
    assert all(start <= m.at <= end for m in read)


def test_threads_edits_bots_files_and_mentions_are_understood(export):
    with SlackExport(export.path) as reader:
        read = {
            m.ts: m
            for m in reader.messages("incident-42", None, START + datetime.timedelta(hours=1))
        }
    ordered = sorted(read.values(), key=lambda m: m.at)
    parent, first_reply = ordered[0], ordered[1]
    assert not parent.is_reply and first_reply.is_reply
    assert first_reply.thread_key == parent.ts
    assert ordered[3].edited
    bot = ordered[5]
    assert (bot.bot, bot.author, bot.text) == (True, "deploybot", "Deploy 5 finished & healthy")
    assert ordered[7].files == ("graph-7.png",)
    assert ordered[4].text.startswith("@Alice Kim can you look at [the dashboard](https://")


def test_reading_a_channel_holds_one_message_at_a_time_not_the_export(export):
    tracemalloc.start()
    try:
        with SlackExport(export.path) as reader:
            count = sum(1 for _ in reader.messages("incident-42"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count > 3000
    assert peak < 2 * 2**20  # the channel's messages alone are several MB as objects


def test_a_zip_without_channel_folders_is_not_an_export():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(ExportError):
        SlackExport(buffer)


def test_a_day_file_that_is_not_json_is_reported(tmp_path):
    path = tmp_path / "broken.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("incident/2026-11-20.json", '[{"ts": "1763596800.000100", "text": ')
    with SlackExport(path) as reader, pytest.raises(ExportError, match="not valid JSON"):
        list(reader.messages("incident"))
