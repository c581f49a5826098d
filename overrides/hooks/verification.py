"""MkDocs hooks: the versions and the CUDA verification status on verification.md (and its
translations).

The status is computed at every build from the committed record of the last CUDA pass
(docs/cuda-record.json, written by tests/cuda_pass.py) and what the site shows now: the fences
of the pages, the notebooks and the figures' code. Each is matched with the record by its key,
what its result depends on (tests/documents/record.py): a fence whose code, or the code of a
fence above it on its page, changed since that run is listed as pending; one only renumbered is
not. A translated page shows its original's examples (the harness checks that), so the fences
are those of the original pages, in every edition. The torch that CPU runs use is read
from requirements.txt; what passed on CUDA with another torch is counted apart.

The fence ids, keys and the record format come from tests/documents/, which the harness uses
too; neither it nor this hook imports pytest or the harness's plugin. Each page's keys are read
once and kept until it or a snippet changes (site_build/pages.py), for both editions' pages and
the next rebuild.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from mkdocs.exceptions import PluginError  # noqa: E402

from documents import record  # noqa: E402
from documents.editions import originals  # noqa: E402
from documents.includes import IncludeError  # noqa: E402
from documents.regions import FenceError  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build import editions, pages  # noqa: E402

PLACEHOLDER = "<!-- cuda-status -->"
PINNED = "<!-- pinned-torch -->"  # the torch version requirements.txt pins, wherever the page says it
RECORD = "cuda-record.json"  # in docs_dir, so that the raw record is published beside the page


def _root(config) -> Path:
    return Path(config.config_file_path).parent


def pinned_torch(config) -> str:
    """The torch that every CPU run uses: read from requirements.txt at each build."""
    return record.pinned_torch(_root(config) / "requirements.txt")


def _current_cuda(config, files) -> dict[str, str]:
    """Everything the site shows that the CUDA pass checks (fences, notebooks, figures), by its
    id on CUDA, mapped to its key now."""
    shown = [Path(file.abs_src_path) for file in files.documentation_pages() if file.src_uri.endswith(".md")]
    try:
        return record.current_keys(originals(shown, config.config_file_path), config.config_file_path, "cuda", _root(config),
                                   keys_of_page=lambda page: pages.fence_keys(page, config, "cuda"))
    except (FenceError, IncludeError) as error:  # a page the tests refuse: an error of the build, at its line
        raise PluginError(str(error)) from None


# The status, in each edition's language.
TEXT = {
    "en": {
        "cpu": "Every change to the site is checked on CPU with PyTorch {pinned}, the release the "
        "project pins.",
        "none": "No CUDA run has been recorded yet: the {pending} examples, notebooks and figures "
        "on this site have been run on CPU only. The project's contributing guide says how to run "
        "them on a GPU.",
        "run": "The last CUDA run was on {date}, on an {gpu} with PyTorch {torch}, CUDA {cuda} and "
        "Python {python} ([raw record]({record})).",
        "same": "That is the pinned PyTorch, so an output that differs there differs because of the device.",
        "other": "That is not the pinned PyTorch: an output that differs there may differ because "
        "of the version as well as the device, so what passed there is counted apart below.",
        "cpu_too": "The same run also ran everything on that machine's CPU: {counts}.",
        "table": ("Examples, notebooks and figures", "Count"),
        "verified": "Verified on CUDA with the pinned PyTorch {pinned}, unchanged since",
        "verified_other": "Verified on CUDA with PyTorch {torch}, not the pinned {pinned}, unchanged since",
        "failed": "Failed on CUDA in that run",
        "pending": "Added, changed, or below a change on its page since that run (pending)",
        "lists": ("Failed on CUDA", "Pending"),
        "title_none": "CUDA verification pending",
        "colon": ":",
        "comma": ", ",  # between the counts of a list
        "space": " ",  # between sentences
        "results": {"passed": "{n} passed", "failed": "{n} failed", "error": "{n} errors", "skipped": "{n} skipped", "not run": "{n} not run"},
    },
    "zh": {
        "cpu": "网站的每一次改动，都会使用项目锁定的 PyTorch {pinned} 在 CPU 上检查。",
        "none": "还没有记录过 CUDA 测试：本站的 {pending} 个示例、notebook 和图只在 CPU 上运行过。"
        "如何在 GPU 上运行它们，见项目的贡献指南。",
        "run": "最近一次 CUDA 测试运行于 {date}，使用 {gpu}，PyTorch {torch}，CUDA {cuda}，"
        "Python {python}（[原始记录]({record})）。",
        "same": "这正是锁定的 PyTorch 版本，因此那次运行中若有输出不同，原因在于设备。",
        "other": "这不是锁定的 PyTorch 版本：那次运行中若有输出不同，原因可能在于版本，也可能在于设备，"
        "因此在那次运行中通过的内容在下表中单独计数。",
        "cpu_too": "同一次运行也在那台机器的 CPU 上运行了全部内容：{counts}。",
        "table": ("示例、notebook 和图", "数量"),
        "verified": "已用锁定的 PyTorch {pinned} 在 CUDA 上验证，此后未改动",
        "verified_other": "已用 PyTorch {torch}（不是锁定的 {pinned}）在 CUDA 上验证，此后未改动",
        "failed": "在那次运行中于 CUDA 上失败",
        "pending": "那次运行之后新增、改动，或同页上方有改动（待验证）",
        "lists": ("在 CUDA 上失败", "待验证"),
        "title_none": "CUDA 验证尚未进行",
        "colon": "：",  # full-width, as Chinese punctuation is
        "comma": "，",
        "space": "",  # Chinese sentences follow each other without a space
        "results": {"passed": "{n} 个通过", "failed": "{n} 个失败", "error": "{n} 个出错", "skipped": "{n} 个跳过", "not run": "{n} 个未运行"},
    },
}


def _status_markdown(recorded: dict | None, current: dict[str, str], language: str, pinned: str) -> str:
    text = TEXT.get(language, TEXT["en"])
    status = record.compare(recorded, current, pinned)
    if recorded is None:
        return '!!! warning "{}"\n\n    {} {}\n'.format(
            text["title_none"],
            text["cpu"].format(pinned=pinned),
            text["none"].format(pending=len(status.pending)),
        )
    env = recorded["environment"]
    sentences = [text["cpu"].format(pinned=pinned), text["run"].format(date=recorded["written"][:10], record=RECORD, **env)]
    sentences.append(text["same"] if record.same_torch(env["torch"], pinned) else text["other"])
    if cpu := recorded["summary"].get("cpu"):
        sentences.append(text["cpu_too"].format(counts=text["comma"].join(text["results"].get(r, "{n} " + r).format(n=n) for r, n in sorted(cpu.items()))))
    rows = [(text["verified"].format(pinned=pinned), len(status.verified))]
    rows += [(text["verified_other"].format(torch=torch, pinned=pinned), len(ids)) for torch, ids in sorted(status.verified_other_torch.items())]
    rows += [(text["failed"], len(status.failed)), (text["pending"], len(status.pending))]
    lines = [
        text["space"].join(sentences),
        "",
        "| {} | {} |".format(*text["table"]),
        "| --- | --- |",
        *(f"| {row} | {count} |" for row, count in rows),
        "",
    ]
    for title, ids in zip(text["lists"], (status.failed, status.pending)):
        if ids:
            lines += [title + text["colon"], ""] + [f"- `{entry_id}`" for entry_id in ids] + [""]
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, files):
    if PLACEHOLDER not in markdown and PINNED not in markdown:
        return markdown
    pinned = pinned_torch(config)
    markdown = markdown.replace(PINNED, pinned)
    if PLACEHOLDER not in markdown:
        return markdown
    recorded = record.read(Path(config.docs_dir) / RECORD)
    status = _status_markdown(recorded, _current_cuda(config, files), editions.language(config), pinned)
    return markdown.replace(PLACEHOLDER, status)
