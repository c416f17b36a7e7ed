"""A replaced or deleted image leaves no file at its public address: neither the original nor
any rendition."""

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from articles.images.renditions import generate_renditions, rendition_name, widths_for
from articles.models import Article
from tests.factories import image_upload, make_article, make_author

pytestmark = pytest.mark.django_db(transaction=True)


def files_of(name, width):
    return [name] + [
        rendition_name(name, size, fmt) for size in widths_for(width) for fmt in ("webp", "jpg")
    ]


def existing(paths):
    return [path for path in paths if default_storage.exists(path)]


def article_with_hero(size=(700, 400)):
    article = make_article(hero_image=image_upload("hero.png", size=size), hero_alt="A hero")
    generate_renditions(article.hero_image)
    return article


def test_replacing_a_hero_image_deletes_the_old_files_and_keeps_the_new():
    article = article_with_hero()
    old = files_of(article.hero_image.name, article.hero_width)
    assert existing(old) == old

    article.hero_image = image_upload("other.png", size=(500, 300))
    article.save()
    generate_renditions(article.hero_image)

    assert existing(old) == []
    new = files_of(article.hero_image.name, article.hero_width)
    assert existing(new) == new


def test_removing_the_hero_image_deletes_its_files():
    article = article_with_hero()
    old = files_of(article.hero_image.name, article.hero_width)
    article.hero_image = None
    article.save()
    assert existing(old) == []


def test_deleting_an_article_deletes_its_image_files():
    article = article_with_hero()
    old = files_of(article.hero_image.name, article.hero_width)
    article.delete()
    assert existing(old) == []


def test_saving_other_fields_keeps_the_image():
    article = article_with_hero()
    files = files_of(article.hero_image.name, article.hero_width)
    article.headline = "A new headline"
    article.save()
    Article.objects.get(pk=article.pk).save(update_fields=["headline"])
    assert existing(files) == files


def test_a_rolled_back_replacement_keeps_the_old_files():
    article = article_with_hero()
    old = files_of(article.hero_image.name, article.hero_width)
    with pytest.raises(RuntimeError), transaction.atomic():
        article.hero_image = image_upload("other.png")
        article.save()
        raise RuntimeError("the save is undone")
    assert existing(old) == old


def test_a_file_another_row_still_uses_stays():
    article = article_with_hero()
    name, width = article.hero_image.name, article.hero_width
    twin = make_article(hero_alt="Same picture")
    Article.objects.filter(pk=twin.pk).update(hero_image=name, hero_width=width)
    article.delete()
    assert existing(files_of(name, width)) == files_of(name, width)


def test_replacing_an_author_photo_deletes_the_old_files():
    author = make_author(photo=image_upload("face.png", size=(400, 400)))
    generate_renditions(author.photo)
    old = files_of(author.photo.name, author.photo_width)
    assert existing(old) == old
    author.photo = image_upload("face2.png", size=(300, 300))
    author.save()
    assert existing(old) == []
