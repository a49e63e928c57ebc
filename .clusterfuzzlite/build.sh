#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script. The service sets CC, CXX, CFLAGS, CXXFLAGS (sanitizer and
# coverage flags), LIB_FUZZING_ENGINE, OUT and SRC; CMake reads CFLAGS/CXXFLAGS from the environment.
# Outputs in $OUT: each *_fuzzer, its .options, its .dict and its seed corpus (<fuzzer>_seed_corpus.zip,
# generated from the model's transition tour, plus fuzz/regressions/<fuzzer>/).
# Locally: CC=clang CXX=clang++ CFLAGS="-fsanitize=address,fuzzer-no-link" CXXFLAGS="$CFLAGS" \
#          LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out SRC=/tmp/src .clusterfuzzlite/build.sh
if [ -f CMakeLists.txt ] && [ -d fuzz ]; then src="$(pwd)"; else src="$SRC/bgconform"; fi
build="${WORK:-/tmp}/bgconform-build"
fuzzers=(job_sequence_fuzzer replay_file_fuzzer text_form_fuzzer host_protocol_fuzzer config_fuzzer ledger_fuzzer report_fuzzer)

cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DBUILD_TESTING=OFF -DBGC_FUZZ=ON -DBGC_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" \
  -DBGC_FUZZ_INSTRUMENT_READERS=OFF
cmake --build "$build" -j"$(nproc)" --target "${fuzzers[@]}" fuzz_seeds

mkdir -p "$OUT"
for f in "${fuzzers[@]}"; do
  cp "$build/fuzz/$f" "$OUT/"
  cp "$src/fuzz/$f.options" "$OUT/"
  # A dictionary kept as it is (fuzz/), or written at build time (build/fuzz/seeds/: the op names from
  # the alphabet, then fuzz/words/).
  if [ -f "$src/fuzz/$f.dict" ]; then cp "$src/fuzz/$f.dict" "$OUT/"
  elif [ -f "$build/fuzz/seeds/$f.dict" ]; then cp "$build/fuzz/seeds/$f.dict" "$OUT/"; fi
  corpus="$build/corpus-$f"
  rm -rf "$corpus" && mkdir -p "$corpus"
  cp -r "$build/fuzz/seeds/$f/." "$corpus/"
  if [ -d "$src/fuzz/regressions/$f" ]; then cp -r "$src/fuzz/regressions/$f/." "$corpus/"; fi
  rm -f "$OUT/${f}_seed_corpus.zip"
  (cd "$corpus" && cmake -E tar cf "$OUT/${f}_seed_corpus.zip" --format=zip .)
done
