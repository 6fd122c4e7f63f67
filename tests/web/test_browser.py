"""The web face in a real browser (headless Chromium from Debian's packages, driven by
Selenium): sign in through the chat link, review a link on the desk with one keystroke and no
reload, see it in the chat's สถานะ, fill two items on the admin's form, download the XLSX and
read it back; a screenshot of the overview is kept. Chromium may reach loopback only."""

from __future__ import annotations

import io
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from werkzeug.serving import make_server

from tests.oit.test_oit_chat import COORDINATOR, SITE, current, text_of
from tests.web.test_sign_in import LINK

SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS", "instance/screenshots"))
NOT_INSTALLED = (
    "Chromium not installed: browser tests not run (apt-get install chromium chromium-driver)"
)


def chromium() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@pytest.fixture
def live(app):
    """The app served on a loopback port for the browser; links the bot gives point there."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()


@pytest.fixture
def browser(tmp_path):
    found = chromium()
    if found is None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(NOT_INSTALLED + " — CI must run them")
        pytest.skip(NOT_INSTALLED)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1600",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-default-apps", "--disable-extensions",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    ):  # fmt: skip
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(tmp_path), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(service=Service(found[1]), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def wait_for(condition, seconds: float = 10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("the browser did not get there in time")


def sign_in(browser, bot, user_id):
    link = LINK.search(bot("เว็บ", user_id)).group(1)
    browser.delete_all_cookies()
    browser.get(link)
    browser.find_element("css selector", "button.primary").click()
    wait_for(lambda: browser.current_url.endswith("/web/home"))


def test_a_coordinator_and_an_admin_use_the_web_face(browser, live, bot, say, db, tmp_path):
    assert "บันทึก" in text_of(say(f"O1 {SITE}/structure"))
    sign_in(browser, bot, COORDINATOR)
    assert "ยังขาดมากที่สุด" in browser.page_source
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "overview.png"))

    browser.get(f"{live}/web/review")
    browser.execute_script("window.stillThisPage = true")
    browser.find_element("tag name", "body").send_keys("a")  # the shortcut approves the first
    wait_for(lambda: "บันทึกแล้ว" in browser.page_source)
    assert browser.execute_script("return window.stillThisPage === true"), "no page reload"
    assert current(db)["O1"][1] == "approved"
    assert "O1 ผ่าน" in text_of(say("สถานะ")), "the admin hears it in the chat"

    browser.get(f"{live}/web/matrix")
    browser.find_element("partial link text", "XLSX").click()
    saved = wait_for(lambda: [p for p in tmp_path.glob("*.xlsx")])
    sheet = load_workbook(io.BytesIO(saved[0].read_bytes())).active
    assert sheet["A1"].value == "รหัส" and sheet.max_row > 2

    sign_in(browser, bot, "Uadmin01")
    browser.get(f"{live}/web/agency/L004/oit")
    browser.find_element("id", "item-O2").send_keys(f"{SITE}/executives")
    browser.find_element("id", "item-O3").send_keys(f"{SITE}/contact")
    browser.find_element("css selector", "form button.primary").click()
    wait_for(lambda: "บันทึกแล้ว: O2, O3" in browser.page_source)
    assert set(current(db)) == {"O1", "O2", "O3"}
    assert "ส่งแล้ว 3 ข้อ" in say("สถานะ")[0]["altText"], "the group's สถานะ agrees"
