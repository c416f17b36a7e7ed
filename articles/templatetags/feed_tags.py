from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_links(context, scope=None):
    return ""
