#!/usr/bin/env bash
# Runs every comparison behind the performance targets (benchmarks/README.md, "Targets in one run") in one
# sitting, so the ratios come from one machine state. Build first:
#   ./mvnw -B -q -pl benchmarks -am package -DskipTests
# then, from the repository root:  benchmarks/issue15-targets.sh [OUTPUT_DIR]
# About 20 minutes on 2 cores. Each section's raw output goes to OUTPUT_DIR (default target/targets-<time>).
set -uo pipefail
J=${J:-benchmarks/target/benchmarks.jar}
OUT=${1:-target/targets-$(date +%Y%m%d-%H%M)}
mkdir -p "$OUT"
JAVA=(java --add-modules jdk.incubator.vector)
SHORT=(-f 1 -wi 2 -i 4 -w 2 -r 2)
LONG=(-f 1 -wi 2 -i 4 -w 3 -r 3)

section() {
    echo "== $1 ($(date +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$OUT/summary.txt"
}
jmh() {
    local name=$1
    shift
    section "$name"
    "${JAVA[@]}" -jar "$J" "$@" -rff "$OUT/$name.csv" > "$OUT/$name.log" 2>&1
    grep -E '^(Benchmark|[A-Za-z0-9]+Benchmarks\.)' "$OUT/$name.log" | tee -a "$OUT/summary.txt"
}
tool() {
    local name=$1
    shift
    section "$name"
    OMP_NUM_THREADS=1 "${JAVA[@]}" -cp "$J" "$@" > "$OUT/$name.log" 2>&1
    grep -iE 'median|ratio|step' "$OUT/$name.log" | tail -12 | tee -a "$OUT/summary.txt"
}

jmh quadratic-scratch 'ScratchBenchmarks.quadraticStep(Polygrad|HandWritten|TrainerEager|TrainerCaptured)' "${SHORT[@]}" -prof gc
jmh scratch-vs-djl 'ScratchVsDjlBenchmarks' "${SHORT[@]}" -prof gc
jmh mlp-scratch-captured 'ScratchBenchmarks.mlpStep(Polygrad|Captured)$' "${SHORT[@]}" -prof gc
jmh mlp-scratch-default '\.(ScratchBenchmarks.mlpStepPolygrad|DjlBenchmarks.mlpStepPolygrad)$' "${SHORT[@]}" -p torchThreads=2 -prof gc
jmh native-vs-raw '\.(DjlBenchmarks|Nd4jBenchmarks)\.(quadraticStep|mlpStep)' "${SHORT[@]}" -p torchThreads=1 -p nd4jThreads=1
jmh cnn 'cnnStep(PolygradDjl|RawDjl|PolygradNd4j|RawNd4j|PolygradScratch)$' "${LONG[@]}"
tool interleaved-native io.polygrad.benchmarks.Interleaved djl nd4j
tool interleaved-nd4j-cnn io.polygrad.benchmarks.Nd4jCnnInterleaved
tool interleaved-scratch-vs-djl-1 io.polygrad.benchmarks.ScratchVsDjlInterleaved 1
tool interleaved-scratch-vs-djl-2 io.polygrad.benchmarks.ScratchVsDjlInterleaved 2
tool interleaved-scratch-cnn io.polygrad.benchmarks.ScratchCnnProfile djl
section "fit quadratic, built, warm (3 runs)"
./polygrad fit quadratic --no-plot > /dev/null 2>&1
for i in 1 2 3; do
    /usr/bin/time -f "%e s wall" ./polygrad fit quadratic --no-plot 2>&1 >/dev/null | tail -1 | tee -a "$OUT/summary.txt"
done
echo "done: $OUT/summary.txt"
