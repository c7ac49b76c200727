"""Peak memory and time of `casekit generate` per case, written block by block.

Each case runs in its own process under GNU time, so the peak is the whole
command's: simulation, Parquet writing and the card. Usage:

    python bench/bench_stream.py --customers 1000000 --format parquet
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import casekit


def run(name: str, customers: int, fmt: str) -> tuple[float, float, int]:
    """Wall seconds, peak GiB and rows written of one generation."""
    out = Path(tempfile.mkdtemp(prefix=f"stream-{name}-"))
    try:
        command = ["/usr/bin/time", "-v", sys.executable, "-m", "casekit", "generate", name,
                   "--customers", str(customers), "--seed", "1", "--format", fmt,
                   "--out", str(out)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)",
                                done.stderr).group(1))
        clock = re.search(r"Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):([\d.]+)",
                          done.stderr)
        hours, minutes, seconds = (float(g or 0) for g in clock.groups())
        rows = 0
        if fmt == "parquet":
            import pyarrow.parquet as pq

            rows = sum(pq.ParquetFile(p).metadata.num_rows for p in out.glob("*.parquet"))
        return hours * 3600 + minutes * 60 + seconds, peak_kb / 2**20, rows
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--format", default="parquet", choices=["csv", "parquet", "duckdb"])
    parser.add_argument("--cases", nargs="*", default=casekit.list_cases())
    args = parser.parse_args(argv)
    print(f"casekit {casekit.__version__}, {args.customers:,} customers, {args.format}")
    print(f"{'case':<16} {'wall s':>8} {'peak GiB':>9} {'rows':>13}")
    for name in args.cases:
        seconds, peak, rows = run(name, args.customers, args.format)
        print(f"{name:<16} {seconds:>8.1f} {peak:>9.2f} {rows:>13,}", flush=True)


if __name__ == "__main__":
    main()
