# A partial index of take-down times: the page cache asks for the next one at every miss after a
# write, and few articles have one.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0011_body_images'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='article',
            index=models.Index(condition=models.Q(('expires_at__isnull', False)), fields=['status', 'expires_at', 'trashed_at'], name='article_take_down_idx'),
        ),
    ]
