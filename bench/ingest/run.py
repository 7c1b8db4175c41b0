#!/usr/bin/env python3
"""Drives the ingest benchmark (see ../ingest.sh): alternating rounds of the hub's connector and ogr2ogr on the
same feed and database, then re-syncs of the unchanged feed; prints records/s and the ratios."""
import json
import os
import statistics
import subprocess
import time
import urllib.request
import uuid

HUB, PG, TOKEN = os.environ["HUB"], os.environ["PG"], os.environ["TOKEN"]
FEEDS, ROUNDS, RECORDS = os.environ["FEEDS"], int(os.environ["ROUNDS"]), int(os.environ["RECORDS"])
PG_PORT, FLOOR_DIR = os.environ["PG_PORT"], os.environ["FLOOR_DIR"]


def graphql(query, variables):
    req = urllib.request.Request(HUB, json.dumps({"query": query, "variables": variables}).encode(),
                                 {"Content-Type": "application/json", "Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(req, timeout=900) as r:
        body = json.load(r)
    if body.get("errors"):
        raise SystemExit(f"GraphQL errors: {body['errors']}")
    return body["data"]


def psql(sql):
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-p", PG_PORT, "-U", "hub", "-d", "hub", "-c", sql],
                   check=True, stdout=subprocess.DEVNULL)


MAPPING = {"fields": {"radiusKm": "radius_km", "maxMatches": "max_matches"}}


def hub_connector(kind, path):
    slug = "bench-" + uuid.uuid4().hex[:10]
    psql(f"INSERT INTO partnership (id, slug, name) VALUES ('{uuid.uuid4()}', '{slug}', 'Ingest benchmark (synthetic)')")
    data = graphql("""mutation($p: ID!, $c: ConnectorInput!) { registerConnector(partnership: $p, connector: $c) {
        __typename ... on ConnectorSaved { connector { id } } ... on InvalidConnector { field message } } }""",
                   {"p": slug, "c": {"name": kind, "kind": kind, "location": path, "mapping": MAPPING}})
    result = data["registerConnector"]
    if result["__typename"] != "ConnectorSaved":
        raise SystemExit(f"register failed: {result}")
    return result["connector"]["id"]


def hub_run(connector, same_document=False):
    start = time.perf_counter()
    data = graphql("""mutation($id: ID!) { runConnector(id: $id, wait: true, waitSeconds: 600) { __typename
        ... on SyncReport { run { status failure sameDocumentAs counts { read inserted updated unchanged rejected } }
        } } }""", {"id": connector})
    elapsed = time.perf_counter() - start
    run = data["runConnector"]["run"]
    if run["status"] != "SUCCEEDED":
        raise SystemExit(f"run failed: {run}")
    if same_document:
        return elapsed, run["counts"], run["sameDocumentAs"] is not None
    return elapsed, run["counts"]


def ogr(kind, path, table):
    args = ["ogr2ogr", "-f", "PostgreSQL", PG, path, "-nln", table, "-overwrite", "-lco", "GEOMETRY_NAME=location",
            "-lco", "SPATIAL_INDEX=GIST", "--config", "PG_USE_COPY", "YES", "-gt", "65536"]
    if kind == "CSV":
        args += ["-oo", "X_POSSIBLE_NAMES=longitude", "-oo", "Y_POSSIBLE_NAMES=latitude", "-oo", "AUTODETECT_TYPE=YES",
                 "-a_srs", "EPSG:4326"]
    start = time.perf_counter()
    subprocess.run(args, check=True)
    return time.perf_counter() - start


print(f"{RECORDS} records; {ROUNDS} alternating rounds per format (hub connector over GraphQL, then ogr2ogr)")
ok = True
ogr_median = {}
for kind, file in (("GEOJSON", "feed.geojson"), ("CSV", "feed.csv")):
    path = os.path.join(FEEDS, file)
    hub_first, ogr_times, resync, reread = [], [], [], []
    with open(path, "rb") as f:
        original = f.read()
    # The same records in other bytes (CRLF line ends; for GeoJSON, spaces after the collection): the document is
    # not the one applied, so the hub reads and compares every record.
    other = original.replace(b"\n", b"\r\n") if kind == "CSV" else original + b"  \n"
    for r in range(ROUNDS):
        connector = hub_connector(kind, path)
        t, counts = hub_run(connector)
        assert counts["inserted"] == RECORDS and counts["rejected"] == 0, counts
        hub_first.append(t)
        ogr_times.append(ogr(kind, path, f"ogr_{kind.lower()}"))
        t2, counts2, same = hub_run(connector, True)
        assert counts2["unchanged"] == RECORDS and counts2["inserted"] == 0 and counts2["updated"] == 0, counts2
        assert same, "the unchanged document was read again"
        resync.append(t2)
        with open(path, "wb") as f:
            f.write(other)
        t3, counts3, same3 = hub_run(connector, True)
        with open(path, "wb") as f:
            f.write(original)
        assert counts3["unchanged"] == RECORDS and counts3["inserted"] == 0 and counts3["updated"] == 0, counts3
        assert not same3, "other bytes were taken for the applied document"
        reread.append(t3)
    h, o, s, rr = (statistics.median(x) for x in (hub_first, ogr_times, resync, reread))
    hub_rate, ogr_rate = RECORDS / h, RECORDS / o
    ogr_median[kind] = o
    passed = hub_rate >= 20000 and hub_rate >= ogr_rate and h / s >= 5
    ok &= passed
    print(f"{kind:8} hub first load {h:6.2f} s = {hub_rate:8.0f} rec/s | ogr2ogr {o:6.2f} s = {ogr_rate:8.0f} rec/s "
          f"| hub/ogr {hub_rate / ogr_rate:4.2f}x | re-sync unchanged {s:5.2f} s ({h / s:4.1f}x faster) "
          f"{'PASS' if passed else 'FAIL'}")
    print(f"{'':8} same records in other bytes, compared record by record: {rr:5.2f} s ({h / rr:4.1f}x faster "
          f"than the first load)")

# The database's share alone, without the hub: the last load's stored rows (the CSV feed's) written again by COPY.
def psql_script(script):
    return subprocess.run(["psql", "-qAt", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", PG_PORT, "-U", "hub",
                           "-d", "hub", "-v", f"dir={FLOOR_DIR}", "-f", "-"], input=script, check=True,
                          capture_output=True, text=True).stdout.splitlines()


def best_of_three(statements):
    """Seconds, the best of three: each time the statements in a transaction of their own, rolled back."""
    script = "BEGIN;\nSELECT clock_timestamp() AS t0 \\gset\n" + "".join(f"{s};\n" for s in statements) + \
        "SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz);\nROLLBACK;\n"
    return min(float(psql_script(script)[-1]) for _ in range(3))


with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "floor.sql")) as f:
    setup = psql_script(f.read())
rows = setup[0].split()[1]
indexes = {t: [i for i in setup[1:] if f" ON floor_{t} " in i] for t in ("program", "site")}
copy_p, copy_s = (f"COPY {{}} FROM '{FLOOR_DIR}/{f}' (FORMAT binary)" for f in ("p.bin", "s.bin"))
live_p = best_of_three([copy_p.format("program")])
live_ps = best_of_three([copy_p.format("program"), copy_s.format("site")])
fresh = "CREATE TABLE floor_{0} (LIKE {0} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
staged_p = best_of_three([fresh.format("program"), copy_p.format("floor_program")] + indexes["program"])
staged_s = best_of_three([fresh.format("site"), copy_s.format("floor_site")] + indexes["site"])
staged_s_geom = best_of_three([fresh.format("site"), copy_s.format("floor_site")]
                              + [i for i in indexes["site"] if "geography" not in i])
psql("DELETE FROM partnership WHERE slug = 'ingest-floor'")
print(f"database floor, no hub: the last CSV load's {rows} programs and sites written again by COPY (best of 3, "
      f"rolled back):")
print(f"{'':8} into the hub's tables: programs {live_p:.2f} s + sites {live_ps - live_p:.2f} s = {live_ps:.2f} s")
print(f"{'':8} into fresh tables, indexes built after (a partition per partnership): programs {staged_p:.2f} s, "
      f"sites {staged_s:.2f} s ({staged_s_geom:.2f} s without the geography index); on two connections at best "
      f"{max(staged_p, staged_s):.2f} s")
print(f"{'':8} ogr2ogr's whole CSV load: {ogr_median['CSV']:.2f} s")
print("targets: >= 20,000 rec/s, >= ogr2ogr's throughput, re-sync >= 5x faster than the first load")
print("overall:", "PASS" if ok else "FAIL")
