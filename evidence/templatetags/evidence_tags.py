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


@register.inclusion_tag("evidence/_record_section.html", takes_context=True)
def record_files_section(context, owner, record):
    """``{% record_files_section "report" report %}``: the files of a record without a case, on
    that record's page, so the reports app needs no code of its own for them."""
    from permissions import evidence as rules

    from ..models import OwnerKind
    from ..records import RecordAccess
    from ..selectors import record_files, record_offers

    user = context["request"].user
    access = RecordAccess(owner, record, rules.record_reader(user, owner, record))
    offers = record_offers(user, access)
    if not rules.record_files_open(access.reader, offers):
        return {"visible": False}
    attach = next((o for o in offers if o.key == "record_file_attach"), None)
    count = record_files(access).filter(withdrawn_at__isnull=True).count()
    return {"visible": True, "owner": owner, "record": record, "count": count, "attach": attach,
            "label": OwnerKind(owner).label}
