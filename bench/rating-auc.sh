#!/usr/bin/env bash
# Cross-validated AUC of rating-model candidates on liked/disliked rules drawn from Debian music packages.
#
#   bench/rating-auc.sh [--tracks N] [--seeds "1 2 3"] [--work DIR] [--candidates "c1 c2"] [--ssis DLL --label NAME] RULE...
#
# A RULE is LIKED:DISLIKED (two package names, e.g. supertux-data:widelands-data), or `demo` (the demo library that
# `./run.sh demo` builds, the rule the defaults were tuned on). A side may name a group of one package's tracks,
# PACKAGE@GROUP (e.g. wesnoth-1.16-music@battle:wesnoth-1.16-music@calm), chosen by file name or folder (see `group_pattern`), and several sides may be joined by `+`
# (supertux-data+lincity-ng-data: a taste spanning packages, up to N / n clips of each). For each package rule the script makes a folder library
# of tagged Ogg files: up to N tracks a side (default 40, spread evenly over the package's music), each a stream copy
# (the package's own audio) with an FMPS_RATING tag; a package with fewer than 10 tracks gives 30 s excerpts of each
# (the engine analyses a 30 s centre crop). Liked tracks are rated 0.8/0.9/1.0, disliked ones 0.1/0.2/0.3 (a 0 tag means unrated), every
# fifth clip of each side is left unrated. Then it runs the job once per candidate and seed on one shared state folder
# (the audio is analysed once) and prints model_metrics.json's 5-fold AUC, one line per rule, candidate and seed, and
# the mean over the seeds. Packages come from `apt-get download` (kept under .cache/rating-auc/). `--ssis DLL` runs
# another build of the engine (an earlier default's) on the same state folders; `--label NAME` keeps its outputs apart.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
SSIS_DLL=$ROOT/jobs/bin/Release/net10.0/ssis.dll
LABEL=
PACKAGES=$ROOT/.cache/rating-auc
TRACKS=40
# A package with fewer music tracks is cut into excerpts.
MIN_WHOLE_TRACKS=10
SEEDS="1 2 3"
WORK=$ROOT/out/rating-auc
# Each candidate is a name and the job's embed/model sections; `default` is the job with no embed or model section (the
# engine's default, whichever it is: since the seventh round dsp+spectral+contrastive with the kernel ridge). The others
# name their encoders, so the state keeps the log-mel excerpt and trains the contrastive network only when they read it.
CANDIDATES="default dsp-ridge dsp-mlp dsp-lightgbm contrastive-ridge"
RULES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tracks) TRACKS=$2; shift 2 ;;
    --seeds) SEEDS=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --candidates) CANDIDATES=$2; shift 2 ;;
    --ssis) SSIS_DLL=$(realpath "$2"); shift 2 ;;
    --label) LABEL=$2-; shift 2 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) RULES+=("$1"); shift ;;
  esac
done
[ ${#RULES[@]} -gt 0 ] || { sed -n 2,16p "$0"; exit 2; }
[ -f "$SSIS_DLL" ] || { echo "build first: ./run.sh build" >&2; exit 1; }

log() { printf '[rating-auc] %s\n' "$*" >&2; }

# The YAML of a candidate's embed and model sections.
candidate_yaml() {
  case "$1" in
    default) ;;
    dsp-ridge) printf 'embed:\n  encoders: [dsp, spectral]\nmodel:\n  encoder: dsp\n  regressor: ridge\n' ;;
    dsp-mlp) printf 'embed:\n  encoders: [dsp, spectral]\nmodel:\n  encoder: dsp\n  regressor: mlp\n' ;;
    dsp-lightgbm) printf 'embed:\n  encoders: [dsp, spectral]\nmodel:\n  encoder: dsp\n  regressor: lightgbm\n' ;;
    dsp-fasttree) printf 'embed:\n  encoders: [dsp, spectral]\nmodel:\n  encoder: dsp\n  regressor: fasttree\n' ;;
    contrastive-ridge) printf 'embed:\n  encoders: [dsp, contrastive]\nmodel:\n  encoder: contrastive\n  regressor: ridge\n' ;;
    contrastive-mlp) printf 'embed:\n  encoders: [dsp, contrastive]\nmodel:\n  encoder: contrastive\n  regressor: mlp\n' ;;
    contrastive-lightgbm) printf 'embed:\n  encoders: [dsp, contrastive]\nmodel:\n  encoder: contrastive\n  regressor: lightgbm\n' ;;
    dsp+contrastive-kernel) printf 'embed:\n  encoders: [dsp, contrastive]\nmodel:\n  encoder: dsp+contrastive\n  regressor: kernel\n' ;;
    dsp+contrastive-ridge) printf 'embed:\n  encoders: [dsp, contrastive]\nmodel:\n  encoder: dsp+contrastive\n  regressor: ridge\n' ;;
    spectral-ridge) printf 'embed:\n  encoders: [dsp, spectral]\nmodel:\n  encoder: spectral\n  regressor: ridge\n' ;;
    spectral-mlp) printf 'embed:\n  encoders: [dsp, spectral]\nmodel:\n  encoder: spectral\n  regressor: mlp\n' ;;
    spectral-lightgbm) printf 'embed:\n  encoders: [dsp, spectral]\nmodel:\n  encoder: spectral\n  regressor: lightgbm\n' ;;
    dsp+spectral-ridge) printf 'embed:\n  encoders: [dsp, spectral]\nmodel:\n  encoder: dsp+spectral\n  regressor: ridge\n' ;;
    dsp+spectral-mlp) printf 'embed:\n  encoders: [dsp, spectral]\nmodel:\n  encoder: dsp+spectral\n  regressor: mlp\n' ;;
    dsp+spectral-kernel) printf 'embed:\n  encoders: [dsp, spectral]\nmodel:\n  encoder: dsp+spectral\n  regressor: kernel\n' ;;
    dsp+spectral-lightgbm) printf 'embed:\n  encoders: [dsp, spectral]\nmodel:\n  encoder: dsp+spectral\n  regressor: lightgbm\n' ;;
    contrastive-kernel) printf 'embed:\n  encoders: [dsp, contrastive]\nmodel:\n  encoder: contrastive\n  regressor: kernel\n' ;;
    dsp+spectral+contrastive-kernel) printf 'embed:\n  encoders: [dsp, spectral, contrastive]\nmodel:\n  encoder: dsp+spectral+contrastive\n  regressor: kernel\n' ;;
    dsp+spectral+contrastive-ridge) printf 'embed:\n  encoders: [dsp, spectral, contrastive]\nmodel:\n  encoder: dsp+spectral+contrastive\n  regressor: ridge\n' ;;
    *) echo "unknown candidate $1" >&2; exit 2 ;;
  esac
}

# The folder of a package's music, extracted once (or the copy the setup already extracted under .cache/audio).
music_folder() {
  local package=$1 root=$PACKAGES/$1
  [ -f "$ROOT/.cache/audio/$package.done" ] && root=$ROOT/.cache/audio/$package
  if [ ! -f "$root.done" ]; then
    mkdir -p "$PACKAGES/debs"
    ls "$PACKAGES/debs/${package}_"*.deb >/dev/null 2>&1 || (cd "$PACKAGES/debs" && apt-get download "$package" >&2)
    rm -rf "$root"
    dpkg-deb -x "$PACKAGES/debs/${package}_"*.deb "$root"
    touch "$root.done"
  fi
  case "$package" in
    wesnoth-1.16-music) echo "$root/usr/share/games/wesnoth/1.16/data/core/music" ;;
    planetblupi-music-ogg) echo "$root/usr/share/planetblupi/music" ;;
    widelands-data) echo "$root/usr/share/games/widelands/data/music" ;;
    lincity-ng-data) echo "$root/usr/share/games/lincity-ng/music" ;;
    supertux-data) echo "$root/usr/share/games/supertux2/music" ;;
    *) echo "no music folder known for $package" >&2; exit 2 ;;
  esac
}

# The pattern (extended regex on the track's path below the package's music folder) of a group of a package's tracks.
# The groups were fixed from the names alone, before any model read them: Wesnoth tracks whose names say fighting
# against those whose names say rest or sorrow (names that say neither are in no group); SuperTux's antarctic against
# its forest folder; SuperTux tracks whose names say danger or darkness against those whose names say daylight or
# cheer.
group_pattern() {
  case "$1" in
    wesnoth-1.16-music@battle) echo '^(battle|battle-epic|casualties_of_war|frantic|frantic-old|siege_of_laurelmor|the_city_falls|vengeful|weight_of_revenge|the_dangerous_symphony|breaking_the_chains)\.ogg$' ;;
    wesnoth-1.16-music@calm) echo '^(silence|sad|love_theme|silvan_sanctuary|nunc_dimittis|transience|journeys_end|wanderer|traveling_minstrels|knolls|elf-land)\.ogg$' ;;
    supertux-data@antarctic) echo '^antarctic/' ;;
    supertux-data@forest) echo '^forest/' ;;
    supertux-data@dark) echo '/(bossattack|voc-boss|voc-dark|voc-night|darkforestkeep|fortress|fortress_old|ghostforest|ghostforest2|ghostforest_map|treeboss|halloween_1|battle_theme)\.ogg$' ;;
    supertux-data@bright) echo '/(arctic_breeze|voc-daytime|voc-daytime2|bright_thunders|shallow-green|tropicalbreeze|saharan_penguin|christmas_theme|leveldone|theme|classic|forest_theme|call_of_the_winding_path)\.ogg$' ;;
    *) echo "no group known as $1" >&2; exit 2 ;;
  esac
}

duration_s() { ffprobe -v error -show_entries format=duration -of csv=p=0 "$1"; }

# One side of a rule: up to TRACKS clips of SIDE into FOLDER, rated from BASE (0.8 liked, 0.1 disliked). A side is
# PACKAGE, PACKAGE@GROUP, or several of them joined by `+` (a taste that spans packages), each giving up to TRACKS / n
# clips; the side's clips are numbered (and rated, and left unrated) in one sequence.
make_side() {
  local side=$1 folder=$2 base=$3 prefix=$4
  local parts; IFS='+' read -r -a parts <<<"$side"
  local limit=$((TRACKS / ${#parts[@]})) part
  SIDE_INDEX=0
  for part in "${parts[@]}"; do make_part "$part" "$folder" "$base" "$prefix" "$limit"; done
}

# Up to LIMIT clips of one package (or group) into FOLDER, numbered on from SIDE_INDEX.
make_part() {
  local side=$1 folder=$2 base=$3 prefix=$4 TRACKS=$5
  local package=${side%%@*} pattern='.'
  if [ "$side" != "$package" ]; then pattern=$(group_pattern "$side") || exit 2; fi
  local music; music=$(music_folder "$package")
  mapfile -t sources < <(find "$music" -name '*.ogg' | LC_ALL=C sort | while read -r f; do
    echo "${f#"$music"/}" | grep -Eq "$pattern" && echo "$f"; done)
  [ ${#sources[@]} -gt 0 ] || { echo "no tracks for $side" >&2; exit 2; }
  local clips=()
  if [ ${#sources[@]} -ge "$MIN_WHOLE_TRACKS" ]; then
    # Whole tracks (the engine crops their centre), evenly spread over the package, one clip per track: excerpts of one
    # track on both sides of a fold would let the model recognise the track rather than the taste.
    local count=$((${#sources[@]} < TRACKS ? ${#sources[@]} : TRACKS))
    for i in $(seq 0 $((count - 1))); do clips+=("${sources[$((i * ${#sources[@]} / count))]}|-|-"); done
  else
    # A handful of tracks (lincity-ng-data has 3): non-overlapping 30 s excerpts of each, up to TRACKS in all. Folds
    # then share tracks, so such a rule's AUC is optimistic; the script says so.
    for source in "${sources[@]}"; do
      local d; d=$(duration_s "$source")
      for start in $(seq 0 30 "$(printf '%.0f' "$(echo "$d - 30" | bc)")"); do clips+=("$source|$start|30"); done
    done
    clips=("${clips[@]:0:$TRACKS}")
    log "$package has ${#sources[@]} tracks: ${#clips[@]} excerpts of them (folds share tracks: its rules' AUC is optimistic)"
  fi
  local index=$SIDE_INDEX
  for clip in "${clips[@]}"; do
    IFS='|' read -r source start length <<<"$clip"
    local target
    target=$folder/$(printf '%s_%02d_%s' "$prefix" "$index" "$(basename "$source")")
    local rating=""
    [ $((index % 5)) -ne 4 ] && rating=$(echo "$base + 0.1 * ($index % 3)" | bc | sed 's/^\./0./')
    if [ ! -f "$target" ]; then
      local cut=()
      [ "$start" != "-" ] && cut=(-ss "$start" -t "$length")
      ffmpeg -v error -y "${cut[@]}" -i "$source" -map 0:a -c copy ${rating:+-metadata FMPS_RATING=$rating} "$target.tmp.ogg"
      mv "$target.tmp.ogg" "$target"
    fi
    index=$((index + 1))
  done
  SIDE_INDEX=$index
}

# The catalog section of a rule's jobs.
rule_catalog() {
  local rule=$1 folder=$WORK/$1
  if [ "$rule" = demo ]; then
    [ -f "$ROOT/demo/clementine.db" ] || { echo "no demo library: run ./run.sh demo first" >&2; exit 1; }
    printf 'catalog:\n  clementine: %s\n' "$ROOT/demo/clementine.db"
    return
  fi
  if [ ! -f "$folder/library.done" ]; then
    log "making the library of $rule"
    rm -rf "$folder/library" && mkdir -p "$folder/library"
    make_side "${rule%%:*}" "$folder/library" 0.8 liked
    make_side "${rule##*:}" "$folder/library" 0.1 disliked
    touch "$folder/library.done"
  fi
  printf 'catalog:\n  folder: %s/library\n' "$folder"
}

printf '%-40s %-22s %6s %6s %s\n' rule candidate seed auc rated
for rule in "${RULES[@]}"; do
  catalog=$(rule_catalog "$rule")
  for candidate in $CANDIDATES; do
    aucs=()
    for seed in $SEEDS; do
      out=$WORK/$rule/out-$LABEL$candidate-$seed
      mkdir -p "$out"
      job=$out/job.yaml
      { echo "$catalog"; echo "output: $out"; echo "state: $WORK/$rule/state"; echo "workers: 2"
        # min_rated 10: a within-package rule has fewer than the engine's default 20 rated tracks.
        candidate_yaml "$candidate" | sed "s/^model:/model:\n  seed: $seed\n  min_rated: 10/"
        candidate_yaml "$candidate" | grep -q '^model:' || printf 'model:\n  seed: %s\n  min_rated: 10\n' "$seed"; } > "$job"
      nice -n 15 dotnet "$SSIS_DLL" run "$job" > "$out/log.txt" 2>&1 || { log "job failed: $out/log.txt"; tail -5 "$out/log.txt" >&2; continue; }
      [ -f "$out/model_metrics.json" ] || { log "no model: $out/log.txt"; grep -m1 'No rating model' "$out/log.txt" >&2; continue; }
      auc=$(jq -r '.auc' "$out/model_metrics.json")
      rated=$(jq -r '.rated_tracks' "$out/model_metrics.json")
      printf '%-40s %-22s %6s %6.3f %s\n' "$rule" "$LABEL$candidate" "$seed" "$auc" "$rated"
      aucs+=("$auc")
    done
    [ ${#aucs[@]} -gt 0 ] && printf '%-40s %-22s %6s %6.3f\n' "$rule" "$LABEL$candidate" mean \
      "$(printf '%s\n' "${aucs[@]}" | awk '{s += $1} END {print s / NR}')"
  done
done
