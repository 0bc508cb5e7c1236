def test_pages_render_for_officer(as_user, cases):
    c = as_user("officer_a")
    for url in ["/work/", "/cases/", f"/cases/{cases.received.pk}/", f"/cases/{cases.submitted.pk}/",
                f"/cases/{cases.implementing.pk}/", f"/cases/{cases.emergency.pk}/", f"/cases/{cases.planning.pk}/plan/",
                f"/cases/{cases.implementing.pk}/timeline/"]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code)
