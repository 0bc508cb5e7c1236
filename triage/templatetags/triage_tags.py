from django import template

register = template.Library()


@register.inclusion_tag("triage/_duplicates_link.html")
def duplicates_link(child_id):
    """The link to a child's possible duplicates, for other apps' pages (the registry)."""
    return {"child_id": child_id}
