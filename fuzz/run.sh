#!/usr/bin/env bash
# Run fuzz targets one after another, each for SECONDS (default 600: ten minutes).
#   fuzz/run.sh [SECONDS] [TARGET...]      (default: every target)
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Findings are written
# to fuzz/artifacts/TARGET/; keep each in tests/fixtures/fuzz/TARGET/ once fixed, where
# `cargo test --test fuzz_regressions` replays it. Logs go to fuzz/logs/TARGET.log.
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(txt docx pdf sheet csv outline fill linebreak)
[ -d fuzz/corpus ] || fuzz/seed.sh
mkdir -p fuzz/logs
for t in "${targets[@]}"; do
    # -timeout: one input running 10 s is a hang; -rss_limit_mb: memory must stay bounded.
    cargo +nightly fuzz run -O "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        > "fuzz/logs/$t.log" 2>&1
    rc=$?
    echo "$t: exit $rc, $(grep -E '^stat::number_of_executed_units' "fuzz/logs/$t.log" | awk '{print $2}') runs"
done
