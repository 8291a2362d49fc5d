"""Compile the hot extraction modules: ``python -m annotations.extraction.build_compiled``.

Run by ``make install``; see ``compiled`` for what is compiled and when it is used.
"""

import sys

from .compiled import MODULES, build

if __name__ == "__main__":
    built = build()
    print(f"compiled {len(MODULES)} extraction modules into {built}", file=sys.stderr)
