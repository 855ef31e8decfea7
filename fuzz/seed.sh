#!/usr/bin/env bash
# Seed each fuzz target's corpus (fuzz/corpus/TARGET, not committed) from the test fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
seed() {
    local target=$1
    shift
    mkdir -p "fuzz/corpus/$target"
    for f in "$@"; do
        [ -f "$f" ] && cp "$f" "fuzz/corpus/$target/"
    done
}
seed txt corpora/plans/*.txt tests/fixtures/*.txt
seed docx tests/fixtures/*.docx
seed pdf tests/fixtures/pdf/*.pdf
seed sheet tests/fixtures/plan-table.* tests/fixtures/batch/*.xlsx
seed csv tests/fixtures/batch/*.csv
seed outline corpora/plans/*.txt
seed linebreak corpora/plans/*.txt
# fill: a few value sets in the target's own encoding (instrument byte, then
# 0xFF-separated values each led by a field byte).
mkdir -p fuzz/corpus/fill
for i in 0 1 2 3; do
    printf "\\x0$i\\x00王建国\\xff\\x012022年3月5日\\xff\\x02{{ x }}<w:t>&amp;]]>\\xff\\x03（一）第一行\\n第二行" \
        > "fuzz/corpus/fill/seed-$i"
done
ls fuzz/corpus | while read -r t; do echo "$t: $(ls "fuzz/corpus/$t" | wc -l) seeds"; done
