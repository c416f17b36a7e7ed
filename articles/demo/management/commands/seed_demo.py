import json
import os
import time
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.body import insert_markers, split_blocks
from articles.demo.images import illustration
from articles.demo.synthetic import generate_articles
from articles.desk.importer import StoryImporter, read_story
from articles.images.tasks import render_and_record
from articles.models import Article, Author, BodyImage, RelatedLink, Section, Tag

DEMO_DIR = Path(__file__).resolve().parents[2]
DEMO_ACCOUNTS = [("editor", "Editor"), ("writer", "Writer")]


class Command(BaseCommand):
    help = (
        "Load the demo newsroom (sections, authors, a dozen stories with images and SEE ALSO "
        "links, demo accounts). Safe to run again: it creates nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count",
            type=int,
            default=0,
            help="Also make sure N synthetic published articles exist (for benchmarks).",
        )
        parser.add_argument(
            "--no-accounts", action="store_true", help="Do not create the demo accounts."
        )

    def handle(self, *args, count=0, no_accounts=False, **options):
        if count < 0:
            raise CommandError("--count must be zero or more.")
        manifest = json.loads((DEMO_DIR / "stories.json").read_text(encoding="utf-8"))
        with transaction.atomic():
            created = self._load_stories(manifest)
        self.stdout.write(
            f"Demo stories: {created} created, {len(manifest['stories']) - created} already there."
        )
        if count:
            started = time.monotonic()
            made = generate_articles(count, progress=Progress(self.stderr))
            self.stdout.write(
                f"Synthetic articles: {made} created ({count} wanted in all) "
                f"in {time.monotonic() - started:.1f} s."
            )
        if not no_accounts:
            self._accounts()

    def _load_stories(self, manifest):
        sections = {}
        for position, data in enumerate(manifest["sections"]):
            sections[data["slug"]], _ = Section.objects.get_or_create(
                slug=data["slug"],
                defaults={
                    "name": data["name"],
                    "description": data["description"],
                    "position": position,
                },
            )
        authors = {}
        for data in manifest["authors"]:
            authors[data["slug"]], _ = Author.objects.get_or_create(
                slug=data["slug"], defaults={"name": data["name"], "bio": data["bio"]}
            )

        importer = StoryImporter()
        entries = []
        for entry in manifest["stories"]:
            tags = [Tag.objects.named(name) for name in entry["tags"]]
            result = importer.add(
                read_story(DEMO_DIR / "stories" / entry["file"]),
                section=sections[entry["section"]],
                tags=tags,
                authors=[authors[slug] for slug in entry["authors"]],
            )
            if result.created:
                self._dress(result.article, entry, lead=result.story.paragraphs[0])
            entries.append((result, entry))
        importer.link_all()
        for result, entry in entries:
            self._outside_links(result.article, entry.get("external_links", []))
        return sum(result.created for result, _ in entries)

    def _dress(self, article, entry, *, lead):
        """Image, SEO and publication state for a story the import just created."""
        hero = entry["hero"]
        image = illustration(hero["colors"], seed=entry["file"])
        name = f"{Path(entry['file']).stem}.jpg"
        article.hero_image.save(name, ContentFile(image, name=name), save=False)
        article.hero_alt = hero["alt"]
        article.hero_caption = hero["caption"]
        article.hero_credit = hero["credit"]
        article.seo_description = entry.get("seo_description", "")[:160]
        article.dek = entry.get("dek") or _first_sentence(lead)
        article.featured = entry.get("featured", False)
        if picture := entry.get("body_image"):
            self._place_body_image(article, picture, seed=entry["file"])
        if entry["status"] in {"published", "scheduled"}:
            article.status = Article.Status.PUBLISHED
            article.published_at = timezone.now() - timedelta(hours=entry["hours_ago"])
        article.save()
        try:
            render_and_record(article, "hero_image")
        except ValueError as error:
            self.stderr.write(f"{entry['file']}: {error}")
        # Filed and published at the same time: no "Updated" line on the page.
        if article.is_public:
            Article.objects.filter(pk=article.pk).update(updated_at=article.published_at)

    def _place_body_image(self, article, picture, *, seed):
        """An illustration in the body, after paragraph `after_paragraph`, as an editor places
        one from the body editor."""
        image = BodyImage(alt=picture["alt"], caption=picture["caption"], credit=picture["credit"])
        data = illustration(picture["colors"], seed=f"{seed}-body", size=(1200, 800))
        image.file.save("illustration.jpg", ContentFile(data), save=False)
        image.save()
        render_and_record(image, "file")
        blocks = split_blocks(article.body)
        place = picture["after_paragraph"]
        article.body = "".join([*blocks[:place], image.marker, *blocks[place:]])

    def _outside_links(self, article, links):
        placements = []
        for link in links:
            _, created = RelatedLink.objects.get_or_create(
                article=article,
                url=link["url"],
                defaults={"title": link["title"], "position": article.related_links.count()},
            )
            if created and link.get("after_paragraph") is not None:
                placements.append((link["after_paragraph"], link["url"]))
        if placements:
            # Placed between paragraphs, as an editor's box would be.
            article.body = insert_markers(article.body, placements)
            article.save()

    def _accounts(self):
        password = os.environ.get("DEMO_PASSWORD", "newsroom-demo")
        User = get_user_model()
        for username, role in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": True, "email": f"{username}@example.com"}
            )
            if created:
                user.set_password(password)
                user.save()
                user.groups.add(Group.objects.get(name=role))
            state = "created" if created else "exists; password unchanged"
            self.stdout.write(f"Demo {role.lower()} account: {username} / {password} ({state})")


class Progress:
    """One line on stderr, rewritten in place on a terminal; in a log, a line every 10%."""

    def __init__(self, stream):
        self.stream = stream
        self.started = time.monotonic()
        self.interactive = stream.isatty()
        self.shown = 0

    def __call__(self, done, total):
        if not self.interactive and done < total and done * 10 // total == self.shown * 10 // total:
            return
        self.shown = done
        seconds = time.monotonic() - self.started
        rate = done / seconds if seconds else 0
        left = f", about {(total - done) / rate:.0f} s left" if rate and done < total else ""
        line = f"Synthetic articles: {done:,} / {total:,} ({done / total:.0%}), {rate:,.0f}/s{left}"
        if self.interactive:
            self.stream.write(
                f"\r{line}\033[K", style_func=plain, ending="\n" if done == total else ""
            )
            self.stream.flush()
        else:
            self.stream.write(line, style_func=plain)


def _first_sentence(paragraph):
    sentence = paragraph.split(". ", 1)[0].rstrip(".")
    return sentence + "." if len(sentence) < 300 else ""


def plain(text):
    return text
