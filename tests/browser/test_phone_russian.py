"""A Russian admin on a phone (390 px), and on a desk where it differs: the project's
settings, a document's versions and the claim panel's forms fit the screen, boxes to
tick sit beside their labels, and every control is at least 24 px, a finger's target."""

from __future__ import annotations

from annotations.models import Role
from tests.browser.helpers import log_in, overflows, user_with_role
from tests.factories import ClaimFactory, DocumentFactory, ProjectFactory

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}
TEXT = "Exports grew by 5% in 2023. The minister resigned in May."

# Controls smaller than 24 px either way; links inside running text are exempt.
SMALL_CONTROLS = """() => [...document.querySelectorAll(
    '.topbar a, .topbar button, .topbar select, main button, main select, '
    + 'main input:not([type=hidden]), main summary')]
  .filter(el => el.getClientRects().length && !el.closest('.visually-hidden'))
  .map(el => [el, el.getBoundingClientRect()])
  .filter(([el, box]) => box.width < 24 || box.height < 24)
  .map(([el, box]) => `${el.tagName} ${el.name || el.textContent.trim()} ${box.height}px`)"""


def hint_fits(page) -> bool:
    """Whether the document search's hint fits inside its field."""
    return page.evaluate(
        """() => {
          const field = document.querySelector('#document-search');
          const style = getComputedStyle(field);
          const context = document.createElement('canvas').getContext('2d');
          context.font = style.font;
          const room = field.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight);
          return context.measureText(field.placeholder).width <= room;
        }"""
    )


def role_fits(page, role) -> bool:
    """Whether the chosen role's name fits its list with room for the padding and arrow."""
    text, width = page.evaluate(
        """select => {
          const probe = document.createElement('span');
          probe.style.font = getComputedStyle(select).font;
          probe.textContent = select.selectedOptions[0].text;
          document.body.append(probe);
          const text = probe.getBoundingClientRect().width;
          probe.remove();
          return [text, select.getBoundingClientRect().width];
        }""",
        role.element_handle(),
    )
    return text + 30 <= width


def test_settings_and_versions_fit_a_phone_in_russian(browser, live_server, transactional_db):
    project = ProjectFactory()
    document = DocumentFactory(project=project, text=TEXT, title="Торговля в 2023 году")
    ada = user_with_role(project, "ada", Role.ADMIN, language="ru")
    claim = ClaimFactory(document=document, start=0, end=27, position=0, assignee=ada)
    page = log_in(browser, live_server.url, "ada", **PHONE)

    # The search field's hint is read whole, not cut at the field's edge.
    page.goto(f"{live_server.url}/p/{project.slug}/")
    assert hint_fits(page)
    page.set_viewport_size(DESK)
    assert hint_fits(page)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/p/{project.slug}/settings/")
    assert page.get_attribute("html", "lang") == "ru"
    assert not overflows(page)
    assert page.evaluate(SMALL_CONTROLS) == []
    # The box for blind review is on its label's line, before it.
    box = page.locator("#id_blind_review").bounding_box()
    label = page.locator("label[for=id_blind_review]").bounding_box()
    assert box["x"] + box["width"] <= label["x"]
    assert label["y"] < box["y"] + box["height"] / 2 < label["y"] + label["height"]
    role = page.locator("table.members select").first
    assert role.input_value() == Role.ADMIN
    # The role's name is shown whole in its list, on a phone and on a desk.
    assert role_fits(page, role)
    page.set_viewport_size(DESK)
    assert role_fits(page, role)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/documents/{document.pk}/versions/")
    assert not overflows(page)
    assert page.evaluate(SMALL_CONTROLS) == []
    # Each claim reads as a card that still says how it was anchored.
    anchoring = page.locator("table.claims-across tbody td").nth(3)
    assert anchoring.is_visible()
    assert (
        page.evaluate("el => getComputedStyle(el, '::before').content", anchoring.element_handle())
        == '"Привязка"'
    )

    # In the queue, the link to one document's claims reads as a link in its line.
    page.goto(f"{live_server.url}/queue/")
    only = page.locator(".queue-item .meta a")
    assert only.inner_text() == "только этот документ"
    assert only.evaluate("a => getComputedStyle(a).display").startswith("inline")
    assert "underline" in only.evaluate("a => getComputedStyle(a).textDecorationLine")
    assert only.bounding_box()["height"] >= 24
    assert not overflows(page)

    # Every field of the open claim's panel, its corrections too, stays inside the panel.
    page.goto(f"{live_server.url}/documents/{document.pk}/?claim={claim.pk}")
    page.wait_for_selector("#panel .claim-text")
    page.evaluate("document.querySelectorAll('#panel details').forEach(d => d.open = true)")
    assert (
        page.evaluate(
            """() => {
              const panel = document.querySelector('#panel').getBoundingClientRect();
              return [...document.querySelectorAll('#panel input, #panel select, #panel textarea')]
                .filter(el => el.getClientRects().length && el.type !== 'hidden')
                .filter(el => el.getBoundingClientRect().right > panel.right)
                .map(el => el.name);
            }"""
        )
        == []
    )
    assert page.errors == []
