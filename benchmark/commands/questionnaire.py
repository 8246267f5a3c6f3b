"""`benchmark questionnaire validate|import|list|export` (YAML files and workbooks)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import click
from flask.cli import with_appcontext

from benchmark.cli import fail


@click.group("questionnaire")
def questionnaire() -> None:
    """Questionnaire editions: check, publish, list and export them."""


@questionnaire.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check files (.yaml or .xlsx); problems as path:line: message or path: sheet!cell: message."""
    from benchmark.questionnaire.errors import QuestionnaireError
    from benchmark.questionnaire.loader import load_file

    known = {}
    problems = 0
    # Earlier editions first, so that `previous:` mappings can be checked.
    for path in sorted(paths, key=lambda p: p.name):
        try:
            edition = load_file(path, known=known)
        except QuestionnaireError as err:
            for problem in err.problems:
                click.echo(str(problem), err=True)
            problems += len(err.problems)
            continue
        known[edition.version] = edition
        click.echo(f"{path}: ok (edition {edition.version}, {len(edition.scored_questions)} questions, "
                   f"{len(edition.dimensions)} dimensions)")
    if problems:
        fail(f"{problems} problem(s) found")


@questionnaire.command("import")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--draft", is_flag=True,
              help="Store each file as a draft edition (review and publish it in the browser).")
@with_appcontext
def import_(paths: tuple[Path, ...], draft: bool) -> None:
    """Import and publish files (default: questionnaires/*.yaml); .yaml or .xlsx.

    A changed file for an already published edition is refused.
    """
    from benchmark.services import drafts, questionnaires

    if draft:
        if not paths:
            fail("name the files to store as drafts")
        lines = drafts.import_drafts(list(paths))
    else:
        lines = questionnaires.import_files(list(paths) or None)
    for line in lines:
        click.echo(line)


@questionnaire.command("list")
@click.option("--drafts", "with_drafts", is_flag=True, help="Also list the draft editions.")
@with_appcontext
def list_(with_drafts: bool) -> None:
    """One line per edition: version, questions, dimensions, checksum."""
    from benchmark.services import drafts, questionnaires

    editions = questionnaires.list_editions()
    if not editions:
        click.echo("no editions imported yet: run `benchmark questionnaire import`")
    for e in editions:
        click.echo(f"{e.version}\t{e.questions} questions\t{e.dimensions} dimensions\t{e.checksum}"
                   f"\t{e.assessments} assessments")
    if with_drafts:
        for d in drafts.list_drafts():
            click.echo(f"draft {d.id}\t{d.version or '?'}\t{d.filename}\t{d.source_format}"
                       f"\tupdated {d.updated_at:%Y-%m-%d %H:%M} UTC")


@questionnaire.command("export")
@click.option("--version", "version", required=True, help="A published edition, e.g. 2024.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "xlsx"]), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--checksums", is_flag=True,
              help="Add the file's line to CHECKSUMS in the folder of --out (YAML only).")
@with_appcontext
def export(version: str, fmt: str, out: Path, checksums: bool) -> None:
    """Write an edition as YAML (its published source, byte for byte) or as a workbook."""
    from benchmark.authz import SYSTEM
    from benchmark.services import drafts

    if checksums and fmt != "yaml":
        fail("--checksums records a published YAML file; use --format yaml")
    _, data = drafts.export_file(SYSTEM, version, fmt)
    try:
        out.write_bytes(data)
    except OSError as err:
        fail(f"cannot write {out}: {err.strerror or err}")
    click.echo(f"{out}: edition {version} as {fmt} ({len(data):,} bytes)")
    if checksums:
        _record_checksum(out, hashlib.sha256(data).hexdigest())


def _record_checksum(path: Path, digest: str) -> None:
    """Add `<sha256>  <file name>` to CHECKSUMS beside the file; a different one is refused."""
    listing = path.parent / "CHECKSUMS"
    lines = listing.read_text(encoding="utf-8").splitlines() if listing.exists() else []
    entries = dict(reversed(line.split(maxsplit=1)) for line in lines if line.strip())
    known = entries.get(path.name)
    if known == digest:
        click.echo(f"{listing}: {path.name} already listed")
        return
    if known is not None:
        fail(f"{listing} lists another checksum for {path.name}: a published file never "
             "changes; export the edition under a new file name")
    lines.append(f"{digest}  {path.name}")
    listing.write_text("\n".join(sorted(lines, key=lambda line: line.split()[-1])) + "\n",
                       encoding="utf-8")
    click.echo(f"{listing}: added {path.name}")


commands = [questionnaire]
