from django import template

from articles.addresses import absolute_url

register = template.Library()

# {{ path|absolute }}: the path as an absolute URL on the public site.
register.filter("absolute", absolute_url)
