"""The demo quarter as three CRMs give it: a Bitrix24 REST snapshot, Bitrix24's list exports, and
an amoCRM API v4 snapshot. Used by generate_demo.py (`--crm DIR`); standard library only.

Every shape is written from kpilang's own tables of the same seed, generated with the dirty rows
that the shape can hold (SHAPE_DIRTY), each written in the shape's own form. A shape cannot hold
a dirty row when the CRM's own field cannot carry the mistake: a typed API field has no room for
a date typed by hand, an amount field of a REST API never holds `152 400,00`.

Ids are the CRM's, not kpilang's: CRM user ids differ from `managers.id` (the people files carry
both, `ID в CRM`), records are numbered in the CRM's own sequences, clients are companies.

What each CRM can and cannot express, and which of kpilang's columns come from portal-made
custom fields, is documented in docs/crm/bitrix24.md and docs/crm/amocrm.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

# Which of generate_demo.DIRTY_KINDS each shape holds. The round-trip test compares a shape
# with kpilang's own tables generated with exactly these dirty rows.
SHAPE_DIRTY = {
    "bitrix24": frozenset({"duplicate_activity", "unknown_manager_lead", "negative_deal"}),
    "bitrix24-export": frozenset({"duplicate_activity", "unknown_manager_lead", "negative_deal", "locale_money_deal"}),
    "amocrm": frozenset({"duplicate_activity", "unknown_manager_lead", "negative_deal"}),
}
# amoCRM keeps a deal's budget (`price`) as a whole number: the demo's kopecks are lost there.
SHAPE_WHOLE_ROUBLES = {"bitrix24": False, "bitrix24-export": False, "amocrm": True}

# The manifest's kpilang_version: fixed, so that the committed demo does not change with releases.
DEMO_KPILANG_VERSION = "0.1.0"

DEAL_TYPE_RU = {"new": "Новая", "repeat": "Повторная", "upsell": "Допродажа"}


# --------------------------------------------------------------------------------------------
# Reading kpilang's tables


def records(tables: dict[str, list[list[str]]], headers: dict[str, list[str]], table: str) -> list[dict[str, str]]:
    return [dict(zip(headers[table], row, strict=True)) for row in tables[table]]


def moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def unix(text: str) -> int | None:
    return None if text == "" else int(moment(text).timestamp())


def kopecks(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    whole, fraction = text.lstrip("-").split(".")
    return sign * (int(whole) * 100 + int(fraction))


def plain_money(value: int) -> str:
    sign = "-" if value < 0 else ""
    whole, fraction = divmod(abs(value), 100)
    return f"{sign}{whole}.{fraction:02d}"


def russian_money(value: int) -> str:
    """`152 400,00`, as a Russian spreadsheet or CRM export shows money."""
    sign = "-" if value < 0 else ""
    whole, fraction = divmod(abs(value), 100)
    return sign + f"{whole:,}".replace(",", " ") + f",{fraction:02d}"


def russian_moment(text: str) -> str:
    return "" if text == "" else moment(text).strftime("%d.%m.%Y %H:%M:%S")


def russian_date(text: str) -> str:
    return "" if text == "" else moment(text).strftime("%d.%m.%Y")


def midnight(text: str) -> str:
    """A date field of Bitrix24's REST API: the day at midnight, with the portal's offset."""
    day = moment(text)
    return day.replace(hour=0, minute=0, second=0).isoformat()


# --------------------------------------------------------------------------------------------
# Writing files


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_snapshot(out: Path, source: str, portal: str, first: dt.date, last: dt.date, files: dict[str, list[dict]]) -> None:
    """What `kpilang pull` writes: one JSON Lines file per API method, and the manifest."""
    for name, rows in files.items():
        write_jsonl(out / name, rows)
    write_manifest(out, source, portal, first, last, sorted(files))


def write_manifest(out: Path, source: str, portal: str, quarter_first: dt.date, quarter_last: dt.date, names: list[str]) -> None:
    """The manifest `kpilang pull` writes beside its files (fields agreed with the pull)."""
    files = {}
    for name in names:
        content = (out / name).read_bytes()
        files[name] = {"records": content.count(b"\n"), "sha256": hashlib.sha256(content).hexdigest()}
    pulled = dt.datetime.combine(quarter_last + dt.timedelta(days=1), dt.time(9, 0), dt.timezone(dt.timedelta(hours=3)))
    manifest = {
        "source": source,
        "portal": portal,
        "period": {"from": quarter_first.isoformat(), "to": quarter_last.isoformat()},
        "pulled_at": pulled.isoformat(),
        "files": files,
        "kpilang_version": DEMO_KPILANG_VERSION,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------------------------
# People and targets: kept beside the CRM files (CRMs hold no salaries, roles or targets)

PEOPLE_HEADER_RU = ["Табельный номер", "ФИО", "Роль", "Команда", "Оклад", "ID в CRM", "Дата приёма", "Клиентов в портфеле"]
PEOPLE_HEADER = ["id", "name", "role", "team", "salary", "crm_id", "hired_at", "portfolio_clients"]
TARGETS_HEADER_RU = ["Табельный номер", "Период", "KPI", "План"]
TARGETS_HEADER = ["manager_id", "period", "name", "value"]


def write_people(out: Path, managers: list[dict[str, str]], crm_ids: dict[str, str], russian: bool) -> None:
    rows = []
    for person in managers:
        salary = kopecks(person["salary"])
        rows.append(
            [
                person["id"],
                person["name"],
                person["role"],
                person["team"],
                russian_money(salary) if russian else str(salary // 100),
                crm_ids[person["id"]],
                person["hired_at"],
                person["portfolio_clients"],
            ]
        )
    write_csv(out / "people.csv", PEOPLE_HEADER_RU if russian else PEOPLE_HEADER, rows)


def write_targets(out: Path, targets: list[dict[str, str]], russian: bool) -> None:
    rows = []
    for target in targets:
        value = target["value"]
        if "." in value:  # money: whole roubles in the demo
            amount = kopecks(value)
            value = russian_money(amount) if russian else str(amount // 100)
        rows.append([target["manager_id"], target["period"], target["name"], value])
    write_csv(out / "targets.csv", TARGETS_HEADER_RU if russian else TARGETS_HEADER, rows)


# --------------------------------------------------------------------------------------------
# Bitrix24

BITRIX_ADMIN_USER_ID = "1"  # the portal's administrator: a CRM user outside every plan
BITRIX_STAGE = {"won": ("WON", "S"), "lost": ("LOSE", "F"), "open": ("EXECUTING", "P")}
BITRIX_STAGE_NAME_RU = {"WON": "Сделка успешна", "LOSE": "Сделка провалена", "EXECUTING": "В работе"}
BITRIX_LEAD_STATUS = {"new": ("NEW", "P"), "qualified": ("PROCESSED", "P"), "converted": ("CONVERTED", "S"), "junk": ("JUNK", "F")}
BITRIX_LEAD_STATUS_NAME_RU = {"NEW": "Не обработан", "PROCESSED": "Обработан", "CONVERTED": "Качественный лид", "JUNK": "Некачественный лид"}
BITRIX_LEAD_SOURCE = {"site": "WEB", "call": "CALL", "partner": "PARTNER", "chat": "OPENLINES"}
BITRIX_LEAD_SOURCE_NAME_RU = {"WEB": "Веб-сайт", "CALL": "Звонок", "PARTNER": "Существующий клиент", "OPENLINES": "Открытая линия"}
# Owner types of CRM activities (crm.enum.ownertype): 3 contact, 4 company.
BITRIX_OWNER_CONTACT, BITRIX_OWNER_COMPANY = "3", "4"


def renumbered(kpilang_id: str, first: int) -> int:
    """A CRM's own number for a kpilang id such as c000176: its sequence starts at `first`."""
    return first + int(kpilang_id[1:])


# Where each of the portal's own sequences starts (a contact is a prospect of one activity).
BITRIX_FIRST_ID = {"company": 300, "deal": 4000, "lead": 9000, "contact": 60000, "activity": 200000, "call": 700000}


class BitrixIds:
    """The portal's own numbering of users, companies, contacts, deals, leads and activities."""

    def __init__(self, managers: list[dict[str, str]]):
        self.users = {person["id"]: str(20 + index) for index, person in enumerate(managers)}

    def user(self, manager_id: str) -> str:
        return self.users.get(manager_id, BITRIX_ADMIN_USER_ID)

    @staticmethod
    def of(sequence: str, kpilang_id: str) -> str:
        return str(renumbered(kpilang_id, BITRIX_FIRST_ID[sequence]))


def bitrix_users(managers: list[dict[str, str]], ids: BitrixIds) -> list[dict]:
    rows = [{"ID": BITRIX_ADMIN_USER_ID, "ACTIVE": True, "NAME": "Администратор", "LAST_NAME": "Портала"}]
    for person in managers:
        first, last = person["name"].split(" ", 1)
        rows.append({"ID": ids.user(person["id"]), "ACTIVE": True, "NAME": first, "LAST_NAME": last})
    return rows


def bitrix_deals(deals: list[dict[str, str]], ids: BitrixIds) -> list[dict]:
    rows = []
    for deal in deals:
        stage_id, semantic = BITRIX_STAGE[deal["stage"]]
        created = deal["created_at"]
        closed = deal["closed_at"]
        # An open deal carries its planned closing date; a closed one the day it was closed.
        planned = (moment(created) + dt.timedelta(days=30)).isoformat()
        amount = deal["amount"]
        rows.append(
            {
                "ID": ids.of("deal", deal["id"]),
                "TITLE": f"Сделка #{ids.of('deal', deal['id'])}",
                "TYPE_ID": "SALE",
                "CATEGORY_ID": "0",
                "STAGE_ID": stage_id,
                "STAGE_SEMANTIC_ID": semantic,
                "IS_RETURN_CUSTOMER": "N" if deal["is_new_client"] == "true" else "Y",
                "CURRENCY_ID": "RUB",
                "OPPORTUNITY": amount,
                "COMPANY_ID": ids.of("company", deal["client_id"]),
                "CONTACT_ID": None,
                "BEGINDATE": midnight(created),
                "CLOSEDATE": midnight(closed or planned),
                "CLOSED": "N" if deal["stage"] == "open" else "Y",
                "ASSIGNED_BY_ID": ids.user(deal["manager_id"]),
                "DATE_CREATE": created,
                "DATE_MODIFY": closed or created,
                "LEAD_ID": ids.of("lead", deal["lead_id"]) if deal["lead_id"] else None,
                "UF_CRM_KPI_DEAL_TYPE": DEAL_TYPE_RU[deal["deal_type"]],
            }
        )
    return rows


def bitrix_leads(leads: list[dict[str, str]], ids: BitrixIds) -> list[dict]:
    rows = []
    for lead in leads:
        status_id, semantic = BITRIX_LEAD_STATUS[lead["status"]]
        rows.append(
            {
                "ID": ids.of("lead", lead["id"]),
                "TITLE": f"Лид #{ids.of('lead', lead['id'])}",
                "STATUS_ID": status_id,
                "STATUS_SEMANTIC_ID": semantic,
                "SOURCE_ID": BITRIX_LEAD_SOURCE[lead["source"]],
                "ASSIGNED_BY_ID": ids.user(lead["manager_id"]),
                "DATE_CREATE": lead["created_at"],
                "DATE_MODIFY": lead["first_response_at"] or lead["created_at"],
                "UF_CRM_KPI_FIRST_RESPONSE": lead["first_response_at"],
            }
        )
    return rows


def bitrix_activities(activities: list[dict[str, str]], ids: BitrixIds) -> tuple[list[dict], list[dict]]:
    """(voximplant.statistic.get records, crm.activity.list records), each in time order.

    A call to a client's company is also a CRM activity (TYPE_ID 2) bound to the company; the
    preset takes calls from the telephony statistics only and leaves those activities out.
    """
    calls: list[dict] = []
    crm: list[dict] = []

    def owner(activity: dict[str, str]) -> tuple[str, str]:
        if activity["client_id"]:
            return BITRIX_OWNER_COMPANY, ids.of("company", activity["client_id"])
        return BITRIX_OWNER_CONTACT, ids.of("contact", activity["id"])

    def crm_activity(activity: dict[str, str], type_id: str, provider: str, completed: bool, end: dt.datetime) -> dict:
        owner_type, owner_id = owner(activity)
        start = activity["started_at"]
        return {
            "ID": ids.of("activity", activity["id"]),
            "OWNER_TYPE_ID": owner_type,
            "OWNER_ID": owner_id,
            "TYPE_ID": type_id,
            "PROVIDER_ID": provider,
            "RESPONSIBLE_ID": ids.user(activity["manager_id"]),
            "START_TIME": start,
            "END_TIME": end.isoformat(),
            "COMPLETED": "Y" if completed else "N",
        }

    for activity in activities:
        start = moment(activity["started_at"])
        duration = int(activity["duration"])
        kind = activity["type"]
        if kind == "call":
            record = {
                "ID": ids.of("call", activity["id"]),
                "PORTAL_USER_ID": ids.user(activity["manager_id"]),
                "CALL_TYPE": "1",
                "CALL_START_DATE": activity["started_at"],
                "CALL_DURATION": str(duration),
                "CALL_FAILED_CODE": "200" if duration > 0 else "304",
                "CRM_ENTITY_TYPE": "COMPANY" if activity["client_id"] else "",
                "CRM_ENTITY_ID": ids.of("company", activity["client_id"]) if activity["client_id"] else None,
            }
            if activity["client_id"]:
                crm.append(crm_activity(activity, "2", "VOXIMPLANT_CALL", True, start + dt.timedelta(seconds=duration)))
            calls.append(record)
        elif kind == "meeting":
            # Bitrix24 has no "cancelled" meeting: one that did not take place stays uncompleted.
            crm.append(crm_activity(activity, "1", "CRM_MEETING", activity["status"] == "done", start + dt.timedelta(seconds=duration)))
        elif kind == "email":
            crm.append(crm_activity(activity, "4", "CRM_EMAIL", True, start))
        elif kind == "task":
            crm.append(crm_activity(activity, "6", "CRM_TODO", activity["status"] == "done", start))
        elif kind == "chat":
            crm.append(crm_activity(activity, "6", "IMOPENLINES_SESSION", activity["status"] == "done", start + dt.timedelta(seconds=duration)))
        else:
            raise ValueError(f"unknown activity type {kind!r}")
    return calls, crm


def write_bitrix24(tables, headers, out: Path, first: dt.date, last: dt.date) -> None:
    """The snapshot `kpilang pull bitrix24` writes: one raw REST record per line."""
    out.mkdir(parents=True, exist_ok=True)
    managers = records(tables, headers, "managers")
    ids = BitrixIds(managers)
    calls, crm = bitrix_activities(records(tables, headers, "activities"), ids)
    files = {
        "crm.deal.list.jsonl": bitrix_deals(records(tables, headers, "deals"), ids),
        "crm.lead.list.jsonl": bitrix_leads(records(tables, headers, "leads"), ids),
        "crm.activity.list.jsonl": crm,
        "voximplant.statistic.get.jsonl": calls,
        "user.get.jsonl": bitrix_users(managers, ids),
    }
    write_snapshot(out, "bitrix24", "demo.bitrix24.ru", first, last, files)
    write_people(out, managers, ids.users, russian=True)
    write_targets(out, records(tables, headers, "targets"), russian=True)


# The deal list and the lead list as a Russian portal exports them (CSV: Windows-1251, ";").
BITRIX_DEAL_EXPORT_HEADER = [
    "ID",
    "Название сделки",
    "Воронка",
    "Стадия сделки",
    "Сумма",
    "Валюта",
    "Ответственный",
    "Дата создания",
    "Дата изменения",
    "Предполагаемая дата закрытия",
    "Компания",
    "Контакт",
    "Повторная сделка",
    "Тип продажи",
]
BITRIX_LEAD_EXPORT_HEADER = [
    "ID",
    "Название лида",
    "Статус",
    "Источник",
    "Ответственный",
    "Дата создания",
    "Дата изменения",
    "Время первого ответа",
]
BITRIX_ADMIN_NAME = "Администратор Портала"


def write_bitrix24_export(tables, headers, out: Path, first: dt.date, last: dt.date) -> None:
    """Deals and leads as list exports; activities as `kpilang pull bitrix24` writes them."""
    out.mkdir(parents=True, exist_ok=True)
    managers = records(tables, headers, "managers")
    name_of = {person["id"]: person["name"] for person in managers}
    ids = BitrixIds(managers)
    deal_rows = []
    for deal in bitrix_deals(records(tables, headers, "deals"), ids):
        if "," in deal["OPPORTUNITY"]:
            # The dirty amount, already in a locale format: here it was typed over by hand with
            # the currency, which no reading of a Russian number accepts.
            money = deal["OPPORTUNITY"] + " руб."
        else:
            money = russian_money(kopecks(deal["OPPORTUNITY"]))
        manager = next(person_id for person_id, user in ids.users.items() if user == deal["ASSIGNED_BY_ID"])
        deal_rows.append(
            [
                deal["ID"],
                deal["TITLE"],
                "Общая",
                BITRIX_STAGE_NAME_RU[deal["STAGE_ID"]],
                money,
                "Российский рубль",
                name_of[manager],
                russian_moment(deal["DATE_CREATE"]),
                russian_moment(deal["DATE_MODIFY"]),
                russian_date(deal["CLOSEDATE"]),
                f"ООО «Клиент {deal['COMPANY_ID']}»",
                "",
                "Да" if deal["IS_RETURN_CUSTOMER"] == "Y" else "Нет",
                deal["UF_CRM_KPI_DEAL_TYPE"],
            ]
        )
    lead_rows = []
    for lead in bitrix_leads(records(tables, headers, "leads"), ids):
        user = lead["ASSIGNED_BY_ID"]
        manager = next((person_id for person_id, crm in ids.users.items() if crm == user), None)
        lead_rows.append(
            [
                lead["ID"],
                lead["TITLE"],
                BITRIX_LEAD_STATUS_NAME_RU[lead["STATUS_ID"]],
                BITRIX_LEAD_SOURCE_NAME_RU[lead["SOURCE_ID"]],
                name_of[manager] if manager else BITRIX_ADMIN_NAME,
                russian_moment(lead["DATE_CREATE"]),
                russian_moment(lead["DATE_MODIFY"]),
                russian_moment(lead["UF_CRM_KPI_FIRST_RESPONSE"]),
            ]
        )
    write_csv(out / "deals.csv", BITRIX_DEAL_EXPORT_HEADER, deal_rows, encoding="windows-1251", delimiter=";")
    write_csv(out / "leads.csv", BITRIX_LEAD_EXPORT_HEADER, lead_rows, encoding="windows-1251", delimiter=";")
    calls, crm = bitrix_activities(records(tables, headers, "activities"), ids)
    write_jsonl(out / "crm.activity.list.jsonl", crm)
    write_jsonl(out / "voximplant.statistic.get.jsonl", calls)
    write_people(out, managers, ids.users, russian=True)
    write_targets(out, records(tables, headers, "targets"), russian=True)


# --------------------------------------------------------------------------------------------
# amoCRM

AMO_ACCOUNT_ID = 31000001
AMO_PIPELINE_ID = 7100001
AMO_OPEN_STATUS_ID = 61000003  # a stage of the demo portal's pipeline ("Переговоры")
AMO_STATUS = {"won": 142, "lost": 143}  # the system stages of every pipeline
AMO_TASK_TYPE = {"task": 1, "meeting": 2, "email": 3}  # 1 "Связаться", 2 "Встреча", 3 "Написать письмо"
AMO_CALL_STATUS_TALKED, AMO_CALL_STATUS_NO_ANSWER = 4, 6
AMO_DEAL_TYPE_FIELD = {"field_id": 900001, "field_name": "Тип продажи", "field_code": "KPI_DEAL_TYPE", "field_type": "select"}
AMO_DEAL_TYPE_ENUM = {"new": 910001, "repeat": 910002, "upsell": 910003}


AMO_FIRST_ID = {"deal": 19000000, "company": 45000000, "contact": 46000000, "note": 52000000, "task": 53000000}


class AmoIds:
    def __init__(self, managers: list[dict[str, str]]):
        self.users = {person["id"]: str(8400000 + 17 * index) for index, person in enumerate(managers)}

    def user(self, manager_id: str) -> int:
        return int(self.users[manager_id])

    @staticmethod
    def of(sequence: str, kpilang_id: str) -> int:
        return renumbered(kpilang_id, AMO_FIRST_ID[sequence])


def amo_deals(deals: list[dict[str, str]], ids: AmoIds) -> list[dict]:
    rows = []
    for deal in deals:
        # A whole number: amoCRM's budget has no kopecks (the tables come without them).
        amount = kopecks(deal["amount"]) // 100
        created, closed = unix(deal["created_at"]), unix(deal["closed_at"])
        rows.append(
            {
                "id": ids.of("deal", deal["id"]),
                "name": f"Сделка #{ids.of('deal', deal['id'])}",
                "price": amount,
                "responsible_user_id": ids.user(deal["manager_id"]),
                "group_id": 0,
                "status_id": AMO_STATUS.get(deal["stage"], AMO_OPEN_STATUS_ID),
                "pipeline_id": AMO_PIPELINE_ID,
                "loss_reason_id": None,
                "created_by": 0,
                "updated_by": 0,
                "created_at": created,
                "updated_at": closed or created,
                "closed_at": closed,
                "closest_task_at": None,
                "is_deleted": False,
                "custom_fields_values": [
                    dict(
                        AMO_DEAL_TYPE_FIELD,
                        values=[{"value": DEAL_TYPE_RU[deal["deal_type"]], "enum_id": AMO_DEAL_TYPE_ENUM[deal["deal_type"]]}],
                    )
                ],
                "score": None,
                "account_id": AMO_ACCOUNT_ID,
                "_embedded": {"tags": [], "companies": [{"id": ids.of("company", deal["client_id"])}]},
            }
        )
    return rows


def amo_activities(activities: list[dict[str, str]], ids: AmoIds) -> tuple[list[dict], list[dict]]:
    """(call notes, tasks). Chats are not in amoCRM's CRM API: the demo's chats are left out."""
    notes: list[dict] = []
    tasks: list[dict] = []
    for activity in activities:
        kind = activity["type"]
        started = unix(activity["started_at"])
        duration = int(activity["duration"])
        user = ids.user(activity["manager_id"])
        if activity["client_id"]:
            entity_type, entity_id = "companies", ids.of("company", activity["client_id"])
        else:
            entity_type, entity_id = "contacts", ids.of("contact", activity["id"])
        if kind == "call":
            notes.append(
                {
                    "id": ids.of("note", activity["id"]),
                    "entity_id": entity_id,
                    "created_by": user,
                    "updated_by": user,
                    "created_at": started,
                    "updated_at": started,
                    "responsible_user_id": user,
                    "group_id": 0,
                    "note_type": "call_out",
                    "params": {
                        "uniq": f"demo-{activity['id']}",
                        "duration": duration,
                        "source": "Телефония",
                        "link": "",
                        "phone": "",
                        "call_result": "",
                        "call_status": AMO_CALL_STATUS_TALKED if duration > 0 else AMO_CALL_STATUS_NO_ANSWER,
                    },
                    "account_id": AMO_ACCOUNT_ID,
                }
            )
        elif kind in AMO_TASK_TYPE:
            tasks.append({
                "id": ids.of("task", activity["id"]),
                "created_by": user,
                "updated_by": user,
                "created_at": started,
                "updated_at": started,
                "responsible_user_id": user,
                "group_id": 0,
                "entity_id": entity_id,
                "entity_type": entity_type,
                "duration": duration,
                "is_completed": activity["status"] == "done",
                "task_type_id": AMO_TASK_TYPE[kind],
                "text": {"task": "Связаться с клиентом", "meeting": "Встреча", "email": "Написать письмо"}[kind],
                "result": {},
                "complete_till": started,
                "account_id": AMO_ACCOUNT_ID,
            })
        elif kind != "chat":
            raise ValueError(f"unknown activity type {kind!r}")
    return notes, tasks


def write_amocrm(tables, headers, out: Path, first: dt.date, last: dt.date) -> None:
    """The snapshot `kpilang pull amocrm` writes, and kpilang's own leads.csv for the requests."""
    out.mkdir(parents=True, exist_ok=True)
    managers = records(tables, headers, "managers")
    ids = AmoIds(managers)
    notes, tasks = amo_activities(records(tables, headers, "activities"), ids)
    files = {
        "leads.jsonl": amo_deals(records(tables, headers, "deals"), ids),
        "notes.jsonl": notes,
        "tasks.jsonl": tasks,
        "users.jsonl": [{"id": ids.user(person["id"]), "name": person["name"], "lang": "ru"} for person in managers],
    }
    write_snapshot(out, "amocrm", "demo.amocrm.ru", first, last, files)
    # amoCRM has no entity for incoming requests apart from its deals: kpilang's leads table
    # stays in kpilang's own format, with kpilang's ids.
    write_csv(out / "leads.csv", headers["leads"], tables["leads"])
    write_people(out, managers, ids.users, russian=False)
    write_targets(out, records(tables, headers, "targets"), russian=False)


WRITERS = {"bitrix24": write_bitrix24, "bitrix24-export": write_bitrix24_export, "amocrm": write_amocrm}
