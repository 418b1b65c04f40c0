"""Continuous improvement seen through a real browser: a student's suggestion accepted and
analysed by the process owner, its action done with evidence by the head of department,
and closed as effective by the quality manager."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from amelio.history.choices import HistoryAction
from amelio.history.models import HistoryEntry
from amelio.improvement.choices import ActionStatus, ItemStatus
from amelio.improvement.models import Action, ImprovementItem
from tests.browser.test_foundation_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The smallest PDF a reader opens (and the content check recognises).
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def log_out(page: Page, base_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")


def status_badge(page: Page, status: str) -> Any:
    return page.locator(f"main h1 ~ .badge.status-{status}, main .badge.status-{status}").first


def test_a_suggestion_from_raising_to_closed_as_effective(
    page: Page, live_server: Any, school: dict[str, Any], screenshot_dir: Path, settings: Any, tmp_path: Path
) -> None:
    settings.LANGUAGE_CODE = "fr"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    base = live_server.url

    def shot(name: str) -> None:
        page.screenshot(path=str(screenshot_dir / f"improvement-{name}.png"), full_page=True)

    # 1. A student reports an idea in plain words on the civil engineering process.
    log_in(page, base, "student@school.test")
    page.goto(f"{base}/improvement/new/?origin=suggestion")
    expect(page.locator("#id_origin")).to_have_count(0)  # the classification is not theirs
    page.check("input[name=reported_as][value=idea]")
    page.fill("#id_title", "Casiers pour les étudiants")
    page.fill("#id_description", "Des casiers près des salles de TP, pour ne plus porter le matériel toute la journée.")
    page.select_option("#id_process", str(school["process_civil"].pk))
    shot("1-raise-form")
    page.click("main form button[type=submit]")
    expect(page.locator("main h1")).to_contain_text("Casiers pour les étudiants")
    item = ImprovementItem.objects.get()
    expect(page).to_have_url(re.compile(rf"/improvement/items/{item.pk}/$"))
    expect(page.locator("main h1")).to_contain_text(item.reference)
    expect(status_badge(page, "to_classify")).to_be_visible()
    expect(page.locator(".alert-success")).to_be_visible()
    # The student may not move it: no step is offered.
    expect(page.locator("[data-testid=steps]")).to_have_count(0)
    shot("2-raised-by-the-student")
    item_url = f"{base}/improvement/items/{item.pk}/"

    # 2. The teacher, owner of the process, classifies it as a suggestion, accepts it, records the
    # analysis and plans an action.
    log_out(page, base)
    log_in(page, base, "teacher@school.test")
    page.goto(item_url)
    page.click(f"[data-testid=steps] a[href$='/items/{item.pk}/classify/']")
    page.select_option("#id_origin", "suggestion")
    page.click("main form button[type=submit]")
    expect(status_badge(page, "new")).to_be_visible()
    page.click(f"[data-testid=steps] a[href$='/items/{item.pk}/accept/']")
    page.fill("#id_reason", "Demande récurrente des délégués.")
    page.click("main form button[type=submit]")
    expect(status_badge(page, "accepted")).to_be_visible()

    page.click(f"[data-testid=steps] a[href$='/items/{item.pk}/analyse/']")
    page.fill("#id_immediate_correction", "Deux armoires prêtées par le service technique.")
    page.select_option("#id_root_cause_method", "five_whys")
    page.fill(
        "#id_root_cause_analysis",
        "Pourquoi les étudiants portent-ils tout ? Pas de rangement.\nPourquoi ? Jamais budgété.",
    )
    page.fill("#id_root_cause", "Le rangement des étudiants n'a jamais été budgété.")
    page.fill("#id_extent", "Bâtiments B et C.")
    shot("3-analysis-form")
    page.click("main form button[type=submit]")
    expect(status_badge(page, "analysed")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Le rangement des étudiants n'a jamais été budgété.")

    page.click(f"a[href$='/items/{item.pk}/actions/new/']")
    page.select_option("#id_kind", "improvement")
    page.fill("#id_title", "Installer des casiers au bâtiment B")
    page.fill("#id_description", "Trente casiers à cadenas.")
    page.select_option("#id_owner", str(school["head_civil"].pk))
    page.fill("#id_due_on", (timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    page.click("main form button[type=submit]")
    expect(page.locator("#actions")).to_contain_text("Installer des casiers au bâtiment B")
    action = Action.objects.get()
    assert action.owner == school["head_civil"]

    page.click(f"[data-testid=steps] form[action$='/items/{item.pk}/start_actions/'] button")
    expect(status_badge(page, "actions_under_way")).to_be_visible()
    shot("4-actions-under-way")

    # 3. The head of civil engineering, owner of the action, completes it with evidence.
    log_out(page, base)
    log_in(page, base, "head.gc@school.test")
    page.goto(f"{base}/improvement/my-work/")
    page.click(f"main a[href$='/improvement/actions/{action.pk}/']")
    expect(page.locator("main h1")).to_contain_text("Installer des casiers au bâtiment B")
    page.click(f"[data-testid=steps] a[href$='/actions/{action.pk}/complete/']")
    evidence = tmp_path / "bon-de-livraison.pdf"
    evidence.write_bytes(PDF_BYTES)
    page.fill("#id_reason", "Casiers livrés et posés le matin.")
    page.set_input_files("#id_files", str(evidence))
    shot("5-complete-with-evidence")
    page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/improvement/actions/{action.pk}/$"))
    expect(status_badge(page, "done")).to_be_visible()
    expect(page.locator("#files")).to_contain_text("bon-de-livraison.pdf")
    expect(page.locator("main")).to_contain_text("Casiers livrés et posés le matin.")
    shot("6-action-done")
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.files.get().content_type == "application/pdf"
    # The evidence is linked from the item's page too; a PDF is served to be shown in the page.
    page.goto(item_url)
    href = page.locator("#actions a:has-text('bon-de-livraison.pdf')").get_attribute("href")
    assert href is not None
    evidence = page.request.get(base + href)
    assert evidence.ok and evidence.body() == PDF_BYTES
    assert evidence.headers["content-type"] == "application/pdf"

    # 4. The process owner asks for the effectiveness check.
    log_out(page, base)
    log_in(page, base, "teacher@school.test")
    page.goto(item_url)
    page.click(f"[data-testid=steps] form[action$='/items/{item.pk}/request_check/'] button")
    expect(status_badge(page, "awaiting_check")).to_be_visible()

    # 5. The quality manager closes it as effective.
    log_out(page, base)
    log_in(page, base, "qm@school.test")
    page.goto(item_url)
    page.click(f"[data-testid=steps] a[href$='/items/{item.pk}/close_effective/']")
    page.fill("#id_reason", "Plus aucune remarque des délégués depuis la rentrée.")
    page.click("main form button[type=submit]")
    expect(status_badge(page, "closed_effective")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Plus aucune remarque des délégués depuis la rentrée.")
    expect(page.locator("[data-testid=steps]")).to_have_count(0)

    # The history on the item's page shows each transition.
    history = page.locator("#history")
    for label in ("nouvelle", "acceptée", "analysée", "actions en cours", "clôturée, efficace"):
        expect(history).to_contain_text(label)
    expect(history).to_contain_text("Demande récurrente des délégués.")
    page.locator("#history").scroll_into_view_if_needed()
    shot("7-closed-with-history")

    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED_EFFECTIVE
    assert item.closed_on == timezone.localdate()
    transitions = HistoryEntry.objects.filter(
        content_type__model="improvementitem", object_id=str(item.pk), action=HistoryAction.TRANSITION
    )
    assert transitions.count() == 6  # classify, accept, analyse, start, ask for the check, close
    assert [entry.actor for entry in transitions.order_by("timestamp", "id")] == [
        school["teacher"],
        school["teacher"],
        school["teacher"],
        school["teacher"],
        school["teacher"],
        school["quality_manager"],
    ]

    # The student who raised it sees it closed.
    log_out(page, base)
    log_in(page, base, "student@school.test")
    page.goto(item_url)
    expect(status_badge(page, "closed_effective")).to_be_visible()
    shot("8-student-sees-it-closed")


def test_a_teacher_of_another_department_does_not_find_the_item(
    page: Page, live_server: Any, school: dict[str, Any], screenshot_dir: Path
) -> None:
    from amelio.improvement.tests.factories import ImprovementItemFactory
    from amelio.organisation.choices import PersonKind, Role
    from amelio.organisation.tests.factories import PersonFactory, grant

    item = ImprovementItemFactory(
        process=school["process_civil"], department=school["civil"], raised_by=school["student"]
    )
    outsider = PersonFactory(
        first_name="Olga",
        last_name="Autre",
        email="teacher.ge@school.test",
        kind=PersonKind.TEACHER,
        department=school["electrical"],
    )
    grant(outsider, Role.TEACHER, school["electrical"])
    log_in(page, live_server.url, "teacher.ge@school.test")
    response = page.goto(f"{live_server.url}/improvement/items/{item.pk}/")
    assert response is not None and response.status == 404
    page.screenshot(path=str(screenshot_dir / "improvement-9-out-of-scope.png"), full_page=True)
    response = page.goto(f"{live_server.url}/improvement/items/{item.pk}/accept/")
    assert response is not None and response.status == 404
