"""The evidence section of the case page: ``{% evidence_section access %}``.

A tag rather than a change to the case page's view, so the case engine does not depend on this
app: the section reads through the evidence selectors and renders nothing for a user who does
not see the case's content."""

from django import template

from ..selectors import attachment_offers, attachments_for_case

register = template.Library()
SHOWN = 5


@register.inclusion_tag("evidence/_case_section.html")
def evidence_section(access):
    if not access.content_visible:
        return {"visible": False}
    qs = attachments_for_case(access)
    latest = list(qs[:SHOWN + 1])
    offers, rows = attachment_offers(access, latest[:SHOWN])
    attach = next((o for o in offers if o.key == "evidence_attach"), None)
    return {"visible": True, "case": access.case, "rows": rows, "more": len(latest) > SHOWN, "attach": attach}
