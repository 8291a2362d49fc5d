"""The hot extraction modules compiled to C by mypyc, used only while they match the sources.

The modules in ``MODULES`` are plain, type-annotated Python. ``python -m
annotations.extraction.build_compiled`` (run by ``make install``) compiles them with mypyc into
``build/compiled/`` together with a digest of the sources they were made from. When the
package is imported, ``activate`` puts that directory ahead of the sources on the
package's path only if the digest still matches: an edited module never runs as a stale
binary, it runs as Python until the next build. ``FACTCHECK_COMPILED=0`` runs the sources
even when a current build exists. Compiled or not, the output is the same; the test
suite compares the two.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sysconfig
import tempfile
import warnings
from pathlib import Path

# Everything between the text and the finished claims but named-entity recognition (a
# model, not Python worth compiling), markup and decoding (once per document), the claim
# dataclass itself (pickled and copied by callers) and the scorer, which callers
# subclass to change its weights: a compiled class can be neither subclassed from Python
# nor have its class attributes overridden.
MODULES = (
    "abbreviations",
    "attribution",
    "claims",
    "dates",
    "discourse",
    "enumeration",
    "features",
    "language",
    "lexicon",
    "morphology",
    "quantities",
    "scoring",
    "segmentation",
)
PACKAGE = "annotations.extraction"
PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent.parent
BUILD_DIR = ROOT / "build" / "compiled"
DIGEST_NAME = "SOURCES.sha256"
ENVIRONMENT_SWITCH = "FACTCHECK_COMPILED"


def output_dir(build_dir: Path = BUILD_DIR) -> Path:
    return build_dir.joinpath(*PACKAGE.split("."))


def source_digest() -> str:
    """A digest of the compiled modules' sources and of the interpreter that loads them."""
    digest = hashlib.sha256()
    # An extension built for another interpreter would not load; count it as stale.
    digest.update(str(sysconfig.get_config_var("EXT_SUFFIX")).encode())
    for name in MODULES:
        digest.update(name.encode() + b"\0")
        digest.update((PACKAGE_DIR / f"{name}.py").read_bytes())
    return digest.hexdigest()


def activate(package_path: list[str], directory: Path | None = None) -> bool:
    """Put a current build ahead of the sources on ``package_path``; say whether it did."""
    if os.environ.get(ENVIRONMENT_SWITCH, "1") == "0":
        return False
    directory = directory or output_dir()
    try:
        recorded = (directory / DIGEST_NAME).read_text(encoding="ascii").strip()
    except OSError:
        return False
    if recorded != source_digest():
        warnings.warn(
            "The compiled extraction modules were built from other sources; running the "
            "Python ones (slower, same output). Run `make install` to rebuild them.",
            RuntimeWarning,
            stacklevel=2,
        )
        return False
    package_path.insert(0, str(directory))
    return True


def build(build_dir: Path = BUILD_DIR) -> Path:
    """Compile ``MODULES`` into ``build_dir``, replacing an earlier build only when done.

    The new build is made beside the old one and swapped in by renames, so a process
    that has the old extensions loaded keeps running and a failed build leaves the old
    one (or none) in place.
    """
    from mypyc.build import mypycify
    from setuptools import Distribution

    digest = source_digest()
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="compiled-", dir=build_dir.parent))
    previous_directory = Path.cwd()
    try:
        # mypyc names each module after its path from the working directory.
        os.chdir(ROOT)
        sources = [f"{PACKAGE.replace('.', '/')}/{name}.py" for name in MODULES]
        extensions = mypycify(
            ["--ignore-missing-imports", "--follow-imports=silent", *sources],
            opt_level="3",
            group_name=f"{PACKAGE}.native",
            target_dir=str(staging / "c"),
        )
        distribution = Distribution({"name": "factcheck-compiled", "ext_modules": extensions})
        command = distribution.get_command_obj("build_ext")
        command.build_lib = str(staging / "lib")  # type: ignore[attr-defined]
        command.build_temp = str(staging / "temp")  # type: ignore[attr-defined]
        distribution.run_command("build_ext")
        (output_dir(staging / "lib") / DIGEST_NAME).write_text(digest + "\n", encoding="ascii")
        retired = build_dir.with_name(build_dir.name + ".old")
        shutil.rmtree(retired, ignore_errors=True)
        if build_dir.exists():
            build_dir.rename(retired)
        (staging / "lib").rename(build_dir)
        shutil.rmtree(retired, ignore_errors=True)
    finally:
        os.chdir(previous_directory)
        shutil.rmtree(staging, ignore_errors=True)
    return build_dir
