"""The bundled example's data written as a Russian CRM export would be: Windows-1251 and `;`,
Russian headers, `dd.mm.yyyy HH:MM:SS` local times, `1 234,50` money with no-break spaces,
`H:MM:SS` durations, stage and activity-type names, people by full name and by CRM user id,
Да/Нет flags; with the mapping that reads it back. Written by the tests' own code (no kpilang
code), so that a round trip compares kpilang's reading with an independent writing."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

MOSCOW = dt.timezone(dt.timedelta(hours=3))

STAGES = {"won": "Сделка успешна", "lost": "Сделка провалена", "open": "В работе"}
TYPES = {"call": "Звонок", "meeting": "Встреча", "email": "Письмо", "task": "Задача", "chat": "Чат"}
STATUSES = {"done": "Завершено", "planned": "Запланировано", "missed": "Пропущено", "cancelled": "Отменено"}

MAPPING = '''
format = 1
name = "test-crm"
title = "A Russian CRM export (test)"
timezone = "Europe/Moscow"

[tables.managers]
files = ["Сотрудники.csv"]
encoding = "utf-8-sig"
delimiter = ";"
[tables.managers.columns]
id = "Табельный номер"
name = "ФИО"
role = "Роль"
team = "Команда"
salary = { column = "Оклад", number = "ru" }
hired_at = { column = "Дата приёма", date = "%d.%m.%Y" }
crm_id = "ID в CRM"

[tables.deals]
files = ["Сделки.csv"]
encoding = "windows-1251"
delimiter = ";"
[tables.deals.columns]
id = "ID"
manager_id = { column = "Ответственный", person = "name" }
client_id = { column = "Компания: ID", optional = true }
created_at = { column = "Дата создания", date = "%d.%m.%Y %H:%M:%S" }
closed_at = { column = "Дата закрытия", date = "%d.%m.%Y %H:%M:%S" }
stage = { column = "Стадия сделки", map = "stage" }
amount = { column = "Сумма", number = "ru" }
is_new_client = { column = "Повторная сделка", boolean = ["Нет", "Да"] }

[tables.activities]
files = ["Дела.csv"]
encoding = "windows-1251"
delimiter = ";"
exclude = { "Тип" = ["Комментарий"] }
[tables.activities.columns]
id = { column = "ID", prefix = "a" }
manager_id = { column = "ID ответственного", person = "crm_id" }
type = { column = "Тип", map = "type" }
started_at = { column = "Начало", date = "%d.%m.%Y %H:%M:%S" }
duration = { column = "Длительность", duration = "hms" }
status = { column = "Статус", map = "status" }

[tables.leads]
files = ["leads.jsonl"]
[tables.leads.columns]
id = "ID"
manager_id = { column = "ASSIGNED_BY_ID", person = "crm_id" }
created_at = { column = "DATE_CREATE", date = "unix" }
first_response_at = { column = "TIMES.FIRST_RESPONSE", date = "iso", optional = true }
source = "SOURCE_ID"
status = "STATUS_ID"

[maps.stage]
"Сделка успешна" = "won"
"Сделка провалена" = "lost"
"В работе" = "open"

[maps.type]
"Звонок" = "call"
"Встреча" = "meeting"
"Письмо" = "email"
"Задача" = "task"
"Чат" = "chat"

[maps.status]
"Завершено" = "done"
"Запланировано" = "planned"
"Пропущено" = "missed"
"Отменено" = "cancelled"
'''


def read_native(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def local(text: str) -> str:
    """An ISO time as a Moscow wall clock, dd.mm.yyyy HH:MM:SS."""
    moment = dt.datetime.fromisoformat(text).astimezone(MOSCOW)
    return moment.strftime("%d.%m.%Y %H:%M:%S")


def ru_money(text: str) -> str:
    whole, _, cents = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return "\u00a0".join(groups) + ("," + cents if cents else "")


def clock(seconds: str) -> str:
    total = int(seconds)
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str) -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_crm_export(native: Path, out: Path) -> None:
    """Write `native`'s tables (kpilang's own files) as the CRM export MAPPING reads."""
    import json

    out.mkdir(parents=True, exist_ok=True)
    people = read_native(native, "managers")
    crm_id = {p["id"]: str(100 + i) for i, p in enumerate(people)}
    name = {p["id"]: p["name"] for p in people}
    write_csv(out / "Сотрудники.csv", ["Табельный номер", "ФИО", "Роль", "Команда", "Оклад", "Дата приёма", "ID в CRM"],
              [[p["id"], p["name"], p["role"], p["team"], ru_money(p["salary"]),
                dt.date.fromisoformat(p["hired_at"]).strftime("%d.%m.%Y") if p.get("hired_at") else "",
                crm_id[p["id"]]] for p in people], "utf-8-sig")
    deals = read_native(native, "deals")
    write_csv(out / "Сделки.csv", ["ID", "Ответственный", "Компания: ID", "Дата создания", "Дата закрытия",
                                    "Стадия сделки", "Сумма", "Повторная сделка"],
              [[d["id"], name[d["manager_id"]], d["client_id"], local(d["created_at"]),
                local(d["closed_at"]) if d["closed_at"] else "", STAGES[d["stage"]],
                ru_money(d["amount"]) if d["amount"] else "",
                {"true": "Нет", "false": "Да", "": ""}[d["is_new_client"]]] for d in deals], "cp1251")
    activities = read_native(native, "activities")
    rows = [[a["id"].removeprefix("a"), crm_id[a["manager_id"]], TYPES[a["type"]], local(a["started_at"]),
             clock(a["duration"]) if a["duration"] else "", STATUSES[a["status"]]] for a in activities]
    # A record the mapping leaves out on purpose: counted, never read as an activity.
    rows.append(["99999", crm_id[people[0]["id"]], "Комментарий", "01.07.2026 10:00:00", "", "Завершено"])
    write_csv(out / "Дела.csv", ["ID", "ID ответственного", "Тип", "Начало", "Длительность", "Статус"], rows, "cp1251")
    with (out / "leads.jsonl").open("w", encoding="utf-8") as handle:
        for lead in read_native(native, "leads"):
            record = {"ID": lead["id"], "ASSIGNED_BY_ID": crm_id[lead["manager_id"]],
                      "DATE_CREATE": int(dt.datetime.fromisoformat(lead["created_at"]).timestamp()),
                      "SOURCE_ID": lead["source"], "STATUS_ID": lead["status"]}
            if lead["first_response_at"]:
                record["TIMES"] = {"FIRST_RESPONSE": lead["first_response_at"]}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    (out / "targets.csv").write_bytes((native / "targets.csv").read_bytes())
    (out / "mapping.toml").write_text(MAPPING, encoding="utf-8")
