"""The line a benchmark contributes to the table of bench/RESULTS.md.

Every script prints it last, so that refreshing the table is a matter of pasting the
line over the benchmark's row (and moving the old figures to ``bench/history/``).
"""

from __future__ import annotations

import os
import platform
import re
import sys
from datetime import UTC, datetime
from pathlib import Path


def command_line() -> str:
    """The command as it was run, with a database address written as ``URL``."""
    words = ["bench/" + Path(sys.argv[0]).name, *sys.argv[1:]]
    line = " ".join(words)
    return re.sub(r"(--database-url[ =])\S+", r"\1URL", line)


def machine() -> str:
    """What the figure was measured on: cores, load at the end of the run, Python."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{os.cpu_count()} cores, load {load:.1f}, Python {platform.python_version()}"


def results_row(
    *,
    benchmark: str,
    what: str,
    target: str,
    today: str,
    met: bool | None,
    history: str,
    command: str | None = None,
) -> str:
    """A row of the table: ``met`` None for a figure reported without a target;
    ``history`` the area of ``bench/history/<area>.md``, or a link of its own."""
    link = history if history.startswith("[") else f"[{history}](history/{history}.md)"
    cells = [
        benchmark,
        what,
        target,
        today,
        "—" if met is None else ("yes" if met else "no"),
        f"`{command or command_line()}`",
        f"{datetime.now(UTC).date().isoformat()} ({machine()}) · {link}",
    ]
    return "| " + " | ".join(cells) + " |"


def print_results_row(**cells: object) -> None:
    """Print the row after a blank line and a label, as the script's last output."""
    print()
    print("bench/RESULTS.md row:")
    print(results_row(**cells))  # type: ignore[arg-type]
