#!/bin/sh
# Link the tune (odd-numbered) or blind (even-numbered) halves of sets 4-11 into one folder, to score
# them as one set:  sh benchmarks/heldout/halves.sh blind /tmp/blind && python score.py /tmp/blind --cmd ...
set -eu
kind=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
for set in set4 set5 set6 set7 set8 set9 set10 set11; do
    for eml in "$here/$set"/[0-9]*.eml; do
        name=$(basename "$eml" .eml)
        number=$(echo "$name" | sed 's/^0*\([0-9]*\).*/\1/')
        if [ $((number % 2)) -eq 1 ]; then half=tune; else half=blind; fi
        [ "$half" = "$kind" ] || continue
        ln -sf "$here/$set/$name.eml" "$out/$set-$name.eml"
        ln -sf "$here/$set/$name.json" "$out/$set-$name.json"
    done
done
