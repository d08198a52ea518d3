"""`termbook build`: write the lender workbook, atomically, never over a file unless --force."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from udfs.engine.deal import default_deal, load_deal
from udfs.engine.errors import TermsError

from . import inputs as inputs_mod
from .atomic import atomic_write
from .build import FLAVORS, build, load_template
from .context import Progress


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", "-o", metavar="PATH",
                        help="where to write (default: DEAL_ASOF.xlsx in the current folder; a folder puts it there)")
    parser.add_argument("--as-of", metavar="DATE", help="the date of the headline figures (default: today, "
                        "kept inside the encoded terms)")
    parser.add_argument("--amended-through", metavar="DATE", help="count only documents signed on or before DATE")
    parser.add_argument("--flavor", choices=FLAVORS, default="portable",
                        help="portable: native formulas (default); live: LSA_/SEV_ functions (needs the add-in)")
    parser.add_argument("--inputs", metavar="FILE.toml", help="input values (amounts, events, offsets, switches)")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.add_argument("--deal", metavar="FILE", help="a deal file instead of the embedded one")


def _date(value: str, option: str):
    from udfs.engine.values import as_date

    try:
        return as_date(value, option)
    except TermsError as exc:
        raise TermsError(option, exc.reason) from None


def prepare(args):
    """Deal, inputs and the output path from parsed arguments (all checked, nothing written)."""
    deal = load_deal(args.deal) if getattr(args, "deal", None) else default_deal()
    template = load_template()
    values = inputs_mod.defaults(deal, template)
    if getattr(args, "inputs", None):
        values = inputs_mod.load(args.inputs, values, deal)
    if getattr(args, "as_of", None):
        values.as_of = _date(args.as_of, "--as-of")
    if getattr(args, "amended_through", None):
        values.amended_through = _date(args.amended_through, "--amended-through")
    name = template["workbook"].get("file_name", "{deal_id}_{as_of}.xlsx").format(
        deal_id=deal.id, as_of=values.as_of.isoformat())
    output = Path(args.output) if getattr(args, "output", None) else Path.cwd() / name
    if output.is_dir():
        output = output / name
    return deal, values, template, output


def run_build(args) -> int:
    deal, values, template, output = prepare(args)
    if output.exists() and not getattr(args, "force", False):
        raise TermsError("--output", f"{output} already exists; use --force to replace it")
    if not output.parent.exists():
        raise TermsError("--output", f"folder {output.parent} does not exist")
    progress = Progress(sys.stderr, int(template["workbook"].get("progress_rows", 20000)))
    flavor = getattr(args, "flavor", None) or "portable"
    with atomic_write(output, overwrite=getattr(args, "force", False)) as handle:
        build(deal, values, handle, flavor, template, progress)
    print(output)
    return 0


def main(argv=None) -> int:  # pragma: no cover - `termbook build` is the entry point
    parser = argparse.ArgumentParser(prog="termbook build")
    add_build_arguments(parser)
    try:
        return run_build(parser.parse_args(argv))
    except TermsError as exc:
        print(f"termbook: {exc}", file=sys.stderr)
        return 2
