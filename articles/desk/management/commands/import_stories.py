from django.core.management.base import BaseCommand, CommandError

from articles.desk.importer import StoryError, StoryImporter, read_story, story_files
from articles.models import Author, Section, Tag
from articles.sanitize import clean_text
from articles.syndication import websub

MAX_TAG_LENGTH = Tag._meta.get_field("name").max_length


class Command(BaseCommand):
    help = (
        "Import plain-text stories (headline on the first line, paragraphs separated by blank "
        "lines, 'SEE ALSO: <headline>' lines between paragraphs) as draft articles. Running it "
        "again creates nothing twice and resolves SEE ALSO lines whose story now exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Story .txt files or folders of them.")
        parser.add_argument("--section", help="Slug of the section for new articles.")
        parser.add_argument(
            "--tag", action="append", default=[], help="Tag name for new articles (repeatable)."
        )
        parser.add_argument(
            "--author",
            action="append",
            default=[],
            help="Author slug, in byline order (repeatable).",
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish new articles now instead of drafts."
        )

    def handle(self, *args, paths, section=None, tag=(), author=(), publish=False, **options):
        new_articles = {
            "section": self._section(section),
            "authors": self._authors(author),
            "tags": [self._tag(name) for name in tag if clean_text(name)],
            "publish": publish,
        }
        importer = StoryImporter()
        failures = self._add_stories(importer, paths, new_articles)
        self._report_links(importer.link_all())
        if publish:
            self._announce(importer.results)
        created = sum(result.created for result in importer.results)
        self.stdout.write(
            self.style.SUCCESS(
                f"{created} article(s) created, {len(importer.results) - created} already "
                f"there, {failures} file(s) with errors."
            )
        )
        if failures:
            raise CommandError(f"{failures} file(s) could not be imported; see the lines above.")

    def _add_stories(self, importer, paths, new_articles):
        """Each readable story into the importer; an error line for each other file."""
        failures = 0
        for path, error in story_files(paths):
            try:
                if error is not None:
                    raise error
                story = read_story(path)
            except StoryError as story_error:
                failures += 1
                self.stderr.write(f"{path}: {story_error}")
                continue
            result = importer.add(story, **new_articles)
            result.path = path
        return failures

    def _report_links(self, results):
        for result in results:
            state = "created" if result.created else "already imported"
            self.stdout.write(f"{result.path}: {state}: {result.article.headline}")
            for target in result.linked:
                self.stdout.write(f"  SEE ALSO linked: {target.headline}")
            for headline in result.self_references:
                self.stderr.write(f"{result.path}: SEE ALSO “{headline}” names this story itself")
            for headline in result.unresolved:
                self.stderr.write(
                    f"{result.path}: SEE ALSO “{headline}” matches no article yet; "
                    "run the import again once that story exists"
                )

    def _announce(self, results):
        for result in results:
            if result.created:
                websub.announce(result.article)
        websub.wait_for_pings(timeout=60)

    def _section(self, slug):
        if not slug:
            return None
        try:
            return Section.objects.get(slug=slug)
        except Section.DoesNotExist:
            known = ", ".join(Section.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No section with slug “{slug}” (known: {known}).") from None

    def _authors(self, slugs):
        found = Author.objects.in_bulk(slugs, field_name="slug")
        if missing := [slug for slug in slugs if slug not in found]:
            raise CommandError(f"No author with slug: {', '.join(missing)}.")
        return [found[slug] for slug in dict.fromkeys(slugs)]

    def _tag(self, name):
        if len(clean_text(name)) > MAX_TAG_LENGTH:
            raise CommandError(f"A tag name has at most {MAX_TAG_LENGTH} characters: “{name}”.")
        return Tag.objects.named(name)
