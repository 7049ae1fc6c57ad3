#!/usr/bin/env bash
# Side-by-side check of maillage against PostgreSQL + pgRouting on the same OSM extract:
# osm2pgrouting loads the extract, pgr_drivingDistance computes the area reachable within a
# time limit from a few sources; maillage computes times from the same sources to the same
# vertices (`maillage matrix`). Reports timings, the share of vertices on which both agree
# (reachable within the limit or not), and the median time ratio.
#
#   bash scripts/pgrouting-compare.sh [EXTRACT.osm.pbf] [LIMIT_SECONDS]
#
# A manual comparison, not part of CI: it installs PostgreSQL 15, PostGIS, pgRouting,
# osm2pgrouting and osmium-tool (Debian packages) and runs a throwaway cluster in a temporary
# directory on a Unix socket. Needs the build (scripts/setup.sh).
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd -- "${script_dir}/.." && pwd)"
extract="${1:-${repo_root}/geodata/cache/osm/liechtenstein-latest.osm.pbf}"
limit="${2:-600}"
maillage="${repo_root}/build/src/maillage"
[[ -x "${maillage}" ]] || { echo "pgrouting-compare: build maillage first (bash scripts/setup.sh)" >&2; exit 1; }
[[ -f "${extract}" ]] || { echo "pgrouting-compare: no extract ${extract}" >&2; exit 1; }

sudo_cmd=()
[[ "$(id -u)" -eq 0 ]] || sudo_cmd=(sudo)
need=()
for p in postgresql-15 postgresql-15-pgrouting postgresql-15-postgis-3 osm2pgrouting osmium-tool; do
    dpkg -s "${p}" >/dev/null 2>&1 || need+=("${p}")
done
if ((${#need[@]})); then
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
fi

work="$(mktemp -d)"
chmod 0777 "${work}"
pgbin=/usr/lib/postgresql/15/bin
as_pg() { if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() { as_pg "${pgbin}/pg_ctl" -D "${work}/db" -m immediate stop >/dev/null 2>&1 || true; rm -rf "${work}"; }
trap cleanup EXIT

as_pg "${pgbin}/initdb" -D "${work}/db" -A trust -U postgres >/dev/null
as_pg "${pgbin}/pg_ctl" -D "${work}/db" -o "-k ${work} -c listen_addresses=''" -l "${work}/pg.log" -w start >/dev/null
psql_() { psql -h "${work}" -U postgres -d osm -v ON_ERROR_STOP=1 -qAtX "$@"; }
createdb -h "${work}" -U postgres osm
psql_ -c "CREATE EXTENSION postgis; CREATE EXTENSION pgrouting;"

osmium cat -o "${work}/extract.osm" "${extract}"
t0=$(date +%s.%N)
osm2pgrouting --f "${work}/extract.osm" --conf /usr/share/osm2pgrouting/mapconfig_for_cars.xml \
    --dbname osm --username postgres --host "${work}" --clean >/dev/null 2>&1
t1=$(date +%s.%N)

# Sources: the vertices nearest to a few evenly spread points of the extract.
psql_ -c "CREATE TABLE sources AS
  SELECT v.id, ST_X(v.the_geom) AS lon, ST_Y(v.the_geom) AS lat
  FROM (SELECT ST_Extent(the_geom) AS e FROM ways_vertices_pgr) b,
       generate_series(1, 3) k,
       LATERAL (SELECT id, the_geom FROM ways_vertices_pgr
                ORDER BY the_geom <-> ST_SetSRID(ST_MakePoint(
                  ST_XMin(b.e) + (ST_XMax(b.e) - ST_XMin(b.e)) * k / 4.0,
                  ST_YMin(b.e) + (ST_YMax(b.e) - ST_YMin(b.e)) * k / 4.0), 4326) LIMIT 1) v;"
psql_ -c "\\copy (SELECT id, lon, lat FROM sources ORDER BY id) TO '${work}/sources.csv' CSV HEADER"
# Destinations: every vertex of the pgRouting graph.
psql_ -c "\\copy (SELECT id, ST_X(the_geom) AS lon, ST_Y(the_geom) AS lat FROM ways_vertices_pgr ORDER BY id) TO '${work}/vertices.csv' CSV HEADER"

t2=$(date +%s.%N)
psql_ -c "\\copy (SELECT s.id AS origin, d.node AS destination, d.agg_cost FROM sources s,
  LATERAL pgr_drivingDistance('SELECT gid AS id, source, target, cost_s AS cost, reverse_cost_s AS reverse_cost FROM ways',
                              s.id, ${limit}, directed => true) d ORDER BY 1, 2) TO '${work}/pg.csv' CSV HEADER"
t3=$(date +%s.%N)
"${maillage}" matrix --network "osm:${extract}" --profile car --max-snap 100000 --origins "${work}/sources.csv" \
    --destinations "${work}/vertices.csv" --max-minutes "$(python3 -c "print(${limit}/60)")" -o "${work}/maillage.csv"
t4=$(date +%s.%N)

# Second run with osm2pgrouting's own speeds (its mapconfig_for_cars.xml, made into a maillage
# profile), so what is left of the difference is the graph and the search, not the profile.
python3 - "${repo_root}/geodata/profiles/car.json" "${work}/same_speeds.json" <<'PY'
import json, sys, xml.etree.ElementTree as ET
root = ET.parse("/usr/share/osm2pgrouting/mapconfig_for_cars.xml").getroot()
speeds = {v.get("name"): float(v.get("maxspeed")) for t in root.iter("tag_name") if t.get("name") == "highway"
          for v in t.iter("tag_value") if v.get("maxspeed")}
profile = json.load(open(sys.argv[1]))
profile.update(name="car-osm2pgrouting-speeds", highway_speeds_kmh=speeds, max_speed_kmh=max(speeds.values()),
               description="osm2pgrouting mapconfig_for_cars.xml speeds (pgrouting-compare.sh)")
json.dump(profile, open(sys.argv[2], "w"), indent=1)
PY
"${maillage}" matrix --network "osm:${extract}" --profile "${work}/same_speeds.json" --max-snap 100000 \
    --origins "${work}/sources.csv" --destinations "${work}/vertices.csv" \
    --max-minutes "$(python3 -c "print(${limit}/60)")" -o "${work}/maillage_same_speeds.csv"

python3 - "${work}" "${limit}" "${t1}" "${t0}" "${t3}" "${t2}" "${t4}" <<'PY'
import csv, statistics, sys
work, limit = sys.argv[1], float(sys.argv[2])
load, pg, ml = float(sys.argv[3]) - float(sys.argv[4]), float(sys.argv[5]) - float(sys.argv[6]), float(sys.argv[7]) - float(sys.argv[5])
pg_t = {(r["origin"], r["destination"]): float(r["agg_cost"]) for r in csv.DictReader(open(f"{work}/pg.csv"))}
dests = [r["id"] for r in csv.DictReader(open(f"{work}/vertices.csv"))]
print(f"osm2pgrouting import: {load:.1f} s")


def compare(label, path):
    ml_t = {(r["origin_id"], r["destination_id"]): float(r["seconds"]) for r in csv.DictReader(open(path)) if r["seconds"]}
    origins = {o for o, _ in ml_t} | {o for o, _ in pg_t}
    agree = total = 0
    ratios = []
    for o in origins:
        for d in dests:
            a, b = (o, d) in pg_t, (o, d) in ml_t
            total += 1
            agree += a == b
            if a and b and pg_t[(o, d)] > 60:
                ratios.append(ml_t[(o, d)] / pg_t[(o, d)])
    print(f"[{label}] reachable within the limit: pgRouting {len(pg_t)} pairs, maillage {len(ml_t)} pairs; "
          f"agreement on {agree}/{total} = {100*agree/total:.1f} %")
    if ratios:
        q = statistics.quantiles(ratios, n=4)
        print(f"[{label}] time ratio maillage / pgRouting on pairs reached by both (> 60 s): median "
              f"{statistics.median(ratios):.3f}, quartiles {q[0]:.3f}-{q[2]:.3f}")
    return len(origins)


n = compare("maillage car profile", f"{work}/maillage.csv")
print(f"pgr_drivingDistance x{n} ({limit:.0f} s limit): {pg:.2f} s   maillage matrix (load + route + write): {ml:.2f} s")
compare("maillage with osm2pgrouting's speeds", f"{work}/maillage_same_speeds.csv")
PY
