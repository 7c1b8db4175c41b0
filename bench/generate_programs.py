#!/usr/bin/env python3
"""Writes a seeded, synthetic set of mentoring programs at REAL Canadian places, as CSV for COPY.

No public list of Canadian mentoring programs exists: the sites are real places from the open-data bundle
(Toronto schools, 211 Toronto listings, Toronto youth agencies, and forward sortation area centroids across
Canada), jittered by up to ~300 m; every attribute is synthetic and every row says so (source
'bench-synthetic'). Same seed, same output.

usage: generate_programs.py DATA_DIR OUT_DIR [PROGRAMS]
"""
import csv
import json
import random
import sys
import uuid
from pathlib import Path

data, out = Path(sys.argv[1]), Path(sys.argv[2])
count = int(sys.argv[3]) if len(sys.argv) > 3 else 6000
rnd = random.Random(2026)
out.mkdir(parents=True, exist_ok=True)

places = []
for name in ("toronto_schools.geojson", "toronto_youth_agencies.geojson"):
    for f in json.loads((data / "places" / name).read_text())["features"]:
        lon, lat = f["geometry"]["coordinates"][:2]
        places.append((lat, lon))
with open(data / "places" / "toronto_211_refugee_services.csv", newline="", encoding="utf-8") as fh:
    for row in csv.DictReader(fh):
        if row["LATITUDE"] and row["LONGITUDE"]:
            places.append((float(row["LATITUDE"]), float(row["LONGITUDE"])))
with open(data / "postal" / "fsa_centroids.csv", newline="", encoding="utf-8") as fh:
    for row in csv.DictReader(fh):
        if row["latitude"] and row["longitude"]:
            lat, lon = float(row["latitude"]), float(row["longitude"])
            if 41.6 <= lat <= 83.2 and -141.1 <= lon <= -52.5:
                places.append((lat, lon))

def u(*parts):
    return str(uuid.UUID(int=rnd.getrandbits(128)))

partnerships = [(u(), f"bench-{i}", f"Bench partnership {i} (synthetic)") for i in range(10)]
models = ["ONE_TO_ONE", "GROUP", "PEER", "E_MENTORING", "TEAM"]
settings = ["COMMUNITY", "SCHOOL", "WORKPLACE", "ONLINE"]
modes = ["IN_PERSON", "IN_PERSON", "IN_PERSON", "HYBRID", "VIRTUAL"]

with open(out / "partnership.csv", "w", newline="") as fh:
    w = csv.writer(fh)
    for pid, slug, name in partnerships:
        w.writerow([pid, slug, name])

with open(out / "program.csv", "w", newline="") as pf, open(out / "site.csv", "w", newline="") as sf:
    pw, sw = csv.writer(pf), csv.writer(sf)
    for i in range(count):
        pid = u()
        partnership = partnerships[i % len(partnerships)][0]
        lo = rnd.randint(6, 14)
        hi = rnd.randint(lo + 2, 18) if lo < 17 else 18
        langs = "{en,fr}" if rnd.random() < 0.25 else ("{fr}" if rnd.random() < 0.1 else "{en}")
        maxm = rnd.randint(5, 60)
        pw.writerow([pid, partnership, f"Synthetic program {i:05d}", "bench-synthetic: real place, synthetic program",
                     lo, hi, rnd.choice(models), rnd.choice(settings), langs, rnd.choice(modes), "RADIUS",
                     rnd.choice([2, 3, 5, 8, 10, 15, 20]), rnd.randint(0, maxm), maxm, rnd.randint(0, 20), "t",
                     "ACTIVE", "bench-synthetic", f"bench-{i:05d}"])
        sites = 1 + (rnd.random() < 0.2) + (rnd.random() < 0.05)
        for s in range(sites):
            lat, lon = rnd.choice(places)
            lat += rnd.uniform(-0.0027, 0.0027)
            lon += rnd.uniform(-0.0037, 0.0037)
            sw.writerow([u(), pid, f"Site {s + 1}", f"SRID=4326;POINT({lon:.6f} {lat:.6f})", "EXACT"])
print(f"{count} programs at {len(places)} real places written to {out}")
