import re
import socket

import pytest

from articles.body import split_blocks
from articles.desk.importer import StoryError, parse_story
from articles.models import Article, RelatedLink, Tag
from tests.factories import make_article, make_author, make_section, run_import

pytestmark = pytest.mark.django_db

STORY = """Xiaomi and Huawei to Invest in NIO Battery Supplier Welion New Energy, Sources Say

Two of China's biggest device makers are preparing to back a battery maker,
people familiar with the matter said.

The deal would value the supplier at several billion yuan.

SEE ALSO: NIO Opens Its 3,000th Battery Swap Station

NIO has bought packs from the supplier since 2021.
"""

TARGET = "NIO Opens Its 3,000th Battery Swap Station"


def test_parse_story_joins_wrapped_lines_and_places_see_also():
    story = parse_story(STORY)
    assert story.headline.startswith("Xiaomi and Huawei")
    assert story.paragraphs[0] == (
        "Two of China's biggest device makers are preparing to back a battery maker, "
        "people familiar with the matter said."
    )
    assert len(story.paragraphs) == 3
    assert story.see_also == [(2, TARGET)]


def test_see_also_line_without_blank_lines_around_it():
    story = parse_story("Headline\n\nOne.\nSee also: Other story\nTwo.\n")
    assert story.paragraphs == ["One.", "Two."]
    assert story.see_also == [(1, "Other story")]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("  \n\n \t\n", "empty"),
        ("SEE ALSO: Something\n\nText.", "no headline"),
        ("x" * 300 + "\n\nText.", "no headline"),
        ("Only a headline\n\n", "no paragraphs"),
    ],
)
def test_bad_stories_are_explained(text, message):
    with pytest.raises(StoryError, match=message):
        parse_story(text)


def test_import_renders_see_also_between_the_right_paragraphs(tmp_path, client):
    target = make_article(TARGET)
    (tmp_path / "welion.txt").write_text(STORY, encoding="utf-8")
    out, err = run_import(tmp_path / "welion.txt", "--publish")
    assert "created" in out and not err

    article = Article.objects.get(headline__startswith="Xiaomi and Huawei")
    assert article.status == Article.Status.PUBLISHED
    page = client.get(article.get_absolute_url()).content.decode()
    second = page.index("several billion yuan")
    box = page.index('class="see-also see-also--inline"')
    third = page.index("NIO has bought packs")
    assert second < box < third
    assert f'href="{target.get_absolute_url()}"' in page[box:third]


def test_second_run_creates_nothing_and_resolves_links_once_the_story_exists(tmp_path):
    (tmp_path / "welion.txt").write_text(STORY, encoding="utf-8")
    out, err = run_import(tmp_path)
    assert "matches no article yet" in err
    assert Article.objects.count() == 1 and RelatedLink.objects.count() == 0

    (tmp_path / "swap.txt").write_text(f"{TARGET.upper()}!\n\nThe station opened today.\n")
    out, err = run_import(tmp_path)
    assert Article.objects.count() == 2
    link = RelatedLink.objects.get()
    assert link.target_article.headline.startswith("NIO OPENS")
    # The marker stands where the SEE ALSO line stood: after the second paragraph.
    blocks = split_blocks(link.article.body)
    assert blocks[2] == f'<div data-see-also="{link.target_article_id}"></div>'
    assert len(blocks) == 4
    assert "already imported" in out

    run_import(tmp_path)
    assert Article.objects.count() == 2 and RelatedLink.objects.count() == 1


def test_stories_in_one_run_link_to_each_other(tmp_path):
    (tmp_path / "a.txt").write_text("Story A\n\nText.\n\nSEE ALSO: story b\n\nMore.")
    (tmp_path / "b.txt").write_text("Story B\n\nText.\n\nSEE ALSO: Story A.\n\nMore.")
    out, err = run_import(tmp_path)
    assert not err
    assert RelatedLink.objects.count() == 2


def test_options_for_section_tags_and_authors(tmp_path):
    section = make_section(slug="ev")
    first, second = make_author(slug="ann"), make_author(slug="bo")
    Tag.objects.create(name="NIO")
    (tmp_path / "story.txt").write_text(STORY)
    run_import(tmp_path, "--section", "ev", "--tag", "nio", "--tag", "Batteries",
               "--author", "bo", "--author", "ann")  # fmt: skip
    article = Article.objects.get()
    assert article.section == section
    assert sorted(article.tags.values_list("name", flat=True)) == ["Batteries", "NIO"]
    assert article.byline == [second, first]
    assert article.status == Article.Status.DRAFT


def test_bad_files_get_an_error_line_each_and_do_not_stop_the_others(tmp_path):
    (tmp_path / "good.txt").write_text("Good story\n\nA paragraph.")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\xff\xfe\x00\x81 not text")
    (tmp_path / "no-headline.txt").write_text("SEE ALSO: Good story\n")
    out, err = run_import(tmp_path, tmp_path / "missing.txt")
    assert Article.objects.filter(headline="Good story").exists()
    lines = err.strip().splitlines()
    assert any(re.search(r"empty\.txt: the file is empty", line) for line in lines)
    assert any("binary.txt: not UTF-8 text" in line for line in lines)
    assert any("no-headline.txt: no headline" in line for line in lines)
    assert any("missing.txt: no such file or folder" in line for line in lines)
    assert "CommandError: 4 file(s) could not be imported" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "option, message",
    [(["--section", "nope"], "No section"), (["--author", "nobody"], "No author")],
)
def test_bad_options_are_explained(tmp_path, option, message):
    (tmp_path / "story.txt").write_text(STORY)
    out, err = run_import(tmp_path, *option)
    assert message in err
    assert not Article.objects.exists()


def test_unreadable_file_is_reported(tmp_path, monkeypatch):
    # A socket where a story should be: it is there, yet opening it fails, for root too.
    monkeypatch.chdir(tmp_path)  # a socket address holds ~100 bytes: bind a relative one
    story = tmp_path / "story.txt"
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind("story.txt")
        out, err = run_import(story)
    assert err.splitlines()[0].startswith(f"{story}: cannot be read (")
    assert "CommandError: 1 file(s) could not be imported" in err
    assert not Article.objects.exists()
