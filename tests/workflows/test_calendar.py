"""Working-day arithmetic in Vietnam time, against the real 2026 calendar."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from casework.models.areas import Area
from workflows.calendar import (
    VN_TZ,
    WorkingCalendar,
    add_calendar_days,
    add_clock_hours,
    deadline_for,
    due_at,
    warn_at,
)
from workflows.models import CalendarDay, CalendarDayKind, CalendarDaySource
from workflows.policy import DeadlineKind, default_limit

UTC = dt.UTC


def vn(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN_TZ)


def end(y, m, d) -> dt.datetime:
    return vn(y, m, d, 23, 59, 59)


@pytest.fixture
def areas(db):
    province = Area.objects.create(code="79", name="Thành phố Hồ Chí Minh", kind="province")
    ben_thanh = Area.objects.create(code="26734", name="Phường Bến Thành", kind="commune", parent=province)
    sai_gon = Area.objects.create(code="26740", name="Phường Sài Gòn", kind="commune", parent=province)
    village = Area.objects.create(code="26734-01", name="Khu phố 1", kind="village", parent=ben_thanh)
    return {"province": province, "ben_thanh": ben_thanh, "sai_gon": sai_gon, "village": village}


@pytest.fixture
def seeded_2026(db):
    call_command("seed_calendar", "--years", "2026", stdout=StringIO())


# -- seeding -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_calendar_2026_has_tet_and_the_makeup_saturday():
    out = StringIO()
    call_command("seed_calendar", "--years", "2026", stdout=out)
    holidays_2026 = set(
        CalendarDay.objects.filter(kind=CalendarDayKind.HOLIDAY, area=None).values_list("date", flat=True)
    )
    # Tết Bính Ngọ: Giao thừa (16 Feb) to Mùng bốn (20 Feb), Monday to Friday.
    assert {dt.date(2026, 2, d) for d in range(16, 21)} <= holidays_2026
    assert dt.date(2026, 2, 13) not in holidays_2026
    assert (
        CalendarDay.objects.get(date=dt.date(2026, 2, 17), kind=CalendarDayKind.HOLIDAY).name
        == "Tết Nguyên Đán"
    )
    makeup = CalendarDay.objects.get(kind=CalendarDayKind.MAKEUP_WORKDAY)
    assert makeup.date == dt.date(2026, 8, 22)  # Saturday worked for Monday 31 Aug
    assert "31/08/2026" in makeup.name
    assert "created 15" in out.getvalue()  # 14 holidays + 1 make-up day


@pytest.mark.django_db
def test_seed_calendar_is_idempotent_and_keeps_admin_edits():
    call_command("seed_calendar", "--years", "2026", stdout=StringIO())
    count = CalendarDay.objects.count()
    row = CalendarDay.objects.get(date=dt.date(2026, 1, 1), kind=CalendarDayKind.HOLIDAY)
    row.name, row.source = "Tết Dương lịch (sửa)", CalendarDaySource.ADMIN
    row.save()

    out = StringIO()
    call_command("seed_calendar", "--years", "2026", stdout=out)
    assert CalendarDay.objects.count() == count
    assert "created 0" in out.getvalue() and "kept (admin-edited) 1" in out.getvalue()
    row.refresh_from_db()
    assert row.name == "Tết Dương lịch (sửa)"


# -- working days --------------------------------------------------------------------------------


def test_tet_2026_pushes_a_five_working_day_deadline_past_the_holiday_block(seeded_2026):
    cal = WorkingCalendar()
    received = vn(2026, 2, 13, 10, 0)  # Friday before Tết
    # Between Fri 13 and Mon 23: two weekends around Tết (16–20), nothing else works.
    assert [d for d in range(13, 24) if cal.is_working_day(dt.date(2026, 2, d))] == [13, 23]
    # Mon 23, Tue 24, Wed 25, Thu 26, Fri 27.
    assert cal.add_working_days(received, 5) == end(2026, 2, 27)
    assert cal.working_days_between(received, end(2026, 2, 27)) == 5
    assert due_at(received, default_limit(DeadlineKind.PLAN_DRAFT), cal) == end(2026, 2, 27)
    # Warned at the end of the 4th working day: one working day left.
    assert warn_at(received, default_limit(DeadlineKind.PLAN_DRAFT), cal) == end(2026, 2, 26)


def test_start_day_never_counts_even_just_after_midnight():
    cal = WorkingCalendar.from_dates()
    assert cal.add_working_days(vn(2026, 3, 2, 0, 1), 2) == end(2026, 3, 4)  # Mon → Wed
    assert cal.add_working_days(vn(2026, 3, 2, 23, 30), 2) == end(2026, 3, 4)
    # A report on Saturday: the next working days are Mon and Tue.
    assert cal.add_working_days(vn(2026, 3, 7, 9, 0), 2) == end(2026, 3, 10)
    # The local date decides: 2 Mar 20:00 UTC is already Tuesday 3 Mar in Vietnam.
    assert cal.add_working_days(dt.datetime(2026, 3, 2, 20, 0, tzinfo=UTC), 1) == end(2026, 3, 4)


def test_a_makeup_saturday_counts_as_a_working_day(seeded_2026):
    cal = WorkingCalendar()
    assert cal.is_working_day(dt.date(2026, 8, 22))  # Saturday worked
    assert not cal.is_working_day(dt.date(2026, 8, 29))  # ordinary Saturday
    assert not cal.is_working_day(dt.date(2026, 8, 31))  # the day off it paid for
    # Friday 21 Aug + 1 working day = the make-up Saturday.
    assert cal.add_working_days(vn(2026, 8, 21, 16, 0), 1) == end(2026, 8, 22)
    # Friday 28 Aug + 2: 29–30 weekend, 31 swapped day off, 1–2 Sep National Day → Thu 3, Fri 4.
    assert cal.add_working_days(vn(2026, 8, 28, 16, 0), 2) == end(2026, 9, 4)
    assert cal.working_days_between(dt.date(2026, 8, 21), dt.date(2026, 8, 24)) == 2  # Sat 22 + Mon 24


def test_calendar_loads_once(seeded_2026, django_assert_num_queries, areas):
    cal = WorkingCalendar(areas["village"])
    with django_assert_num_queries(1):
        cal.add_working_days(vn(2026, 2, 13, 10, 0), 5)
        cal.add_working_days(vn(2026, 8, 28, 10, 0), 20)
        cal.is_working_day(dt.date(2026, 9, 2))


def test_local_day_off_applies_to_the_commune_and_below_only(seeded_2026, areas):
    # Monday 9 March 2026: a local festival day off in Bến Thành only.
    CalendarDay.objects.create(
        date=dt.date(2026, 3, 9),
        kind=CalendarDayKind.LOCAL_DAY_OFF,
        name="Lễ hội địa phương",
        area=areas["ben_thanh"],
    )
    received = vn(2026, 3, 6, 15, 0)  # Friday
    assert not WorkingCalendar(areas["ben_thanh"]).is_working_day(dt.date(2026, 3, 9))
    assert not WorkingCalendar(areas["village"]).is_working_day(dt.date(2026, 3, 9))
    assert WorkingCalendar(areas["sai_gon"]).is_working_day(dt.date(2026, 3, 9))
    assert WorkingCalendar(areas["province"]).is_working_day(dt.date(2026, 3, 9))
    assert WorkingCalendar().is_working_day(dt.date(2026, 3, 9))

    assert WorkingCalendar(areas["ben_thanh"]).add_working_days(received, 2) == end(2026, 3, 11)
    assert WorkingCalendar(areas["sai_gon"]).add_working_days(received, 2) == end(2026, 3, 10)
    # Nationwide holidays still apply locally.
    assert not WorkingCalendar(areas["sai_gon"]).is_working_day(dt.date(2026, 2, 17))


def test_more_specific_row_wins_over_nationwide(seeded_2026, areas):
    # The commune works on the nationwide make-up Saturday? No: it declares it a local day off.
    CalendarDay.objects.create(
        date=dt.date(2026, 8, 22), kind=CalendarDayKind.LOCAL_DAY_OFF, name="Nghỉ", area=areas["ben_thanh"]
    )
    # And the province works an extra Saturday of its own.
    CalendarDay.objects.create(
        date=dt.date(2026, 10, 10), kind=CalendarDayKind.MAKEUP_WORKDAY, name="Làm bù", area=areas["province"]
    )
    assert not WorkingCalendar(areas["ben_thanh"]).is_working_day(dt.date(2026, 8, 22))
    assert WorkingCalendar(areas["sai_gon"]).is_working_day(dt.date(2026, 8, 22))
    assert WorkingCalendar(areas["village"]).is_working_day(dt.date(2026, 10, 10))
    assert not WorkingCalendar().is_working_day(dt.date(2026, 10, 10))


@pytest.mark.django_db
def test_calendar_day_validation(areas):
    makeup_on_monday = CalendarDay(date=dt.date(2026, 3, 9), kind=CalendarDayKind.MAKEUP_WORKDAY, name="x")
    with pytest.raises(ValidationError) as exc:
        makeup_on_monday.full_clean()
    assert "date" in exc.value.message_dict

    local_without_area = CalendarDay(date=dt.date(2026, 3, 9), kind=CalendarDayKind.LOCAL_DAY_OFF, name="x")
    with pytest.raises(ValidationError) as exc:
        local_without_area.full_clean()
    assert "area" in exc.value.message_dict

    CalendarDay.objects.create(date=dt.date(2026, 3, 9), kind=CalendarDayKind.HOLIDAY, name="x")
    duplicate = CalendarDay(date=dt.date(2026, 3, 9), kind=CalendarDayKind.HOLIDAY, name="y")
    with pytest.raises(ValidationError):
        duplicate.full_clean()  # nationwide uniqueness despite area being NULL
    CalendarDay(
        date=dt.date(2026, 3, 9), kind=CalendarDayKind.HOLIDAY, name="y", area=areas["sai_gon"]
    ).full_clean()


def test_working_days_between_is_signed_and_inverse_of_add():
    cal = WorkingCalendar.from_dates(days_off=[dt.date(2026, 4, 30), dt.date(2026, 5, 1)])
    start = vn(2026, 4, 28, 8, 0)  # Tuesday
    for n in range(8):
        assert cal.working_days_between(start, cal.add_working_days(start, n)) == n
    assert cal.add_working_days(start, 2) == end(2026, 5, 4)  # Wed 29, (Thu 30, Fri 1 off, weekend), Mon 4
    assert cal.add_working_days(start, 0) == end(2026, 4, 28)
    assert cal.working_days_between(dt.date(2026, 5, 5), dt.date(2026, 4, 28)) == -3


# -- clock hours and calendar days ---------------------------------------------------------------


def test_twelve_hour_clock_across_midnight_in_vietnam_time():
    received = vn(2026, 2, 16, 18, 30)  # Giao thừa evening: holidays do not stop the clock
    limit = default_limit(DeadlineKind.EMERGENCY_MEASURES)
    due = due_at(received, limit)
    assert due == vn(2026, 2, 17, 6, 30)
    assert due.tzinfo == VN_TZ and due.utcoffset() == dt.timedelta(hours=7)
    assert warn_at(received, limit) == vn(2026, 2, 17, 4, 30)
    # The same instant given in UTC (11:30Z) gives the same deadline, expressed in Vietnam time.
    assert due_at(dt.datetime(2026, 2, 16, 11, 30, tzinfo=UTC), limit) == due
    assert add_clock_hours(vn(2026, 2, 16, 18, 30), 12).isoformat() == "2026-02-17T06:30:00+07:00"
    # Another zone in, Vietnam time out.
    paris = dt.datetime(2026, 3, 28, 20, 0, tzinfo=ZoneInfo("Europe/Paris"))  # 02:00 +07 on the 29th
    assert add_clock_hours(paris, 12) == vn(2026, 3, 29, 14, 0)


def test_calendar_days_count_weekends_and_holidays():
    start = vn(2026, 2, 13, 10, 0)
    assert add_calendar_days(start, 15) == vn(2026, 2, 28, 10, 0)
    limit = default_limit(DeadlineKind.ISOLATION_DURATION)
    assert due_at(start, limit) == vn(2026, 2, 28, 10, 0)
    assert warn_at(start, limit) == vn(2026, 2, 27, 10, 0)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        add_clock_hours(dt.datetime(2026, 1, 1, 8, 0), 12)
    with pytest.raises(ValueError):
        WorkingCalendar.from_dates().add_working_days(dt.datetime(2026, 1, 1, 8, 0), 1)


def test_working_day_limit_needs_a_calendar():
    with pytest.raises(ValueError):
        due_at(vn(2026, 1, 5, 8, 0), default_limit(DeadlineKind.PLAN_APPROVAL))


def test_deadline_for_resolves_policy_and_calendar(seeded_2026, areas, django_assert_num_queries):
    with django_assert_num_queries(2):  # policy + calendar
        deadline = deadline_for(DeadlineKind.PLAN_APPROVAL, vn(2026, 2, 13, 10, 0), areas["village"])
    assert deadline.limit.value == 2 and deadline.limit.source_area is None
    assert deadline.due_at == end(2026, 2, 24)
    assert deadline.warn_at == end(2026, 2, 23)
