#!/usr/bin/env python3
"""Writes the import sample (docs/import-sample.csv and .xlsx) and, with --bench N, a large
XLSX of N rows for the import throughput benchmark.

The sample is an accounting export for the demo building "Садовая, 3" (2 entrances x 5 floors x
3 flats): owners with shares, a tenant, an organisation, arrears and a prepayment, a storage
room that is not in the grid yet (created by the import) and one row with a wrong phone number
(rejected, to show the report). Needs openpyxl (pip install openpyxl).
"""
import csv
import random
import sys
from pathlib import Path

import openpyxl

HEADERS = ["Лицевой счёт", "Подъезд", "Этаж", "№ кв.", "Тип помещения", "Площадь, м²",
           "ФИО собственника", "Статус", "Доля в праве", "Телефон", "E-mail", "Задолженность, руб."]

SAMPLE = [
    ["5012000101", 1, 1, "1", "квартира", 45.3, "Кузнецов Андрей Петрович", "собственник", "1", "+7 (916) 201-11-01", "kuznetsov.ap@mail.ru", 0],
    ["5012000102", 1, 1, "2", "квартира", 62.1, "Морозова Елена Сергеевна", "собственник", "1/2", "8 903 222-33-44", "", 3450.75],
    ["5012000102", 1, 1, "2", "квартира", 62.1, "Морозов Игорь Викторович", "собственник", "1/2", "8 903 222-33-45", "", 3450.75],
    ["5012000103", 1, 1, "3", "квартира", 38.0, "Белова Анна Дмитриевна", "арендатор", "", "+79154443322", "belova@yandex.ru", 0],
    ["5012000104", 1, 2, "4", "квартира", 45.3, "Соколов Павел Андреевич", "собственник", "1", 89261234501, "", 12800],
    ["5012000105", 1, 2, "5", "квартира", 62.1, "ООО «Домострой»", "собственник", "1", "+7 495 123-45-67", "office@domostroy.ru", 0],
    ["5012000106", 1, 2, "6", "квартира", 38.0, "Лебедева Мария Ивановна", "собственник", "1", "+7 916 555 66 77", "", -1200],
    ["5012000107", 1, 3, "7", "квартира", 45.3, "Егоров Дмитрий Олегович", "собственник", "2/3", "8 (925) 700-10-20", "egorov.do@gmail.com", 56230.4],
    ["5012000107", 1, 3, "7", "квартира", 45.3, "Егорова Ольга Николаевна", "собственник", "1/3", "", "", 56230.4],
    ["5012000108", 1, 3, "8", "квартира", 62.1, "Васильев Сергей Михайлович", "собственник", "1", "8 999 123 45", "", 0],
    ["5012000109", 1, 3, "9", "квартира", 38.0, "Никитина Татьяна Алексеевна", "зарегистрирован", "", "+7 903 765-43-21", "", 0],
    ["5012000110", 1, 4, "10", "квартира", 45.3, "Фёдоров Алексей Игоревич", "собственник", "1", "+7 926 111 22 33", "", 4100],
    ["5012000111", 1, 4, "11", "квартира", 62.1, "Григорьева Наталья Павловна", "собственник", "1", "+7 915 987 65 43", "grigorieva.np@mail.ru", 0],
    ["5012000112", 1, 4, "12", "квартира", 38.0, "Степанов Кирилл Романович", "арендатор", "", "+7 977 300 40 50", "", 0],
    ["5012000113", 1, 5, "13", "квартира", 45.3, "Павлова Ирина Владимировна", "собственник", "1", "+7 916 410 20 30", "", 21000],
    ["5012000116", 2, 1, "16", "квартира", 45.3, "Орехов Виктор Степанович", "собственник", "1", "+7 903 101 01 01", "", 0],
    ["5012000117", 2, 1, "17", "квартира", 62.1, "Тарасова Юлия Андреевна", "собственник", "1", "+7 905 202 02 02", "tarasova.ya@yandex.ru", 8900],
    ["5012000130", 2, 5, "30", "квартира", 62.1, "Зайцев Роман Евгеньевич", "собственник", "1", "+7 916 303 03 03", "", 0],
    ["5012000201", 1, 1, "К1", "кладовая", 4.5, "Кузнецов Андрей Петрович", "собственник", "1", "+7 (916) 201-11-01", "", 0],
]


def money_text(v):
    return f"{v:,.2f}".replace(",", " ").replace(".", ",")


def write_sample(docs: Path):
    with open(docs / "import-sample.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(HEADERS)
        for r in SAMPLE:
            r = list(r)
            r[5] = str(r[5]).replace(".", ",")
            r[11] = money_text(r[11])
            w.writerow(r)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Выгрузка"
    ws.append(HEADERS)
    for r in SAMPLE:
        ws.append(r)
    wb.save(docs / "import-sample.xlsx")


SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
            "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров"]
FIRST = ["Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Максим", "Евгений", "Иван"]
MIDDLE = ["Александрович", "Сергеевич", "Дмитриевич", "Андреевич", "Петрович", "Иванович"]


def write_bench(path: Path, rows: int, entrances: int, floors: int, per_floor: int):
    """Rows for a building of entrances x floors x per_floor flats: each flat gets owners (one
    or two with shares) and sometimes a tenant, until `rows` rows are written."""
    rnd = random.Random(7)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Выгрузка")
    ws.append(HEADERS)
    n = 0
    flat = 0
    while n < rows:
        e = flat // (floors * per_floor) % entrances + 1
        floor = flat // per_floor % floors + 1
        number = str(flat + 1)
        account = str(6000000000 + flat)
        people = [("собственник", "1/2"), ("собственник", "1/2"), ("арендатор", ""), ("зарегистрирован", ""), ("зарегистрирован", "")]
        arrears = rnd.choice([0, 0, 0, 1234.5, 15000])
        for status, share in people:
            if n >= rows:
                break
            name = f"{rnd.choice(SURNAMES)} {rnd.choice(FIRST)} {rnd.choice(MIDDLE)}"
            phone = f"+7 9{rnd.randrange(10, 99)} {rnd.randrange(100, 999)}-{rnd.randrange(10, 99)}-{rnd.randrange(10, 99)}"
            ws.append([account, e, floor, number, "квартира", 45.3, name, status, share, phone, "", arrears])
            n += 1
        flat += 1
    wb.save(path)


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    if len(sys.argv) >= 3 and sys.argv[1] == "--bench":
        write_bench(Path(sys.argv[3]) if len(sys.argv) > 3 else Path("/tmp/import-bench.xlsx"),
                    int(sys.argv[2]), entrances=10, floors=25, per_floor=40)
    else:
        write_sample(root / "docs")
