#!/usr/bin/env python3
"""Checks that the hub and PostGraphile answer every benchmark request with the same programs: the same ids in
the same order (nearest first for near; name then id for within), and the same ages, model and sites."""
import json
import sys
import urllib.request

hub_url, pg_url, work = sys.argv[1], sys.argv[2], sys.argv[3]

def post(url, body):
    req = urllib.request.Request(url, data=body.encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        answer = json.loads(r.read())
    if answer.get("errors"):
        raise SystemExit(f"{url} answered with errors: {answer['errors']}")
    return answer["data"]

total = 0
for scenario in ("near", "within"):
    hub_lines = open(f"{work}/{scenario}_hub.jsonl").read().splitlines()
    pg_lines = open(f"{work}/{scenario}_pg.jsonl").read().splitlines()
    for n, (h, p) in enumerate(zip(hub_lines, pg_lines)):
        hub = [(e["node"]["id"], e["node"]["ages"]["min"], e["node"]["ages"]["max"], e["node"]["model"],
                sorted((round(s["latitude"], 6), round(s["longitude"], 6)) for s in e["node"]["sites"]))
               for e in post(hub_url, h)["programs"]["edges"]]
        key = "programsNear" if scenario == "near" else "programsWithin"
        pg = [(x["id"], x["minAge"], x["maxAge"], x["model"],
               sorted((round(s["location"]["y"], 6), round(s["location"]["x"], 6))
                      for s in x["sitesByProgramId"]["nodes"]))
              for x in post(pg_url, p)[key]["nodes"]]
        if hub != pg:
            raise SystemExit(f"{scenario} request {n}: results differ\n hub: {hub[:3]}...\n  pg: {pg[:3]}...")
        if not hub:
            raise SystemExit(f"{scenario} request {n}: no programs found; the benchmark would measure nothing")
        total += len(hub)
print(f"results identical: {total} programs over {len(hub_lines) * 2} requests")
