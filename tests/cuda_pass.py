"""The CUDA pass: run everything the site shows on a GPU machine and write the record the site shows.

Everything the site shows: every fence of the pages (a translation shows its original's), the
notebooks of both editions (tests/test_notebook.py runs them again and compares each output)
and the code of the figures (tests/test_figures.py). Each runs on the machine's CPU and on
its GPU, with the machine's torch, so that the record tells a difference of device from a
difference of torch version. Run it on any machine with a CUDA build of PyTorch, from the
repository root:

    python tests/cuda_pass.py                      # writes docs/cuda-record.json
    python tests/cuda_pass.py --wheels wheelhouse  # when pip cannot reach an index there

It assumes only Python and torch on that machine. The test dependencies (pytest,
pytest-markdown-docs, MkDocs for the include settings, ...) are used if importable; otherwise
they are installed from `--wheels`, a folder that `make cuda-wheels` fills on a machine with
network access, into a scratch folder that is removed afterwards.

The record is written by the run itself (tests/documents/record.py, tests/fences/results.py);
never edit it by hand. `--device cpu --record SCRATCH.json` exercises the same path without a
GPU, on the CPU alone.

    python tests/cuda_pass.py --convert-record     # a record of an older format, converted

converts the committed record, as the last commit that changed it holds it, to the current
format, from the pages of that commit (tests/documents/conversion.py): every result is copied,
and each entry gains its key. It needs the repository's history and writes nothing else.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support import ROOT  # noqa: E402  # the standard library alone: this runs where only torch is

DEFAULT_RECORD = ROOT / "docs" / "cuda-record.json"
NEEDED = ("pytest", "pytest_markdown_docs", "pytest_timeout", "mdit_py_plugins", "mkdocs", "material", "pymdownx",
          "jupytext", "nbclient", "ipykernel", "matplotlib", "entmax")  # fmt: skip
# What the site shows, as the tests that check it: the pages' fences, the notebooks, the figures.
SHOWN = (
    "docs",
    "tests/test_notebook.py::test_the_stored_outputs_are_what_a_fresh_run_prints",
    "tests/test_figures.py::test_figure_data_computes_on_every_device",
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--device", choices=("cuda", "cpu"), default="cuda",
        help="cuda: run on the CPU and the GPU; cpu: on the CPU only, to exercise the script",
    )  # fmt: skip
    parser.add_argument("--record", type=Path, default=None, help=f"where to write the record (default for cuda: {DEFAULT_RECORD.relative_to(ROOT)})")
    parser.add_argument("--wheels", type=Path, help="a folder of wheels to install the test dependencies from")
    parser.add_argument("--requirements", action="store_true", help="print the test dependencies it needs, and exit")
    parser.add_argument("--requirements-no-deps", action="store_true", help="print those to install without their dependencies, and exit")
    parser.add_argument(
        "--convert-record", action="store_true",
        help="convert the committed record (or --record) of an older format to the current one, from the pages in the history, and exit",
    )  # fmt: skip
    parser.add_argument("pytest_args", nargs="*", help="pages to run, and other pytest arguments (default: every page)")
    args = parser.parse_args(argv)
    if args.requirements or args.requirements_no_deps:
        return args
    if args.convert_record:
        args.record = args.record or DEFAULT_RECORD
        return args
    if args.record is None:
        if args.device != "cuda":
            parser.error("--record is required with --device cpu: the committed record is for CUDA runs only")
        args.record = DEFAULT_RECORD
    elif args.device != "cuda" and args.record.resolve() == DEFAULT_RECORD:
        parser.error(f"{DEFAULT_RECORD.relative_to(ROOT)} is for CUDA runs only")
    return args


def device_problem(device: str) -> str | None:
    if device == "cpu":
        return None
    import torch

    if not torch.cuda.is_available():
        return f"torch {torch.__version__} sees no CUDA device (torch.cuda.is_available() is False)"
    return None


def missing_modules() -> list[str]:
    return [name for name in NEEDED if importlib.util.find_spec(name) is None]


# What the GPU machine has already (torch) or the pass does not use (property tests, workflow
# schemas, the browser).
NOT_NEEDED = ("torch", "check-jsonschema", "hypothesis", "playwright")


# Packages whose only dependency is torch: installed without dependencies, so that neither the
# wheelhouse nor the install brings a second torch beside the GPU machine's CUDA build.
WITHOUT_DEPS = ("entmax",)


def _pins() -> list[str]:
    pins = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    return [pin for pin in pins if pin and pin.split("==")[0] not in NOT_NEEDED]


def test_requirements() -> list[str]:
    """The pinned requirements that the CUDA pass installs beside the GPU machine's torch, with
    their dependencies."""
    return [pin for pin in _pins() if pin.split("==")[0] not in WITHOUT_DEPS]


def no_deps_requirements() -> list[str]:
    """The pinned requirements that it installs without their dependencies (WITHOUT_DEPS)."""
    return [pin for pin in _pins() if pin.split("==")[0] in WITHOUT_DEPS]


def install_wheels(wheels: Path, target: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--find-links", str(wheels), "--target", str(target), *test_requirements()],
        check=True,
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", "--find-links", str(wheels), "--target", str(target), *no_deps_requirements()],
        check=True,
    )


def run(args: argparse.Namespace) -> int:
    if args.requirements:
        print("\n".join(test_requirements()))
        return 0
    if args.requirements_no_deps:
        print("\n".join(no_deps_requirements()))
        return 0
    if args.convert_record:
        return convert_record(args.record)
    if problem := device_problem(args.device):
        print(f"cuda_pass: cannot run on {args.device}: {problem}", file=sys.stderr)
        return 2
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    with tempfile.TemporaryDirectory(prefix="cuda-pass-") as scratch:
        if missing := missing_modules():
            if not args.wheels:
                print(f"cuda_pass: missing {', '.join(missing)}; pass --wheels (see `make cuda-wheels`)", file=sys.stderr)
                return 2
            install_wheels(args.wheels, Path(scratch))
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [scratch, env.get("PYTHONPATH")]))
        # Only what the site shows, unless the arguments name what to run: the harness's own tests
        # are not part of the pass (and pytest's testpaths would include them).
        names_a_path = any((ROOT / arg.split("::")[0]).exists() for arg in args.pytest_args if not arg.startswith("-"))
        devices = "cpu,cuda" if args.device == "cuda" else "cpu"
        command = [
            sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
            f"--devices={devices}", f"--fence-record={args.record}",
            *args.pytest_args, *([] if names_a_path else SHOWN),
        ]  # fmt: skip
        print("cuda_pass:", " ".join(command), flush=True)
        return subprocess.run(command, cwd=ROOT, env=env).returncode


def convert_record(path: Path) -> int:
    """Convert the record at `path` as its last commit holds it (tests/documents/conversion.py)."""
    from documents import conversion, record

    if not path.resolve().is_relative_to(ROOT):
        print(f"cuda_pass: {path} is not in the repository: only a committed record is converted", file=sys.stderr)
        return 2
    name = path.resolve().relative_to(ROOT).as_posix()
    commit = conversion.last_commit(ROOT, name)
    if not commit:
        print(f"cuda_pass: no commit holds {name}: there is no record to convert", file=sys.stderr)
        return 2
    old = conversion.record_at(ROOT, commit, name)
    if not path.exists() or json.loads(path.read_text("utf-8")) != old:
        # A record not committed yet (a run's, say) is never overwritten by an older one.
        print(f"cuda_pass: {name} is not the record of commit {commit[:12]}: commit it first, or restore it", file=sys.stderr)
        return 2
    if old.get("format") == record.FORMAT:
        print(f"cuda_pass: {name} at {commit[:12]} is in format {record.FORMAT} already: nothing to convert")
        return 0
    try:
        converted = conversion.convert_from_history(ROOT, name, commit)
    except conversion.ConversionError as error:
        print(f"cuda_pass: cannot convert {name} of {commit[:12]}: {error}", file=sys.stderr)
        return 2
    record.write(path, converted)
    print(f"cuda_pass: {name} converted from format {old['format']} (commit {commit}) to format {record.FORMAT}: {len(converted['entries'])} entries")
    return 0


if __name__ == "__main__":
    sys.exit(run(parse_args(sys.argv[1:])))
