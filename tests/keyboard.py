"""Drive a page with the keyboard alone, as a person who cannot use a mouse would."""

from __future__ import annotations

MAX_TABS = 120


def focused(page, selector: str) -> bool:
    """Whether any element matching the (Playwright) selector has the focus."""
    return page.locator(selector).evaluate_all(
        "(els) => els.some((el) => el === document.activeElement)"
    )


def tab_to(page, selector: str) -> None:
    """Press Tab until the element matching selector has the focus (Shift+Tab never used:
    the page's order must bring it there)."""
    if focused(page, selector):
        return
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return
    raise AssertionError(f"The Tab key never reached {selector}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def press(page, selector: str, key: str = "Enter") -> None:
    tab_to(page, selector)
    page.keyboard.press(key)


def choose_radio(page, name: str, position: int) -> None:
    """Select the radio at position (1-based) of a group: Tab reaches the group, Space
    picks the first, arrow keys move along it."""
    tab_to(page, f"input[type=radio][name={name}]")
    current = page.evaluate("() => document.activeElement.id")
    index = int(current.rsplit("_", 1)[1])
    if index == position and not page.is_checked(f"#{current}"):
        page.keyboard.press("Space")
    for _ in range(abs(position - index)):
        page.keyboard.press("ArrowDown" if position > index else "ArrowUp")
    assert page.is_checked(f"#id_{name}_{position}")


def choose_option(page, selector: str, label: str) -> None:
    """Pick an option of a closed <select> with the arrow keys."""
    tab_to(page, selector)
    options = page.eval_on_selector(selector, "s => Array.from(s.options).map(o => o.text.trim())")
    target = options.index(label)
    current = page.eval_on_selector(selector, "s => s.selectedIndex")
    for _ in range(abs(target - current)):
        page.keyboard.press("ArrowDown" if target > current else "ArrowUp")
    assert page.eval_on_selector(selector, "s => s.options[s.selectedIndex].text.trim()") == label


def tick(page, selector: str) -> None:
    tab_to(page, selector)
    if not page.is_checked(selector):
        page.keyboard.press("Space")
    assert page.is_checked(selector)


def type_date(page, name: str, day: int, month: int, year: int) -> None:
    type_into(page, f"#id_{name}_0", str(day))
    type_into(page, f"#id_{name}_1", str(month))
    type_into(page, f"#id_{name}_2", str(year))
