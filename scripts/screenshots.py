"""Save every public page at desktop and phone width into docs/screenshots/.

Run with ``make screenshots``. It serves the current database (whatever
``DATABASE_URL`` points at: load the whole history first with
``manage.py sync_un_data`` for screenshots worth committing) on a free local
port, drives Debian's headless Chromium through Playwright, and stops the
server it started.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WIDTHS = {"desktop": (1280, 900), "phone": (375, 800)}

# (file name, path): every kind of public page, with the reference case.
PAGES = [
    ("home", "/"),
    ("votes", "/votes/"),
    ("votes-ghana-voted-no", "/votes/?country=ghana&position=N"),
    ("vote-s-2022-431", "/S/2022/431"),
    ("vetoes", "/vetoes/"),
    ("countries", "/countries/"),
    ("country-ghana", "/countries/ghana/"),
    ("country-russian-federation", "/countries/russian-federation/"),
    ("p5", "/p5/"),
    ("p5-elected", "/p5/elected/?from=2022&to=2023"),
]
# (file name, page): the share card (Open Graph image) a page announces, saved as
# served: it is drawn server-side at 1200 x 630, so no browser is involved.
CARDS = [("card-s-2022-431", "/S/2022/431")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not start within {seconds:.0f} s")


def main() -> int:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(base + "/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            for kind, (width, height) in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                for name, path in PAGES:
                    page.goto(base + path)
                    target = OUT / f"{name}-{kind}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(f"saved {target.relative_to(REPO)}")
                context.close()
            save_cards(browser, base)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    shrink(sorted(OUT.glob("*.png")))
    return 0


def save_cards(browser, base: str) -> None:
    page = browser.new_page()
    for name, path in CARDS:
        page.goto(base + path)
        card = page.get_attribute('meta[property="og:image"]', "content")
        if not card:
            raise SystemExit(f"{path} announces no og:image")
        target = OUT / f"{name}.png"
        # The card's address may be absolute (with this server's host) or relative.
        with urllib.request.urlopen(urllib.parse.urljoin(base + path, card)) as reply:  # noqa: S310
            target.write_bytes(reply.read())
        print(f"saved {target.relative_to(REPO)}")
    page.close()


def quantise_with_pillow(paths) -> None:
    """256 colours, no dithering: flat page colours stay exact; about 40% of the size."""
    from PIL import Image

    for path in paths:
        with Image.open(path) as image:
            flat = image.convert("RGB").quantize(
                colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
            )
        flat.save(path, optimize=True)


def shrink(paths) -> None:
    """Quantise the PNGs (about a third of the size) when pngquant is installed."""
    if not paths:
        return
    if shutil.which("pngquant") is None:
        print("pngquant not found: quantised with Pillow instead (apt-get install pngquant)")
        quantise_with_pillow(paths)
        return
    subprocess.run(
        [
            "pngquant",
            "--quality",
            "65-90",
            "--speed",
            "1",
            "--force",
            "--ext",
            ".png",
            *map(str, paths),
        ],
        check=False,
    )


if __name__ == "__main__":
    sys.exit(main())
