from django.db import migrations, models


def drop_triggers(apps, schema_editor):
    from articles.cache.triggers import uninstall

    uninstall(schema_editor.connection.alias)


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name='ContentVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.BigIntegerField()),
            ],
            options={
                'default_permissions': (),
            },
        ),
        # The row and the triggers are made after every migrate (apps.py); going back, the
        # triggers go before the table they write to.
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
    ]
