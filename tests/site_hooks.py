"""MkDocs hooks: the CUDA verification status on verification.md.

The status is computed at every build from the committed record of the last CUDA pass
(docs/cuda-record.json, written by tests/cuda_pass.py) and the fences on the pages now: a
fence whose code or expected output changed since that run is listed as pending.
"""

from __future__ import annotations

from pathlib import Path

from fences import record
from fences.pages import fence_digests

PLACEHOLDER = "<!-- cuda-status -->"
RECORD = "cuda-record.json"  # in docs_dir, so that the raw record is published beside the page


def _current_cuda_fences(config, files) -> dict[str, str]:
    """Each fence's id as the CUDA pass names it, mapped to its digest now."""
    pages = [Path(file.abs_src_path) for file in files.documentation_pages()]
    return fence_digests(pages, config.config_file_path, "cuda", Path(config.config_file_path).parent)


def _status_markdown(recorded: dict | None, current: dict[str, str]) -> str:
    status = record.compare(recorded, current)
    if recorded is None:
        return (
            '!!! warning "CUDA verification pending"\n\n'
            f"    No CUDA run has been recorded yet: the {len(status.pending)} examples on this "
            "site have been run on CPU only. The project's contributing guide says how to "
            "run them on a GPU.\n"
        )
    env = recorded["environment"]
    lines = [
        f"The last CUDA run was on {recorded['written'][:10]}, on an {env['gpu']} "
        f"with PyTorch {env['torch']}, CUDA {env['cuda']} and Python {env['python']} "
        f"([raw record]({RECORD})).",
        "",
        "| Examples | Count |",
        "| --- | --- |",
        f"| Verified on CUDA, unchanged since | {len(status.verified)} |",
        f"| Failed on CUDA in that run | {len(status.failed)} |",
        f"| Added or changed since that run (pending) | {len(status.pending)} |",
        "",
    ]
    for title, ids in (("Failed on CUDA", status.failed), ("Pending", status.pending)):
        if ids:
            lines += [f"{title}:", ""] + [f"- `{fence_id}`" for fence_id in ids] + [""]
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, files):
    if PLACEHOLDER not in markdown:
        return markdown
    recorded = record.read(Path(config.docs_dir) / RECORD)
    return markdown.replace(PLACEHOLDER, _status_markdown(recorded, _current_cuda_fences(config, files)))
