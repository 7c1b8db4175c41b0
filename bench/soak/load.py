#!/usr/bin/env python3
"""Fixed-rate mixed traffic against one hub (open loop: each request is sent at its scheduled time, whatever the
answers before it did), from several client threads: near, within, coverage, map areas, and a partner's publish
every few seconds. Writes one JSON line per request to a log and a summary (counts, 5xx, p50/p99 per kind).

usage: PLANNER_TOKEN=… PARTNER_TOKEN=… load.py HUB_URL SECONDS RATE THREADS OUT_DIR
(tokens in the environment, not on a command line other users can list)
With RATE 0 the load is closed-loop instead: each of THREADS clients sends its next request as soon as the last
one is answered, so the figure is the throughput the hub sustains (bench/scale.sh); publishes stay every few seconds.
"""
import json, os, random, sys, threading, time, urllib.request, urllib.error
from concurrent.futures import ThreadPoolExecutor

url, seconds, rate, threads, out = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
planner, partner = os.environ["PLANNER_TOKEN"], os.environ["PARTNER_TOKEN"]
rnd = random.Random(20261202)

# Toronto-ish points for near/within; the demo's programs stand there.
def near():
    lat, lon = 43.65 + rnd.uniform(-0.15, 0.15), -79.38 + rnd.uniform(-0.25, 0.25)
    return None, {"query": "query($lat: Float!, $lon: Float!) { programs(filter: {near: {latitude: $lat, longitude: $lon, radiusKm: 5}}, first: 20) { edges { distanceKm node { id name sites { postalCode } } } } }",
                  "variables": {"lat": lat, "lon": lon}}

def within():
    lat, lon, d = 43.65 + rnd.uniform(-0.1, 0.1), -79.38 + rnd.uniform(-0.2, 0.2), rnd.uniform(0.01, 0.05)
    ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]
    return None, {"query": "query($p: GeoJSON!) { programs(filter: {within: $p}, first: 20) { edges { node { id name } } } }",
                  "variables": {"p": {"type": "Polygon", "coordinates": [ring]}}}

def coverage():
    lo = rnd.choice([6, 9, 12])
    return planner, {"query": "query($lo: Int!) { coverage(dataset: \"toronto-neighbourhoods\", filter: {ages: {min: $lo, max: 18}}) { totals { youth covered ratio } gaps(first: 5) { rank unmetYouth } } }",
                     "variables": {"lo": lo}}

def map_areas():
    return None, {"query": "{ censusAreas(dataset: \"census-divisions\", simplifyMeters: 2000) { code name youth { total } } }"}

publishes = [0]
def publish():
    publishes[0] += 1
    n = publishes[0]
    programs = [{"sourceId": f"soak-{i}", "name": f"Soak program {i} v{n}", "minAge": 8, "maxAge": 16, "radiusKm": 3,
                 "sites": [{"latitude": 43.6 + i * 0.01, "longitude": -79.4 + (n % 5) * 0.01}]} for i in range(5)]
    return partner, {"query": "mutation($p: [ProgramInput!]!) { publishPrograms(partnership: \"demo-toronto\", programs: $p) { __typename ... on SyncReport { run { status counts { inserted updated } } } } }",
                     "variables": {"p": programs}}

KINDS = [(near, 0.40), (within, 0.20), (coverage, 0.20), (map_areas, 0.20)]
PUBLISH_EVERY = 5.0

results, lock = [], threading.Lock()

def send(kind, maker, scheduled):
    token, body = maker()
    data = json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", "Bearer " + token)
    start = time.time()
    status, errors = 0, None
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status = r.status
            payload = json.loads(r.read())
            errors = payload.get("errors")
    except urllib.error.HTTPError as e:
        status = e.code
    except Exception as e:  # a refused or dropped connection counts as a server failure
        status, errors = 599, str(e)
    done = time.time()
    with lock:
        results.append({"kind": kind, "status": status, "ms": (done - start) * 1000,
                        "late_ms": (start - scheduled) * 1000, "errors": errors is not None})

def pick_kind():
    r = rnd.random()
    acc = 0
    for maker, share in KINDS:
        acc += share
        if r <= acc:
            return maker
    return KINDS[-1][0]

def closed_loop():
    end = time.time() + seconds
    def client():
        while time.time() < end:
            maker = pick_kind()
            send(maker.__name__, maker, time.time())
    def publisher():
        while time.time() < end:
            send("publish", publish, time.time())
            time.sleep(PUBLISH_EVERY)
    workers = [threading.Thread(target=client) for _ in range(threads)] + [threading.Thread(target=publisher)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()

def open_loop():
    t0 = time.time() + 0.5
    pool = ThreadPoolExecutor(max_workers=threads)
    total = int(seconds * rate)
    next_publish = t0
    for i in range(total):
        at = t0 + i / rate
        while next_publish <= at:
            pool.submit(send, "publish", publish, next_publish)
            next_publish += PUBLISH_EVERY
        maker = pick_kind()
        delay = at - time.time()
        if delay > 0:
            time.sleep(delay)
        pool.submit(send, maker.__name__, maker, at)
    pool.shutdown(wait=True)

def main():
    started = time.time()
    if rate > 0:
        open_loop()
    else:
        closed_loop()
    took = time.time() - started
    summary = {"seconds": seconds, "rate": rate, "threads": threads, "requests": len(results),
               "wall_seconds": round(took, 2), "throughput_rps": round(len(results) / took, 1)}
    for kind in sorted({r["kind"] for r in results}) + ["all"]:
        rows = [r for r in results if kind == "all" or r["kind"] == kind]
        ms = sorted(r["ms"] for r in rows)
        pick = lambda q: round(ms[min(len(ms) - 1, int(q * len(ms)))], 1) if ms else None
        summary[kind] = {"n": len(rows), "5xx": sum(1 for r in rows if r["status"] >= 500),
                         "non200": sum(1 for r in rows if r["status"] != 200),
                         "graphql_errors": sum(1 for r in rows if r["errors"]), "p50_ms": pick(0.50),
                         "p99_ms": pick(0.99)}
    with open(out + "/requests.jsonl", "w") as f:
        for r in results:
            f.write(json.dumps(r) + "\n")
    with open(out + "/load.json", "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary["all"]))

main()
