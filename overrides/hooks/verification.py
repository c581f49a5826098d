"""MkDocs hooks: the CUDA verification status on verification.md (and its translations).

The status is computed at every build from the committed record of the last CUDA pass
(docs/cuda-record.json, written by tests/cuda_pass.py) and the fences on the pages now: a
fence whose code or expected output changed since that run is listed as pending. A translated
page shows its original's examples (the harness checks that), so the fences are those of the
original pages, in every edition.

The fence ids, digests and the record format come from tests/documents/, which the harness uses
too; neither it nor this hook imports pytest or the harness's plugin.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from documents import record  # noqa: E402
from documents.editions import originals  # noqa: E402

PLACEHOLDER = "<!-- cuda-status -->"
RECORD = "cuda-record.json"  # in docs_dir, so that the raw record is published beside the page


def _current_cuda_fences(config, files) -> dict[str, str]:
    """Each fence's id as the CUDA pass names it, mapped to its digest now."""
    pages = [Path(file.abs_src_path) for file in files.documentation_pages() if file.src_uri.endswith(".md")]
    return record.fence_digests(originals(pages, config.config_file_path), config.config_file_path, "cuda", Path(config.config_file_path).parent)


# The status, in each edition's language.
TEXT = {
    "en": {
        "none": '!!! warning "CUDA verification pending"\n\n'
        "    No CUDA run has been recorded yet: the {pending} examples on this site have been run on "
        "CPU only. The project's contributing guide says how to run them on a GPU.\n",
        "run": "The last CUDA run was on {date}, on an {gpu} with PyTorch {torch}, CUDA {cuda} and "
        "Python {python} ([raw record]({record})).",
        "table": ("Examples", "Count"),
        "rows": ("Verified on CUDA, unchanged since", "Failed on CUDA in that run", "Added or changed since that run (pending)"),
        "lists": ("Failed on CUDA", "Pending"),
    },
    "zh": {
        "none": '!!! warning "CUDA 验证尚未进行"\n\n'
        "    还没有记录过 CUDA 运行：本站的 {pending} 个示例只在 CPU 上运行过。"
        "如何在 GPU 上运行它们，见项目的贡献指南。\n",
        "run": "最近一次 CUDA 运行在 {date}，使用 {gpu}，PyTorch {torch}，CUDA {cuda}，"
        "Python {python}（[原始记录]({record})）。",
        "table": ("示例", "数量"),
        "rows": ("已在 CUDA 上验证，此后未改动", "在那次运行中于 CUDA 上失败", "那次运行之后新增或改动（待验证）"),
        "lists": ("在 CUDA 上失败", "待验证"),
    },
}


def _status_markdown(recorded: dict | None, current: dict[str, str], language: str) -> str:
    text = TEXT.get(language, TEXT["en"])
    status = record.compare(recorded, current)
    if recorded is None:
        return text["none"].format(pending=len(status.pending))
    env = recorded["environment"]
    counts = (len(status.verified), len(status.failed), len(status.pending))
    lines = [
        text["run"].format(date=recorded["written"][:10], record=RECORD, **env),
        "",
        "| {} | {} |".format(*text["table"]),
        "| --- | --- |",
        *(f"| {row} | {count} |" for row, count in zip(text["rows"], counts)),
        "",
    ]
    for title, ids in zip(text["lists"], (status.failed, status.pending)):
        if ids:
            lines += [f"{title}:", ""] + [f"- `{fence_id}`" for fence_id in ids] + [""]
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, files):
    if PLACEHOLDER not in markdown:
        return markdown
    recorded = record.read(Path(config.docs_dir) / RECORD)
    language = getattr(page.file, "locale", "en")  # set by the i18n plugin
    status = _status_markdown(recorded, _current_cuda_fences(config, files), language)
    return markdown.replace(PLACEHOLDER, status)
