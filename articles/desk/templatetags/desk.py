from django import template

from articles.desk import dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_dashboard(context):
    """The desk's home page panels for the signed-in user."""
    return dashboard.for_user(context["request"].user)


@register.filter
def attribute(obj, name):
    return getattr(obj, name, None)
