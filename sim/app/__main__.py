"""``python -m sim.app``: serve the students' page on 127.0.0.1 (``--host`` to open it to others).

The server makes no request outside this computer. Solara's CDN proxy is off (it would
download any file a client asks for under ``/_solara/cdn/``): the browser loads the scripts
and styles that solara-assets installs from ``/static/assets/``, and a file that is not there
is a 404. Solara's version check, call-home and usage statistics are off too. A session
whose browser has gone is closed after ``SOLARA_KERNEL_CULL_TIMEOUT`` (default here: five
minutes), which releases its model (:mod:`sim.views.app.memory`).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

CULL_TIMEOUT = "5m"
"""How long a disconnected session is kept (a student's wifi may drop for a moment)."""
ASSETS_URL = "/static/assets/"
"""Where the page loads its scripts and styles from: Solara's static assets on this server."""


def bundled_assets() -> Path:
    """The folder where solara-assets installs the page's scripts and styles (the folder
    Solara's proxy would otherwise serve and fill from the internet)."""
    from solara.server import settings

    return settings.assets.proxy_cache_dir


def main(argv: list[str] | None = None) -> None:
    """Parse the address and replace this process by the Solara server."""
    parser = argparse.ArgumentParser(prog="python -m sim.app", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this computer only; "
                             "0.0.0.0 lets others on the network in)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    args = parser.parse_args(argv)
    page = Path(__file__).resolve().parent.parent / "views" / "app" / "page.py"
    command = [sys.executable, "-m", "solara", "run", str(page), "--host", args.host,
               "--port", str(args.port), "--no-open", "--no-check-version", "--production"]
    environment = {"SOLARA_KERNEL_CULL_TIMEOUT": CULL_TIMEOUT, "MALLOC_ARENA_MAX": "2",
                   **os.environ,
                   "SOLARA_ASSETS_PROXY": "False", "SOLARA_ASSETS_CDN": ASSETS_URL,
                   "SOLARA_ASSETS_EXTRA_LOCATIONS": str(bundled_assets()),
                   "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    os.execve(sys.executable, command, environment)  # the server keeps this process's id


if __name__ == "__main__":
    main()
