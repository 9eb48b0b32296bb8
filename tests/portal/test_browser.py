"""The portal in a real headless Chromium, driven as a person would (Selenium WebDriver).

Selenium with Debian's chromedriver rather than Playwright: the driver is built from the same
Chromium release as the browser (they come as a pair from Debian), so no browser or driver is
ever downloaded and the protocol always matches; Selenium itself is pure Python.

The portal runs as its own process (``python -m game.portal``), started on a fresh database;
the setup code is read from what it prints. The pictures go to docs/portal/. Without chromium and
chromedriver the tests skip with one line; with ``MIRRORPLAY_REQUIRE_REAL=1`` (CI) they fail.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from tests.portal.conftest import NASTY_ALIAS, free_port, make_clinic
from tests.real import require_real

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "docs" / "portal"
"""Where the pictures go when MIRRORPLAY_WRITE_DOCS=1 (re-rendering the docs); otherwise a test
run never changes a tracked file and the pictures go to the test's temporary folder."""
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)
INSTALL = "portal browser tests need Debian's browser: apt-get install chromium chromium-driver"


def _require_browser() -> None:
    require_real(Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file(), INSTALL)


def _driver(profile: Path, *, phone: bool = False) -> WebDriver:
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never go online for a driver
    options = Options()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    if phone:  # a 390 x 844 phone screen with touch, as a family member opens the link
        options.add_experimental_option(
            "mobileEmulation",
            {
                "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2.0, "touch": True},
                "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Mobile",
            },
        )
    else:
        options.add_argument("--window-size=1280,900")
    return webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))


def _shot(driver: WebDriver, name: str, *, full: bool = True) -> None:
    """Save a picture of the page (for docs/portal/ with MIRRORPLAY_WRITE_DOCS=1): the whole page
    when `full`, else the window."""
    folder = SHOTS if os.environ.get("MIRRORPLAY_WRITE_DOCS") == "1" else _scratch()
    folder.mkdir(parents=True, exist_ok=True)
    _laid_out(driver)
    if not full:
        driver.save_screenshot(str(folder / name))
        return
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    (folder / name).write_bytes(base64.b64decode(shot["data"]))


def _laid_out(driver: WebDriver, timeout_s: float = 20.0) -> None:
    """Wait until the page is loaded and has a width: on a busy machine (the suite on both
    cores) Chromium once refused the picture of a page just opened ("Cannot take screenshot
    with 0 width")."""
    WebDriverWait(driver, timeout_s).until(
        lambda d: d.execute_script(
            "return document.readyState === 'complete'"
            " && document.documentElement.getBoundingClientRect().width > 0"
            " && window.innerWidth > 0"
        )
    )


def _scratch() -> Path:
    return Path(tempfile.gettempdir()) / "mirrorplay-portal-shots"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The real portal process on a clinic database: (base URL, setup code)."""
    _require_browser()
    folder = tmp_path_factory.mktemp("browser")
    make_clinic(folder / "clinic.db", datetime.now(UTC).date()).close()  # the server reads the real clock
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "game.portal", "--db", str(folder / "clinic.db"), "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        code = _setup_code(proc)
        yield f"http://127.0.0.1:{port}", code
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _setup_code(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    deadline = time.monotonic() + 60.0
    seen = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        seen.append(line)
        found = re.search(r"setup code ([A-Z0-9]{5}-[A-Z0-9]{5})", line)
        if found:
            return found.group(1)
        if not line and proc.poll() is not None:
            break
    raise AssertionError(f"the portal printed no setup code: {''.join(seen)!r}")


@pytest.fixture(scope="module")
def desk(server: tuple[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """The therapist's desktop browser, signed in as the first administrator."""
    url, code = server
    driver = _driver(tmp_path_factory.mktemp("desk-profile"))
    try:
        _wait_up(driver, url)
        driver.get(f"{url}/login")  # no account yet: the portal sends us to the setup page
        assert driver.current_url.endswith("/setup")
        _shot(driver, "01_first_start_setup.png", full=False)
        _fill(
            driver,
            {
                "setup_code": code,
                "username": "ann",
                "password": "correct horse 1",
                "repeat": "correct horse 1",
            },
        )
        _click(driver, "button.primary")
        assert driver.current_url.endswith("/patients")
        yield driver
    finally:
        driver.quit()


def _wait_up(driver: WebDriver, url: str) -> None:
    deadline = time.monotonic() + 30.0
    while True:
        try:
            driver.get(f"{url}/login")
            if "Sign in" in driver.title or "First start" in driver.title:
                return
        except Exception:  # noqa: BLE001  (the server is still starting)
            pass
        if time.monotonic() > deadline:
            raise AssertionError("the portal did not answer")
        time.sleep(0.5)


def _fill(driver: WebDriver, values: dict[str, str]) -> None:
    for name, value in values.items():
        field = driver.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)


def _click(driver: WebDriver, css: str) -> None:
    """Click what `css` finds and wait until the page it leads to has replaced this one."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, css).click()
    WebDriverWait(driver, 30).until(expected_conditions.staleness_of(old))
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")


def _no_alert(driver: WebDriver) -> None:
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018  (an escaped <script> never ran)


def test_open_a_patient_and_a_session(desk: WebDriver, server: tuple[str, str]) -> None:
    url, _ = server
    desk.get(f"{url}/patients")
    _shot(desk, "02_patients.png")
    links = [a.text for a in desk.find_elements(By.CSS_SELECTOR, "table.list a")]
    assert NASTY_ALIAS in links and "Second patient" in links
    old = desk.find_element(By.TAG_NAME, "html")
    desk.find_element(By.LINK_TEXT, NASTY_ALIAS).click()
    WebDriverWait(desk, 30).until(expected_conditions.staleness_of(old))
    _no_alert(desk)
    assert desk.find_element(By.TAG_NAME, "h1").text == NASTY_ALIAS
    assert "No weight on the <b>left</b> shoulder" in desk.find_element(By.CLASS_NAME, "safety").text
    assert len(desk.find_elements(By.CSS_SELECTOR, "#trends figure")) == 4
    _shot(desk, "03_patient_review.png")
    _click(desk, "#sessions tbody tr a")
    assert "Session" in desk.find_element(By.TAG_NAME, "h1").text
    assert desk.find_elements(By.CSS_SELECTOR, ".mark.ok")  # reliability marks beside the measures
    _shot(desk, "04_session.png")


def test_change_a_setting_and_see_the_change_log(desk: WebDriver, server: tuple[str, str]) -> None:
    url, _ = server
    desk.get(f"{url}/patients/p1/settings")
    _fill(desk, {"sessions_per_week": "99"})
    _click(desk, "form.settings button.primary")
    assert (
        "sessions_per_week: 99 is above the allowed maximum 14"
        in desk.find_element(By.CLASS_NAME, "error").text
    )
    _shot(desk, "05_settings_bad_value.png", full=False)
    desk.get(f"{url}/patients/p1/settings")
    _fill(desk, {"session_minutes": "25", "reason": "More time, she asked"})
    Select(desk.find_element(By.NAME, "plan-2-level")).select_by_visible_text("Follow the fish")
    _click(desk, "form.settings button.primary")
    assert desk.find_element(By.CSS_SELECTOR, "p.notice").text == "Saved 2 changes."
    log = [row.text for row in desk.find_elements(By.CSS_SELECTOR, "#log tbody tr")]
    assert any("session_minutes 20.0 25.0 ann (portal) More time, she asked" in row for row in log)
    assert any(row.split()[2] == "plan" for row in log)
    desk.find_element(By.ID, "log").location_once_scrolled_into_view  # noqa: B018
    _shot(desk, "06_settings_change_log.png")


def test_family_link_on_a_phone(
    desk: WebDriver, server: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    url, _ = server
    desk.get(f"{url}/patients/p1")
    _fill(desk, {"label": "Daughter Anna"})
    _click(desk, "#family button.primary")
    link = desk.find_element(By.ID, "family-url").text
    code = desk.find_element(By.ID, "family-code").text
    _shot(desk, "07_family_link_created.png", full=False)
    phone = _driver(tmp_path_factory.mktemp("phone-profile"), phone=True)
    try:
        phone.get(link)
        _shot(phone, "08_family_code_phone.png", full=False)
        _fill(phone, {"code": code.lower()})
        _click(phone, "button.primary")
        assert phone.current_url.endswith("/progress")
        _no_alert(phone)
        cards = [c.text.replace("\n", " ") for c in phone.find_elements(By.CSS_SELECTOR, ".cards .card")]
        assert len(cards) == 4 and cards[0].endswith("sessions this week")
        width = phone.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, "the family page must fit a phone without sideways scrolling"
        _shot(phone, "09_family_progress_phone.png")
        for other in (
            "/patients",
            "/patients/p2",
            "/patients/p1/settings",
            "/patients/p1/export/report.pdf",
            "/therapists",
        ):
            phone.get(url + other)
            assert phone.current_url == f"{url}/login", other  # a family link is no pass elsewhere
        desk.get(f"{url}/patients/p1#family")
        _click(desk, "#family button.danger")
        phone.get(link + "/progress")
        assert "no longer works" in phone.find_element(By.TAG_NAME, "h1").text
        _shot(phone, "10_family_link_revoked_phone.png", full=False)
    finally:
        phone.quit()
