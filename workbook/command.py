"""`termbook build`: write the lender workbook, atomically, never over a file unless --force."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from xlsxwriter.exceptions import FileCreateError

from udfs.deal.errors import TermsError
from udfs.engine.values import as_date
from udfs.loading import default_deal, load_deal
from workbook import inputs as inputs_mod
from workbook.atomic import atomic_write, release_signals, sweep_stale
from workbook.build import FLAVORS, build, load_template
from workbook.context import Progress

EXAMPLES = (
    "termbook build                                  # <deal>_<as-of>.xlsx in this folder",
    "termbook build --as-of 2002-11-20 --output out/ # into the folder out/ (created)",
    "termbook build --flavor live --amended-through 2002-11-11",
)
MAX_NAME = 120  # characters of a derived file name: well under every file system's limit


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", "-o", metavar="PATH",
                        help="the file to write, or a folder to write it in (an existing folder, or a path "
                        "ending in /, created if missing); default: "
                        "DEAL_ASOF[_through-AMENDED][_live].xlsx in the current folder")
    parser.add_argument("--as-of", metavar="DATE", help="the date of the headline figures, YYYY-MM-DD "
                        "(default: today, kept inside the encoded terms)")
    parser.add_argument("--amended-through", metavar="DATE",
                        help="count only documents signed on or before DATE (default: the as-of date)")
    parser.add_argument("--flavor", choices=FLAVORS, default="portable",
                        help="portable: native formulas (default); live: LSA_/SEV_ functions (needs the add-in)")
    parser.add_argument("--inputs", metavar="FILE.toml", help="input values (amounts, events, offsets, switches)")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.add_argument("--deal", metavar="FILE", help="a deal file instead of the embedded one")


def _date(value: str, option: str):
    try:
        return as_date(value, option)
    except TermsError as exc:
        raise TermsError(option, exc.reason) from None


def safe_name(text: str) -> str:
    """A file-name part from deal data: letters, digits, '.', '-' and '_' only; no leading dot, no '..'."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text)
    name = re.sub(r"\.{2,}", ".", name).strip(".-_ ")
    return name[:MAX_NAME] or "deal"


def default_name(template: dict, deal, values, flavor: str) -> str:
    """<deal id>_<as-of>[_through-<amended>][_live].xlsx: every view and flavor has its own name."""
    pattern = template["workbook"].get("file_name", "{deal_id}_{as_of}.xlsx")
    stem = pattern.format(deal_id=safe_name(deal.id), as_of=values.as_of.isoformat()).removesuffix(".xlsx")
    if values.amended_through is not None:
        stem += f"_through-{values.amended_through.isoformat()}"
    if flavor != "portable":
        stem += f"_{flavor}"
    return safe_name(stem) + ".xlsx"


def _output(option: str | None, name: str) -> Path:
    """Where to write: the default name here, the file named, or the default name inside a folder."""
    if option is None:
        return Path.cwd() / name
    if not option.strip():
        raise TermsError("--output", "is empty: give a file or a folder")
    path = Path(option)
    if option.endswith(("/", os.sep)) or path.is_dir():
        if path.exists() and not path.is_dir():
            raise TermsError("--output", f"{option} is a file, not a folder")
        if not path.exists():
            try:
                path.mkdir(parents=True)
            except OSError as exc:
                raise TermsError("--output", f"cannot create folder {option}: {exc.strerror or exc}") from None
        return path / name
    if path.suffix.lower() != ".xlsx":
        raise TermsError("--output", f"{option} is neither a folder nor a .xlsx file name (end a folder with /)")
    if not path.parent.exists():
        raise TermsError("--output", f"folder {path.parent} does not exist (end --output with / to create it)")
    if not path.parent.is_dir():
        raise TermsError("--output", f"{path.parent} is not a folder")
    return path


def prepare(args):
    """Deal, inputs and the output path from parsed arguments (all checked, nothing written)."""
    deal_path = getattr(args, "deal", None)
    if deal_path is not None and not str(deal_path).strip():
        raise TermsError("--deal", "is empty: give the path of a deal file")
    deal = load_deal(deal_path) if deal_path is not None else default_deal()
    template = load_template()
    values = inputs_mod.defaults(deal, template)
    if getattr(args, "inputs", None):
        values = inputs_mod.load(args.inputs, values, deal)
    if getattr(args, "as_of", None):
        values.as_of = _date(args.as_of, "--as-of")
        inputs_mod.given_in(values, "as_of", "--as-of")
    if getattr(args, "amended_through", None):
        values.amended_through = _date(args.amended_through, "--amended-through")
        inputs_mod.given_in(values, "amended_through", "--amended-through")
    flavor = getattr(args, "flavor", None) or "portable"
    name = default_name(template, deal, values, flavor)
    output = getattr(args, "output", None)
    return deal, values, template, _output(None if output is None else str(output), name)


def run(args) -> int:
    deal, values, template, output = prepare(args)
    if output.is_dir():
        raise TermsError("--output", f"{output} is a folder; name a file, or use --output {output}/")
    if output.exists() and not getattr(args, "force", False):
        if getattr(args, "output", None) is None:  # the default name: say so, and how to choose another
            raise TermsError("file", f"{output} already exists (the default name); use --force to replace it, or "
                             "--output to write elsewhere")
        raise TermsError("--output", f"{output} already exists; use --force to replace it")
    progress = Progress(sys.stderr, int(template["workbook"].get("progress_rows", 20000)))
    flavor = getattr(args, "flavor", None) or "portable"
    existed = output.exists()
    try:
        sweep_stale(output.parent)
        with atomic_write(output, overwrite=getattr(args, "force", False)) as handle:
            build(deal, values, handle, flavor, template, progress)
    except (OSError, FileCreateError) as exc:  # permissions, a vanished folder, disk full: the target, one line
        cause = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else exc  # XlsxWriter wraps it
        raise TermsError("--output", f"{output}: {getattr(cause, 'strerror', None) or cause}") from None
    except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM before the file was in place: say which file is there
        exc.left = f"{output} {'left as it was' if existed else 'not written'}"
        raise
    try:  # written: from here a Ctrl-C is dropped (atomic.release_signals), so nothing says otherwise
        print(output)
        sys.stdout.flush()
    except OSError as exc:
        raise TermsError("standard output", f"{output} was written, but its name could not be printed: "
                         f"{exc.strerror or exc}") from None
    finally:
        release_signals()
    return 0
