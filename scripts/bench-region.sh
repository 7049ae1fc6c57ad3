#!/usr/bin/env bash
# Region-scale OSM loading benchmark (issue 15): writes the synthetic extract
# (bench/synth, default 1000 x 1000 intersections, 9 shape nodes between neighbours: 19 M OSM
# nodes, 1 M graph nodes, as Poitou-Charentes) into bench/data/ (git-ignored, kept for the
# next run), checks its node and way counts against the generator's own, then measures wall
# time and peak memory (/usr/bin/time -v) of
#   - osmium add-locations-to-ways (osmium-tool): the reference, reads and locates every way;
#   - maillage info with the estimated network: the study alone, what every `info` pays;
#   - maillage info --network osm:FILE --profile car: the same plus the OSM loader;
#   - maillage network build: the same build, written into a graph cache (in a temporary directory);
#   - maillage info --network graph:CACHE: the study plus opening the cache.
# Prints a table; nothing is written elsewhere (copy the numbers into BENCHMARKS.md by hand).
#
#   bash scripts/bench-region.sh [--size N] [--shape-nodes K] [--islands I] [--nearest COUNT]
#                                [--hierarchy] [--maillage PATH] [--synth PATH] [--data DIR] [--reuse]
#
#   --size N, --shape-nodes K, --islands I   the extract (default 1000, 9, 3; --size 200 runs in seconds)
#   --maillage PATH   the maillage binary (default: $MAILLAGE_BINARY, else <repo>/build/src/maillage)
#   --synth PATH      maillage-synth-osm (default: beside maillage, <build>/bench/synth/maillage-synth-osm)
#   --data DIR        where the extract is written (default <repo>/bench/data)
#   --reuse           keep an existing extract of the same options instead of writing it again
#   --nearest COUNT   also time `maillage nearest` on the cache: COUNT points to the nearest of COUNT
#                     sites, both spread pseudo-randomly (fixed seed) over the grid (national scale:
#                     --size 4500 --shape-nodes 0 --nearest 35000, communes × a category of France)
#   --hierarchy       also build a cache with a contraction hierarchy (network build --hierarchy);
#                     with --nearest, time nearest on it too and check its CSV is byte-identical
#
# Exit status: 0 measured, 1 a step failed (its log is shown), 2 usage error.
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd -- "${script_dir}/.." && pwd)"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }
die_usage() { echo "bench-region: $*" >&2; echo "(see bash scripts/bench-region.sh --help)" >&2; exit 2; }
die() { echo "bench-region: $*" >&2; exit 1; }

size=1000 shape_nodes=9 islands=3 reuse=0 nearest=0 hierarchy=0
maillage="${MAILLAGE_BINARY:-${repo_root}/build/src/maillage}"
synth="" data_dir="${repo_root}/bench/data"
while (($#)); do
    case "$1" in
        --size | --shape-nodes | --islands | --maillage | --synth | --data | --nearest)
            (($# >= 2)) || die_usage "$1 needs a value"
            case "$1" in
                --size) size="$2" ;;
                --shape-nodes) shape_nodes="$2" ;;
                --islands) islands="$2" ;;
                --maillage) maillage="$2" ;;
                --synth) synth="$2" ;;
                --data) data_dir="$2" ;;
                --nearest) nearest="$2" ;;
            esac
            shift 2 ;;
        --reuse) reuse=1; shift ;;
        --hierarchy) hierarchy=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die_usage "unknown option '$1'" ;;
    esac
done
for v in size shape_nodes islands nearest; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die_usage "--${v//_/-}: '${!v}' is not a whole number"
done
[[ -x "${maillage}" && -f "${maillage}" ]] ||
    die_usage "no maillage binary at ${maillage}: build it (ninja -C build maillage) or give --maillage PATH"
maillage="$(cd -- "$(dirname -- "${maillage}")" && pwd)/$(basename -- "${maillage}")"
if [[ -z "${synth}" ]]; then
    synth="$(dirname -- "$(dirname -- "${maillage}")")/bench/synth/maillage-synth-osm"
fi
[[ -x "${synth}" && -f "${synth}" ]] ||
    die_usage "no generator at ${synth}: build it (ninja -C build maillage-synth-osm) or give --synth PATH"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is needed (Debian package time)"
command -v osmium >/dev/null || die "osmium is needed (Debian package osmium-tool)"

work="$(mktemp -d)"
trap 'rm -rf -- "${work}"' EXIT
trap 'exit 130' INT TERM

# measure NAME COMMAND...: runs it under /usr/bin/time -v, keeps "seconds peak_MiB".
declare -a names=() secs=() mibs=()
measure() {
    local name="$1"
    shift
    local log="${work}/run.log" stats="${work}/time.txt"
    echo "bench-region: ${name} ..." >&2
    if ! /usr/bin/time -v -o "${stats}" "$@" >"${log}" 2>&1; then
        tail -n 20 "${log}" >&2
        die "${name} failed: $*"
    fi
    local wall kib
    wall="$(sed -n 's/^.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "${stats}")"
    kib="$(sed -n 's/^.*Maximum resident set size (kbytes): //p' "${stats}")"
    names+=("${name}")
    secs+=("$(awk -v t="${wall}" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; ++i) s = s * 60 + p[i]; printf "%.1f", s }')")
    mibs+=("$(awk -v k="${kib}" 'BEGIN { printf "%.0f", k / 1024 }')")
}

mkdir -p -- "${data_dir}"
extract="${data_dir}/synthetic-${size}-k${shape_nodes}-i${islands}.osm.pbf"
options=(--size "${size}" --shape-nodes "${shape_nodes}" --islands "${islands}")
counts="$("${synth}" "${options[@]}" --counts)" || die_usage "the generator refused these options"
expect() { sed -n "s/^ *\"$1\": \\([0-9]*\\),\\{0,1\\}$/\\1/p" <<<"${counts}"; }
if ((reuse)) && [[ -f "${extract}" ]]; then
    echo "bench-region: reusing ${extract}" >&2
else
    measure "maillage-synth-osm (writes the extract)" "${synth}" "${options[@]}" -o "${extract}"
fi
nodes="$(osmium fileinfo -e -g data.count.nodes "${extract}")"
ways="$(osmium fileinfo -e -g data.count.ways "${extract}")"
[[ "${nodes}" == "$(expect osm_nodes)" && "${ways}" == "$(expect ways)" ]] ||
    die "${extract}: ${nodes} nodes and ${ways} ways, the generator expects $(expect osm_nodes) and $(expect ways)"

measure "osmium add-locations-to-ways" osmium add-locations-to-ways "${extract}" -o /dev/null -f pbf --overwrite
reference=$((${#names[@]} - 1))
measure "maillage info (estimated network)" "${maillage}" info
measure "maillage info --network osm --profile car" "${maillage}" info --network "osm:${extract}" --profile car
graph="$(sed -n 's/^ *\([0-9]*\) nodes, \([0-9]*\) edges.*/\1 nodes, \2 edges/p' "${work}/run.log")"
cache="${work}/region-car.mgraph"
measure "maillage network build (graph cache)" "${maillage}" network build --network "osm:${extract}" --profile car -o "${cache}"
measure "maillage info --network graph (the cache)" "${maillage}" info --network "graph:${cache}" --profile car
ch_cache="${work}/region-car-ch.mgraph"
if ((hierarchy)); then
    measure "maillage network build --hierarchy" "${maillage}" network build --network "osm:${extract}" --profile car \
        --hierarchy -o "${ch_cache}"
    grep -h "contraction hierarchy:" "${work}/run.log" || true
fi
if ((nearest > 0)); then
    # Points over the main grid (centred on 0.34 E 46.58 N, 160 m spacing unless changed), as
    # lon/lat: metres to degrees at that latitude.
    spread_points() { # spread_points COUNT SEED FILE
        awk -v n="$1" -v seed="$2" -v size="${size}" 'BEGIN {
            srand(seed); half = (size - 1) * 160 / 2; print "id,lon,lat";
            for (i = 0; i < n; ++i) {
                x = (rand() * 2 - 1) * half; y = (rand() * 2 - 1) * half;
                printf "p%d,%.6f,%.6f\n", i, 0.34 + x / (111320 * cos(46.58 * 3.14159265 / 180)), 46.58 + y / 111320
            } }' >"$3"
    }
    spread_points "${nearest}" 1 "${work}/sites.csv"
    spread_points "${nearest}" 2 "${work}/points.csv"
    measure "maillage nearest (${nearest} points, ${nearest} sites, cache)" "${maillage}" nearest --network "graph:${cache}" \
        --profile car --sites "${work}/sites.csv" --points "${work}/points.csv" -o "${work}/nearest.csv"
    if ((hierarchy)); then
        measure "maillage nearest (the same, hierarchy cache)" "${maillage}" nearest --network "graph:${ch_cache}" \
            --profile car --sites "${work}/sites.csv" --points "${work}/points.csv" -o "${work}/nearest-ch.csv"
        cmp -s "${work}/nearest.csv" "${work}/nearest-ch.csv" || die "nearest through the hierarchy differs from Dijkstra's"
        echo "nearest through the hierarchy: byte-identical to Dijkstra's"
    fi
fi
cache_mb="$(awk -v b="$(stat -c %s "${cache}")" 'BEGIN { printf "%.0f", b / 1e6 }')"

printf '\nExtract %s (%s MB): %s OSM nodes, %s ways; %s intersections, %s arcs in the main grid\n' \
    "${extract#"${repo_root}/"}" "$(awk -v b="$(stat -c %s "${extract}")" 'BEGIN { printf "%.1f", b / 1e6 }')" \
    "${nodes}" "${ways}" "$(expect intersections)" "$(expect arcs)"
printf 'maillage graph after loading: %s; graph cache %s MB\n' "${graph:-?}" "${cache_mb}"
printf 'Machine: %s cores, %s; %s\n\n' "$(nproc)" "$(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)" "$(date -u +%Y-%m-%d)"
printf '%-44s %9s %9s %9s %9s\n' "tool" "seconds" "peak MiB" "time x" "memory x"
for i in "${!names[@]}"; do
    awk -v n="${names[i]}" -v s="${secs[i]}" -v m="${mibs[i]}" -v rs="${secs[reference]}" -v rm="${mibs[reference]}" \
        'BEGIN { printf "%-44s %9.1f %9d %9.1f %9.1f\n", n, s, m, (rs > 0 ? s / rs : 0), (rm > 0 ? m / rm : 0) }'
done
echo "(x = ratio to osmium add-locations-to-ways; peak = maximum resident set size)"
