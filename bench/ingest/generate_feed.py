#!/usr/bin/env python3
"""Writes the same seeded, SYNTHETIC partner feed as GeoJSON and as CSV for the ingest benchmark.

Each record is one program with one site at a real Canadian forward sortation area centroid (open-data bundle,
postal/fsa_centroids.csv), jittered by up to ~2 km; names and attributes are synthetic and say so. Same seed,
same files.

usage: generate_feed.py DATA_DIR OUT_DIR [RECORDS]
"""
import csv
import json
import random
import sys
from pathlib import Path

data, out = Path(sys.argv[1]), Path(sys.argv[2])
count = int(sys.argv[3]) if len(sys.argv) > 3 else 60000
rnd = random.Random(20261125)
out.mkdir(parents=True, exist_ok=True)

centroids = []
with open(data / "postal" / "fsa_centroids.csv", newline="", encoding="utf-8") as fh:
    for row in csv.DictReader(fh):
        # H0H (Santa Claus, at the North Pole) and blank rows are not places programs can be.
        if row["latitude"] and row["longitude"] and 41.7 < float(row["latitude"]) < 83 \
                and -141 < float(row["longitude"]) < -52.6:
            centroids.append((row["fsa"], float(row["latitude"]), float(row["longitude"])))
models = ["one-to-one", "group", "peer", "e-mentoring", "team"]
settings = ["community", "school", "workplace"]
languages = ["en", "fr", "en;fr", "en;pa", "fr;ar", "en;zh"]

records = []
for i in range(count):
    fsa, lat, lon = rnd.choice(centroids)
    lat += rnd.uniform(-0.018, 0.018)
    lon += rnd.uniform(-0.025, 0.025)
    lo = rnd.randint(6, 14)
    records.append({
        "id": f"feed-{i:06d}",
        "name": f"Synthetic mentoring program {i} ({fsa})",
        "description": "Synthetic benchmark record at a real postal-area centroid",
        "min_age": lo, "max_age": rnd.randint(lo + 2, 18),
        "model": rnd.choice(models), "setting": rnd.choice(settings), "languages": rnd.choice(languages),
        "radius_km": rnd.choice([2, 5, 10, 15, 20]), "max_matches": rnd.randint(5, 80),
        "postal_code": f"{fsa} {rnd.randint(0, 9)}{chr(65 + rnd.randint(0, 25))}{rnd.randint(0, 9)}",
        "latitude": round(lat, 6), "longitude": round(lon, 6),
    })

with open(out / "feed.geojson", "w", encoding="utf-8") as fh:
    json.dump({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [r["longitude"], r["latitude"]]},
         "properties": {k: v for k, v in r.items() if k not in ("latitude", "longitude")}} for r in records]}, fh)
with open(out / "feed.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.DictWriter(fh, fieldnames=list(records[0].keys()))
    w.writeheader()
    w.writerows(records)
print(f"{count} synthetic records -> {out}/feed.geojson, {out}/feed.csv")
