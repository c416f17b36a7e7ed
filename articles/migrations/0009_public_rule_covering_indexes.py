# Indexes that carry every column of the public rule, take-down time and trash included.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0008_trash_expiry_pending_drafts'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='article',
            name='article_section_idx',
        ),
        migrations.RemoveIndex(
            model_name='article',
            name='article_public_idx',
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['status', '-published_at', '-id', 'trashed_at', 'expires_at'], name='article_public_list_idx'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['section', 'status', '-published_at', 'trashed_at', 'expires_at'], name='article_section_list_idx'),
        ),
    ]
