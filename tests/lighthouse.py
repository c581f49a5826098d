"""Lighthouse scores of the home page, the main article, the longest article, the questions page
and the notebook page (and of the Chinese edition's home, longest article, questions and notebook
pages), mobile and desktop.

    make lighthouse          # npm ci (Lighthouse 12.2.3 is a dev dependency), then this script
    python tests/lighthouse.py --site DIR --form-factor mobile   # a site built already, phones only
    python tests/lighthouse.py --page "longest article" --page "zh notebook"   # some pages only

Builds the site, serves it on 127.0.0.1 with gzip as GitHub Pages serves it, and runs Lighthouse
(Node 20) against Debian's Chromium three times per page and form factor, with every other host
unresolvable, so a score can never depend on the network. Prints the median score of each
category, as 0-100, and the median of the metrics the performance score is made of (first and
largest contentful paint, total blocking time, cumulative layout shift, speed index). Lighthouse
12.2.3 reports a few trace-based audits as errors on Chromium 156; those audits carry no weight.
Scores on a loaded machine are lower and vary more: the metrics say where the time went.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support import ROOT  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = {
    "home": "", "main article": "convergence/", "longest article": "sharpening/", "questions": "questions/", "notebook": "explore/",
    "zh home": "zh/", "zh longest article": "zh/sharpening/", "zh questions": "zh/questions/", "zh notebook": "zh/explore/",
}  # fmt: skip
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The metrics of the performance score, as Lighthouse names its audits, and how they are printed.
METRICS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP", "total-blocking-time": "TBT",
           "cumulative-layout-shift": "CLS", "speed-index": "SI"}  # fmt: skip


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text gzipped for clients that accept it (as GitHub Pages does)."""

    TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", "/")

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not self.path.split("?")[0].endswith(self.TEXT) or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def serve(site: Path) -> str:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/"


def run(url: str, form_factor: str, chromium: str) -> dict[str, float]:
    flags = "--headless=new --no-sandbox --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'"
    command = [str(LIGHTHOUSE), url, f"--chrome-path={chromium}", f"--chrome-flags={flags}",
               "--output=json", "--quiet", f"--only-categories={','.join(CATEGORIES)}"]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    with tempfile.TemporaryDirectory() as home:  # a fresh Chromium profile for each run
        result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "HOME": home}, check=True)
    report = json.loads(result.stdout)
    scores = {name: report["categories"][name]["score"] * 100 for name in CATEGORIES}
    return scores | {name: report["audits"][name]["numericValue"] for name in METRICS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--site", type=Path, help="score this built site instead of building one (to compare two states)")
    parser.add_argument("--form-factor", choices=("mobile", "desktop"), action="append", help="only this form factor (default: both)")
    parser.add_argument("--page", choices=PAGES, action="append", help="only this page (default: all of PAGES)")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: npm ci (make lighthouse does it)")
    with tempfile.TemporaryDirectory() as out:
        if args.site is None:
            env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", out], cwd=ROOT, env=env, check=True)
        base = serve(args.site or Path(out))
        print(f"Lighthouse, median of {args.runs} runs; {', '.join(CATEGORIES)}; metrics in ms (CLS unitless)")
        for name in args.page or PAGES:
            for form_factor in args.form_factor or ("mobile", "desktop"):
                runs = [run(base + PAGES[name], form_factor, args.chromium) for _ in range(args.runs)]
                medians = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
                print(f"{name:18} {form_factor:8} " + "  ".join(f"{c} {medians[c]:.0f}" for c in CATEGORIES)
                      + "  " + "  ".join(f"{short} {medians[m]:.3f}" if short == "CLS" else f"{short} {medians[m]:.0f}" for m, short in METRICS.items())
                      + "  (performance of each run: " + ", ".join(f"{r['performance']:.0f}" for r in runs) + ")", flush=True)


if __name__ == "__main__":
    main()
