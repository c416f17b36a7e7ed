from django.conf import settings


def test_settings_from_environment():
    assert settings.SITE_URL == "https://news.example.com"
    assert not settings.DEBUG
