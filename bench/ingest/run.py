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
PG_PORT = os.environ["PG_PORT"]


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
    passed = hub_rate >= 20000 and hub_rate >= ogr_rate and h / s >= 5
    ok &= passed
    print(f"{kind:8} hub first load {h:6.2f} s = {hub_rate:8.0f} rec/s | ogr2ogr {o:6.2f} s = {ogr_rate:8.0f} rec/s "
          f"| hub/ogr {hub_rate / ogr_rate:4.2f}x | re-sync unchanged {s:5.2f} s ({h / s:4.1f}x faster) "
          f"{'PASS' if passed else 'FAIL'}")
    print(f"{'':8} same records in other bytes, compared record by record: {rr:5.2f} s ({h / rr:4.1f}x faster "
          f"than the first load)")
print("targets: >= 20,000 rec/s, >= ogr2ogr's throughput, re-sync >= 5x faster than the first load")
print("overall:", "PASS" if ok else "FAIL")
