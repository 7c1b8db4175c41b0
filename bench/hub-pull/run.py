#!/usr/bin/env python3
"""Drives bench/hub-pull.sh: hub B registers a GRAPHQL connector to hub A, pulls in full, A changes 1% of its
programs (a tenth of them retired), B pulls incrementally; records/s of both, and B's programs compared with A's
(count and checksum). Writes summary.json into RESULTS."""
import json
import os
import subprocess
import sys
import time
import urllib.request

HUB_A, HUB_B, TOKEN = os.environ["HUB_A"], os.environ["HUB_B"], os.environ["TOKEN"]
PG_PORT, PROGRAMS, RESULTS = os.environ["PG_PORT"], int(os.environ["PROGRAMS"]), os.environ["RESULTS"]
SECRET = os.environ["CLIENT_SECRET"]


def graphql(query, variables):
    req = urllib.request.Request(HUB_B, json.dumps({"query": query, "variables": variables}).encode(),
                                 {"Content-Type": "application/json", "Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(req, timeout=1800) as r:
        body = json.load(r)
    if body.get("errors"):
        raise SystemExit(f"GraphQL errors: {body['errors']}")
    return body["data"]


def psql(database, sql):
    return subprocess.run(["psql", "-q", "-t", "-A", "-h", "127.0.0.1", "-p", PG_PORT, "-U", "hub", "-d", database,
                           "-c", sql], check=True, capture_output=True, text=True).stdout.strip()


def state(database, key, where):
    """The count and an md5 over every program's fields and sites, keyed as B keys them."""
    return psql(database, f"""
        SELECT count(*) || ' ' || md5(coalesce(string_agg(line, E'\\n' ORDER BY line), '')) FROM (
          SELECT {key} || '|' || concat_ws('|', p.status, p.name, p.description, p.min_age, p.max_age, p.model,
                 p.setting, array_to_string(p.languages, ','), p.delivery_mode, p.service_area_kind,
                 p.service_radius_km, p.active_matches, p.max_matches, p.waitlist, p.fee_free, p.fee_description,
                 (SELECT string_agg(concat_ws(',', s.name, ST_AsText(s.location), s.precision), ';'
                         ORDER BY s.name, ST_AsText(s.location)) FROM site s WHERE s.program_id = p.id)) AS line
          FROM program p JOIN partnership r ON r.id = p.partnership_id WHERE {where}) lines""")


def run(connector, full):
    start = time.perf_counter()
    data = graphql("""mutation($id: ID!, $full: Boolean) { runConnector(id: $id, full: $full, wait: true,
        waitSeconds: 600) { __typename ... on SyncReport { run { status mode failure
        counts { read inserted updated unchanged retired rejected } } } } }""", {"id": connector, "full": full})
    elapsed = time.perf_counter() - start
    report = data["runConnector"]
    if report["__typename"] != "SyncReport" or report["run"]["status"] != "SUCCEEDED":
        raise SystemExit(f"run failed: {report}")
    r = report["run"]
    rate = r["counts"]["read"] / elapsed if elapsed > 0 else 0
    print(f"{r['mode'].lower()} pull: {r['counts']['read']} records in {elapsed:.2f} s = {rate:,.0f} records/s "
          f"({r['counts']})")
    return {"mode": r["mode"], "seconds": round(elapsed, 3), "records": r["counts"]["read"],
            "records_per_second": round(rate, 1), "counts": r["counts"]}


data = graphql("""mutation($p: ID!, $c: ConnectorInput!) { registerConnector(partnership: $p, connector: $c) {
    __typename ... on ConnectorSaved { connector { id } } ... on InvalidConnector { field message } } }""",
               {"p": "national-copy", "c": {"name": "Hub A", "kind": "GRAPHQL", "location": HUB_A, "mapping": {},
                                            "credentials": {"clientId": "national-hub", "clientSecret": SECRET}}})
if data["registerConnector"]["__typename"] != "ConnectorSaved":
    raise SystemExit(f"register failed: {data['registerConnector']}")
connector = data["registerConnector"]["connector"]["id"]

full = run(connector, True)

# A changes 1%: new descriptions and capacities, stamped as A's writers stamp a change (last_changed_at, version);
# every tenth of them (and the last, so that a small run retires one too) is retired instead.
changed = max(1, PROGRAMS // 100)
retire = f"(picked.n % 10 = 0 OR picked.n = {changed})"
psql("hub_a", f"""
    WITH picked AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM program ORDER BY id LIMIT {changed})
    UPDATE program p SET last_changed_at = now(), version = p.version + 1,
      status = CASE WHEN {retire} THEN 'RETIRED' ELSE p.status END,
      description = CASE WHEN {retire} THEN p.description ELSE 'changed upstream' END,
      waitlist = CASE WHEN {retire} THEN p.waitlist ELSE coalesce(p.waitlist, 0) + 1 END
    FROM picked WHERE picked.id = p.id""")
incremental = run(connector, False)

a = state("hub_a", "r.slug || ':' || p.source_id", "TRUE")
b = state("hub", "p.source_id", "r.slug = 'national-copy'")
equal = a == b
print(f"A: {a}; B: {b}")
print(f"equality: B's programs (count, checksum over fields and sites) equal A's after a full and an incremental "
      f"pull: {'EQUAL' if equal else 'DIFFERENT'}")
with open(os.path.join(RESULTS, "summary.json"), "w") as fh:
    json.dump({"programs": PROGRAMS, "changed": changed, "full": full, "incremental": incremental,
               "a": a, "b": b, "equal": equal}, fh, indent=2)
sys.exit(0 if equal else 1)
