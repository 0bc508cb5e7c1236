from notifications.models import Notification


def test_new_case_notifies_commune_officer_and_chair_after_commit(world, open_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case("counsellor_a")
    recipients = set(Notification.objects.filter(event__case=case).values_list("recipient__username", flat=True))
    assert recipients == {"officer_a", "chair_a"}


def test_rolled_back_change_notifies_nobody(world, open_case, django_capture_on_commit_callbacks):
    from casework.errors import ValidationError
    from casework.services import lifecycle

    case = open_case()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            lifecycle.case_emergency_declare(actor=world.users["officer_a"], case_id=case.pk, reason="")
        except ValidationError:
            pass
    assert not Notification.objects.filter(event__case=case, event__type=220).exists()


def test_notification_never_carries_the_childs_name(world, open_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case("counsellor_a")
    for note in Notification.objects.filter(event__case=case).select_related("event"):
        text = f"{note.event.get_type_display()} {note.event.case.code} {note.event.data}"
        assert case.child.full_name not in text
