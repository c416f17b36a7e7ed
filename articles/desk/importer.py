"""Stories as reporters file them, in plain text, turned into draft articles.

A story is a headline on its first line, then paragraphs separated by blank lines. A line
``SEE ALSO: <headline of another story>`` between two paragraphs becomes a related link placed
after the paragraph before it.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from articles.body import insert_markers
from articles.models import Article, Byline, Revision
from articles.sanitize import clean_text, headline_key

from .workflow import Action

SEE_ALSO = re.compile(r"^\s*see\s+also\s*:\s*(?P<headline>.*?)\s*$", re.IGNORECASE)
MAX_HEADLINE = Article._meta.get_field("headline").max_length


class StoryError(ValueError):
    """A story file that cannot be imported, with a message for the person who filed it."""


@dataclass
class Story:
    headline: str
    paragraphs: list[str]
    # (number of paragraphs before the line, headline it names)
    see_also: list[tuple[int, str]] = field(default_factory=list)

    @property
    def body_html(self):
        return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in self.paragraphs)


def parse_story(text):
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise StoryError("the file is empty")
    lines = text.split("\n")
    while not lines[0].strip():
        lines.pop(0)
    story = Story(headline=_headline(lines.pop(0)), paragraphs=[])
    _read_body(story, lines)
    if not story.paragraphs:
        raise StoryError("the story has a headline but no paragraphs")
    return story


def _headline(line):
    headline = clean_text(line)
    if SEE_ALSO.match(headline):
        raise StoryError("no headline: the first line is a SEE ALSO line")
    if len(headline) > MAX_HEADLINE:
        raise StoryError(
            f"no headline: the first line has {len(headline)} characters "
            f"(a headline has at most {MAX_HEADLINE}); put the headline alone on the first line"
        )
    return headline


def _read_body(story, lines):
    """Paragraphs (separated by blank lines) and the SEE ALSO lines between them."""
    current = []

    def end_paragraph():
        if current:
            story.paragraphs.append(clean_text(" ".join(current)))
            current.clear()

    for line in lines:
        if not line.strip():
            end_paragraph()
        elif match := SEE_ALSO.match(line):
            end_paragraph()
            if target := clean_text(match["headline"]):
                story.see_also.append((len(story.paragraphs), target))
        else:
            current.append(line.strip())
    end_paragraph()


MAX_STORY_BYTES = 1_000_000


def read_story(path):
    try:
        if Path(path).stat().st_size > MAX_STORY_BYTES:
            raise StoryError(
                f"too large for a story ({Path(path).stat().st_size:,} bytes; "
                f"at most {MAX_STORY_BYTES:,})"
            )
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise StoryError("not UTF-8 text") from None
    except OSError as error:
        raise StoryError(f"cannot be read ({error.strerror or error})") from None
    return parse_story(text)


def story_files(paths):
    """Each path as given, or the .txt files in it if it is a folder; (path, error) pairs."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.txt") if p.is_file())
            if not files:
                yield path, StoryError("the folder has no .txt stories")
            for file in files:
                yield file, None
        elif path.exists():
            yield path, None
        else:
            yield path, StoryError("no such file or folder")


@dataclass
class Imported:
    article: Article
    story: Story
    created: bool
    linked: list[Article] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    self_references: list[str] = field(default_factory=list)


class StoryImporter:
    """Adds stories, then resolves all their SEE ALSO lines once every story is in."""

    def __init__(self):
        self.results = []

    @transaction.atomic
    def add(self, story, *, section=None, tags=(), authors=(), publish=False):
        article = Article.objects.by_headline(story.headline).first()
        created = article is None
        if created:
            article = Article(
                headline=story.headline,
                body=story.body_html,
                section=section,
                status=Article.Status.PUBLISHED if publish else Article.Status.DRAFT,
                published_at=timezone.now() if publish else None,
            )
            article.save()
            article.tags.add(*tags)
            Byline.objects.bulk_create(
                Byline(article=article, author=author, position=position)
                for position, author in enumerate(authors)
            )
            Revision.capture(article, action=Action.IMPORT.label)
        result = Imported(article=article, story=story, created=created)
        self.results.append(result)
        return result

    @transaction.atomic
    def link_all(self):
        for result in self.results:
            self._link(result)
        return self.results

    def _link(self, result):
        """Each resolved SEE ALSO line becomes a marker where it stood, and so a link."""
        article = result.article
        result.linked, result.unresolved, result.self_references = [], [], []
        already = {link.key for link in article.related_links.all()}
        placements = []
        for after_paragraph, headline in result.story.see_also:
            if headline_key(headline) == article.headline_key:
                result.self_references.append(headline)
                continue
            target = Article.objects.by_headline(headline).exclude(pk=article.pk).first()
            if target is None:
                result.unresolved.append(headline)
                continue
            if str(target.pk) not in already:
                already.add(str(target.pk))
                placements.append((after_paragraph, str(target.pk)))
                result.linked.append(target)
        if placements:
            # The links make a new version of the article, kept like any other.
            article.body = insert_markers(article.body, placements)
            article.save()
            Revision.capture(article, action=Action.IMPORT.label)
