#!/usr/bin/env python3
"""Writes the request bodies both servers get, one JSON per line: the same seeded list of real Canadian
query points (near) and areas (within), as hub queries and as PostGraphile queries."""
import json
import random
import sys
from pathlib import Path

out = Path(sys.argv[1])
rnd = random.Random(7)
# Real places: downtowns and suburbs where the synthetic programs stand.
points = [(43.6534, -79.3841), (43.7615, -79.4111), (43.7764, -79.2318), (43.6205, -79.5132), (43.7001, -79.4163),
          (43.6896, -79.2965), (43.7315, -79.5560), (43.6426, -79.3871), (45.4215, -75.6972), (45.5019, -73.5674),
          (49.2827, -123.1207), (51.0447, -114.0719), (53.5461, -113.4938), (49.8951, -97.1384), (44.6488, -63.5752),
          (46.8139, -71.2080), (52.1332, -106.6700), (50.4452, -104.6189), (47.5615, -52.7126), (48.4284, -123.3656)]
near_hub = ("query($lat: Float!, $lon: Float!, $r: Float!) { programs(filter: {near: {latitude: $lat, longitude: $lon,"
            " radiusKm: $r}}, first: 20) { edges { node { id name ages { min max } model sites { latitude longitude } } } } }")
near_pg = ("query($lat: Float!, $lon: Float!, $r: Float!) { programsNear(latitude: $lat, longitude: $lon, radiusKm: $r,"
           " first: 20) { nodes { id name minAge maxAge model sitesByProgramId { nodes { location { x y } } } } } }")
within_hub = ("query($area: GeoJSON!) { programs(filter: {within: $area}, first: 20) { edges { node { id name ages"
              " { min max } model sites { latitude longitude } } } } }")
within_pg = ("query($area: GeoJSON!) { programsWithin(area: $area, first: 20) { nodes { id name minAge maxAge model"
             " sitesByProgramId { nodes { location { x y } } } } } }")

def square(lat, lon, half):
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half],
            [lon - half, lat - half]]
    return {"type": "Polygon", "coordinates": [ring]}

files = {name: open(out / f"{name}.jsonl", "w") for name in ("near_hub", "near_pg", "within_hub", "within_pg")}
for lat, lon in points:
    radius = rnd.choice([5, 10, 20])
    v = {"lat": lat, "lon": lon, "r": radius}
    files["near_hub"].write(json.dumps({"query": near_hub, "variables": v}) + "\n")
    files["near_pg"].write(json.dumps({"query": near_pg, "variables": v}) + "\n")
    area = square(lat, lon, rnd.choice([0.03, 0.06, 0.1]))
    files["within_hub"].write(json.dumps({"query": within_hub, "variables": {"area": area}}) + "\n")
    files["within_pg"].write(json.dumps({"query": within_pg, "variables": {"area": area}}) + "\n")
for f in files.values():
    f.close()
