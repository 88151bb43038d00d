#!/usr/bin/env python3
"""Loads a search benchmark's volume into a migrated, demo-seeded Platforma database: 10 extra
buildings of the first demo company with 50,000 units in all, 100,000 people with a phone each
(one in ten with a second), 30,000 vehicles, and a relation to a unit for every person.

    python3 bench/people-load.py sqlite PATH
    python3 bench/people-load.py postgres URL

Deterministic (fixed seed). Bulk-inserts directly (sqlite3 module / psql COPY), bypassing the API:
it measures reading, not writing.
"""
import csv
import io
import random
import subprocess
import sys

SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
            "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Козлов", "Егоров",
            "Павлов", "Степанов", "Николаев", "Орехов", "Макаров", "Захаров", "Зайцев", "Борисов",
            "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров",
            "Дмитриев", "Королёв", "Гусев", "Киселёв", "Ильин", "Максимов", "Поляков", "Сорокин"]
MALE = ["Александр", "Алексей", "Андрей", "Артём", "Дмитрий", "Евгений", "Иван", "Игорь", "Кирилл",
        "Максим", "Михаил", "Николай", "Олег", "Павел", "Роман", "Сергей"]
FEMALE = ["Анна", "Алёна", "Валентина", "Галина", "Дарья", "Екатерина", "Елена", "Ирина", "Мария",
          "Наталья", "Ольга", "Светлана", "Татьяна", "Юлия"]
PATRONYMICS = [("Александрович", "Александровна"), ("Андреевич", "Андреевна"), ("Иванович", "Ивановна"),
               ("Сергеевич", "Сергеевна"), ("Петрович", "Петровна"), ("Николаевич", "Николаевна")]
LETTERS = "АВЕКМНОРСТУХ"
NOW = "2026-11-21T00:00:00+00:00"


def fold(s):
    return " ".join(s.lower().replace("ё", "е").split())


def rows(first_ids, company):
    rnd = random.Random(20261121)
    b0, e0, u0, p0, ph0, v0, pu0, a0 = first_ids
    addresses, buildings, entrances, units = [], [], [], []
    unit_ids = []
    uid, eid = u0, e0
    for b in range(10):
        aid, bid = a0 + b, b0 + b
        addresses.append((aid, "", "Москва", f"ул нагрузочная {b + 1}", str(b + 1), "",
                          f"|москва|ул нагрузочная {b + 1}|{b + 1}|", NOW))
        buildings.append((bid, company, aid, f"Нагрузочная, {b + 1}", 2020, NOW, NOW))
        for e in range(10):
            entrances.append((eid, company, bid, e + 1, f"Подъезд {e + 1}", "residential", 1, 25))
            for f in range(1, 26):
                for k in range(20):
                    n = e * 500 + (f - 1) * 20 + k + 1
                    units.append((uid, company, bid, eid, f, k + 1, str(n), "apartment",
                                  4500, f"55{uid:08d}", NOW, NOW))
                    unit_ids.append(uid)
                    uid += 1
            eid += 1
    people, phones, vehicles, links = [], [], [], []
    phid, vid, puid = ph0, v0, pu0
    used_phones = set()
    for i in range(100_000):
        pid = p0 + i
        female = rnd.random() < 0.5
        sur = rnd.choice(SURNAMES) + ("а" if female else "")
        first = rnd.choice(FEMALE if female else MALE)
        mid = rnd.choice(PATRONYMICS)[1 if female else 0]
        people.append((pid, company, "person", sur, first, mid, "", fold(f"{sur} {first} {mid}"), NOW, NOW))
        for pos in range(2 if rnd.random() < 0.1 else 1):
            while True:
                p = f"+79{rnd.randrange(10**9):09d}"
                if p not in used_phones:
                    used_phones.add(p)
                    break
            phones.append((phid, company, pid, p, "", pos))
            phid += 1
        if rnd.random() < 0.3:
            plate = (rnd.choice(LETTERS) + f"{rnd.randrange(1, 1000):03d}" + rnd.choice(LETTERS)
                     + rnd.choice(LETTERS) + rnd.choice(["77", "97", "99", "177", "777", "50"]))
            vehicles.append((vid, company, pid, plate, "", "", NOW))
            vid += 1
        links.append((puid, company, pid, unit_ids[i % len(unit_ids)], "owner" if i < 50_000 else "tenant", NOW))
        puid += 1
    return {
        "addresses (id, region, city, street, house, block, normalized, created_at)": addresses,
        "buildings (id, company_id, address_id, name, year_built, created_at, updated_at)": buildings,
        "entrances (id, company_id, building_id, position, name, kind, floor_from, floor_to)": entrances,
        "units (id, company_id, building_id, entrance_id, floor, position, number, kind, area_dm2, account, created_at, updated_at)": units,
        "people (id, company_id, kind, last_name, first_name, middle_name, organization, search_name, created_at, updated_at)": people,
        "person_phones (id, company_id, person_id, phone, label, position)": phones,
        "vehicles (id, company_id, person_id, plate, model, color, created_at)": vehicles,
        "person_units (id, company_id, person_id, unit_id, relation, created_at)": links,
    }


TABLES = ["buildings", "entrances", "units", "people", "person_phones", "vehicles", "person_units", "addresses"]
COMPANY = "SELECT id FROM companies WHERE short_name = 'УК «Северный квартал»'"


def main():
    kind, target = sys.argv[1], sys.argv[2]
    if kind == "sqlite":
        import sqlite3
        db = sqlite3.connect(target)
        company = db.execute(COMPANY).fetchone()[0]
        firsts = [db.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {t}").fetchone()[0] for t in TABLES]
        data = rows(firsts, company)
        for spec, rs in data.items():
            n = spec.count(",") + 1
            db.executemany(f"INSERT INTO {spec} VALUES ({', '.join('?' * n)})", rs)
        db.commit()
        db.execute("ANALYZE")
        db.close()
    else:
        def psql(sql, stdin=None):
            return subprocess.run(["psql", target, "-qAtc", sql], input=stdin, text=True,
                                  capture_output=True, check=True).stdout.strip()
        company = int(psql(COMPANY))
        firsts = [int(psql(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {t}")) for t in TABLES]
        data = rows(firsts, company)
        for spec, rs in data.items():
            buf = io.StringIO()
            # Quoted: an unquoted empty field would be NULL to COPY.
            csv.writer(buf, quoting=csv.QUOTE_ALL).writerows(rs)
            psql(f"COPY {spec} FROM STDIN WITH (FORMAT csv)", buf.getvalue())
        for t in TABLES:
            psql(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}))")
        psql("ANALYZE")
    print(f"loaded {sum(len(r) for r in data.values())} rows")


if __name__ == "__main__":
    main()
