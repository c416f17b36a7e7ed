# Trash, take-down times, pending drafts of changes to live articles, and revision notes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0007_article_body_text'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='draft_of',
            field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='pending_draft', to='articles.article'),
        ),
        migrations.AddField(
            model_name='article',
            name='expires_at',
            field=models.DateTimeField(blank=True, help_text='Optional: the article stops being public at this time, by itself.', null=True, verbose_name='take down at'),
        ),
        migrations.AddField(
            model_name='article',
            name='trashed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='revision',
            name='action',
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name='revision',
            name='note',
            field=models.TextField(blank=True),
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(('expires_at__isnull', True), ('published_at__isnull', True), ('expires_at__gt', models.F('published_at')), _connector='OR'), name='article_expires_after_publication', violation_error_message='The take-down time must come after the publish time.'),
        ),
    ]
