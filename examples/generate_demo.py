"""Generate a realistic, deterministic CRM dataset for kpilang demos and tests.

    python examples/generate_demo.py --seed 7 --out DIR [--people N] [--quarter 2026-Q3] [--crm DIR]

Writes the five tables of the data format (managers, activities, leads, deals, targets) as CSV
files in DIR; with --crm, also the same data as Bitrix24 and amoCRM give it (crm_shapes.py). The same seed and options always give byte-identical files: the generator uses only
the standard library, integer arithmetic (money is kept in kopecks), seeded ``random.Random``
instances whose seeds are strings (hashed with SHA-512 by Python, so PYTHONHASHSEED does not
matter), sorted output and no clock reads.

What the data looks like is described in examples/README.md, including the handful of
deliberately dirty rows that a loader must report.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Moscow has had no daylight saving time since 2014, so one fixed offset is exact all year.
MOSCOW_OFFSET = "+03:00"

ROLES = ("head", "cold", "inbound", "account", "chat", "base")

FIELD_TEAMS = ("north", "south", "east", "west", "center", "volga", "ural", "siberia")
ONLINE_TEAM = "online"

# Share of each role among a team's members (the head is added on top), in percent.
FIELD_TEAM_ROLE_MIX = {"cold": 40, "account": 25, "inbound": 15, "base": 15, "chat": 5}
ONLINE_TEAM_ROLE_MIX = {"chat": 55, "inbound": 35, "base": 10}

# Fixed monthly salary ranges in roubles (inclusive), drawn in steps of 1 000.
SALARY_RANGE_RUB = {
    "head": (110_000, 150_000),
    "cold": (45_000, 75_000),
    "inbound": (50_000, 70_000),
    "account": (70_000, 110_000),
    "chat": (45_000, 60_000),
    "base": (50_000, 85_000),
}


@dataclass(frozen=True)
class RoleProfile:
    """How a role works on an ordinary weekday, for an average performer.

    Daily volumes are in thousandths of an item (8000 means eight calls a day), so that expected
    counts stay integers; conversions are in permille.
    """

    calls: int = 0
    emails: int = 0
    tasks: int = 0
    chats: int = 0
    client_meetings: int = 0
    inbound_leads: int = 0  # leads routed to the person per weekday; marketing decides, not skill
    call_to_lead: int = 0  # quality cold calls that turn into a lead
    portfolio_size: tuple[int, int] = (0, 0)
    portfolio_call_share: int = 0  # calls and emails that go to existing clients
    repeat_deal_per_client: int = 0  # chance per client per working day of a repeat/upsell deal
    referral_deal: int = 0  # chance per working day of a new client coming by referral
    big_deal: int = 0  # chance per working day of a large deal closed by the head personally


ROLE_PROFILES = {
    "cold": RoleProfile(calls=8000, emails=1500, tasks=1000, call_to_lead=180),
    "inbound": RoleProfile(calls=3500, emails=2500, tasks=1000, inbound_leads=3000),
    "account": RoleProfile(
        calls=4000,
        emails=4000,
        tasks=1500,
        client_meetings=300,
        portfolio_size=(15, 35),
        portfolio_call_share=1000,
        repeat_deal_per_client=14,
        referral_deal=15,
    ),
    "chat": RoleProfile(chats=12000, tasks=500),
    "base": RoleProfile(
        calls=6000,
        emails=1500,
        tasks=1000,
        chats=800,
        inbound_leads=1000,
        call_to_lead=100,
        portfolio_size=(5, 10),
        portfolio_call_share=400,
        repeat_deal_per_client=10,
    ),
    "head": RoleProfile(calls=1500, emails=2500, tasks=1500, client_meetings=800, big_deal=25),
}

# Activity load by weekday (Monday first), in percent of an ordinary weekday.
OFFICE_WEEK_LOAD = (100, 104, 104, 100, 86, 6, 2)
# The online team works shifts, so weekends are quieter but far from empty.
SHIFT_WEEK_LOAD = (100, 100, 100, 100, 100, 45, 40)
# Seasonality by calendar month, in percent: the summer holiday dip in August, the September
# return, the slow start of January and the December year-end push.
MONTH_LOAD = {1: 80, 5: 92, 7: 100, 8: 88, 9: 106, 12: 110}
# Russian public holidays by fixed date; the yearly transfers of days off are not modelled.
PUBLIC_HOLIDAYS = {(1, d) for d in range(1, 9)} | {(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)}

# Sources of leads routed to inbound managers, in percent.
INBOUND_LEAD_SOURCES = (("site", 50), ("call", 25), ("partner", 15), ("chat", 10))

# Deals start this many days before the quarter, so that the quarter opens with a pipeline.
PIPELINE_WARM_UP_DAYS = 60
# Planned meetings are exported up to this many days after the quarter ends.
PLANNED_MEETINGS_HORIZON_DAYS = 14
# New hires reach their full skill after this many days.
RAMP_UP_DAYS = 45

# Unknown manager used by the dirty lead row; real ids start at m0001, so it can never exist.
UNKNOWN_MANAGER_ID = "m0000"

ID_WIDTH = 6

HEADERS = {
    "managers": ["id", "name", "role", "team", "salary", "hired_at", "portfolio_clients"],
    "activities": ["id", "manager_id", "type", "started_at", "duration", "status", "rating", "client_id"],
    "leads": ["id", "manager_id", "created_at", "first_response_at", "source", "status"],
    "deals": [
        "id",
        "manager_id",
        "client_id",
        "created_at",
        "closed_at",
        "stage",
        "amount",
        "is_new_client",
        "deal_type",
        "lead_id",
    ],
    "targets": ["manager_id", "period", "name", "value"],
}

MALE_FIRST_NAMES = (
    "Александр Алексей Андрей Антон Артём Борис Вадим Василий Виктор Владимир Глеб Григорий Денис "
    "Дмитрий Евгений Егор Иван Игорь Илья Кирилл Константин Максим Михаил Никита Николай Олег "
    "Павел Роман Сергей Степан Тимур Фёдор Юрий Ярослав"
).split()
FEMALE_FIRST_NAMES = (
    "Алина Алёна Анастасия Анна Валерия Вера Виктория Галина Дарья Евгения Екатерина Елена "
    "Елизавета Ирина Ксения Лариса Любовь Марина Мария Надежда Наталья Ольга Полина Светлана "
    "София Татьяна Ульяна Юлия Яна"
).split()
# Every surname here takes its feminine form by adding "а".
SURNAMES = (
    "Иванов Петров Смирнов Кузнецов Соколов Попов Лебедев Козлов Новиков Морозов Волков Соловьёв "
    "Васильев Зайцев Павлов Семёнов Голубев Виноградов Богданов Воробьёв Фёдоров Михайлов Беляев "
    "Тарасов Белов Комаров Орлов Киселёв Макаров Андреев Ковалёв Ильин Гусев Титов Кузьмин "
    "Кудрявцев Баранов Куликов Алексеев Степанов Яковлев Сорокин Сергеев Романов Захаров Борисов "
    "Королёв Герасимов Пономарёв Григорьев Лазарев Медведев Ершов Никитин Соболев Рябов Поляков "
    "Цветков Данилов Жуков Фролов Журавлёв Николаев Крылов Максимов"
).split()


# --------------------------------------------------------------------------------------------
# Calendar


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = re.fullmatch(r"(\d{4})-Q([1-4])", text)
        if not match:
            raise ValueError(f"a quarter looks like 2026-Q3, not {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def months(self) -> list[tuple[int, int]]:
        first = 3 * (self.number - 1) + 1
        return [(self.year, month) for month in range(first, first + 3)]

    @property
    def first_day(self) -> dt.date:
        year, month = self.months[0]
        return dt.date(year, month, 1)

    @property
    def last_day(self) -> dt.date:
        year, month = self.months[-1]
        return last_day_of_month(year, month)


def last_day_of_month(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def is_holiday(day: dt.date) -> bool:
    return (day.month, day.day) in PUBLIC_HOLIDAYS


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def day_load(day: dt.date, week_load: tuple[int, ...]) -> int:
    """Activity load of a day in percent of an ordinary weekday."""
    load = week_load[5] if is_holiday(day) else week_load[day.weekday()]
    if is_holiday(day + dt.timedelta(days=1)) and not is_holiday(day):
        load = load * 80 // 100  # the day before a holiday is shortened and half-empty
    return load * MONTH_LOAD.get(day.month, 100) // 100


def next_working_day(day: dt.date, at_least_days: int) -> dt.date:
    day += dt.timedelta(days=at_least_days)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def at(day: dt.date, seconds_of_day: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day) + dt.timedelta(seconds=seconds_of_day)


def timestamp_text(moment: dt.datetime | None) -> str:
    return "" if moment is None else moment.isoformat() + MOSCOW_OFFSET


# --------------------------------------------------------------------------------------------
# Money: integer kopecks everywhere, text only at the edges


def rub(amount: int) -> int:
    return amount * 100


def money_text(kopecks: int) -> str:
    sign = "-" if kopecks < 0 else ""
    whole, fraction = divmod(abs(kopecks), 100)
    return f"{sign}{whole}.{fraction:02d}"


def locale_money_text(kopecks: int) -> str:
    """The same amount as a Russian spreadsheet shows it: '184 500,00'."""
    whole, fraction = divmod(abs(kopecks), 100)
    grouped = f"{whole:,}".replace(",", " ")
    return f"{grouped},{fraction:02d}"


# --------------------------------------------------------------------------------------------
# People


@dataclass(eq=False)
class Client:
    number: int = 0  # assigned after the simulation, in a deterministic order

    @property
    def id(self) -> str:
        return f"c{self.number:0{ID_WIDTH}d}"


@dataclass
class Person:
    id: str
    name: str
    role: str
    team: str
    salary: int  # kopecks
    hired_at: dt.date
    skill: int  # conversion quality in percent of an average performer
    effort: int  # activity volume in percent of an average performer
    overdue_permille: int  # CRM discipline: tasks left overdue
    vacation: tuple[dt.date, dt.date] | None
    portfolio: list[Client] = field(default_factory=list)
    portfolio_at_quarter_start: int | None = None

    @property
    def profile(self) -> RoleProfile:
        return ROLE_PROFILES[self.role]


def split_by_quota(total: int, mix: dict[str, int]) -> list[str]:
    """Role names for `total` people following percentages `mix` (largest remainder method)."""
    weight_sum = sum(mix.values())
    exact = {role: total * share for role, share in mix.items()}
    counts = {role: value // weight_sum for role, value in exact.items()}
    by_remainder = sorted(mix, key=lambda role: (-(exact[role] % weight_sum), list(mix).index(role)))
    for role in by_remainder[: total - sum(counts.values())]:
        counts[role] += 1
    return [role for role in mix for _ in range(counts[role])]


def team_names(people: int) -> list[str]:
    team_count = max(3, min(len(FIELD_TEAMS) + 1, people // 25))
    return list(FIELD_TEAMS[: team_count - 1]) + [ONLINE_TEAM]


def draw_skill(rng: random.Random) -> int:
    tier = rng.randrange(100)
    if tier < 20:
        return rng.randint(40, 75)  # weak performers
    if tier < 80:
        return rng.randint(80, 120)
    return rng.randint(125, 180)  # strong performers


def build_people(seed: int, people: int, quarter: Quarter) -> list[Person]:
    rng = random.Random(f"kpilang-demo/{seed}/people")
    teams = team_names(people)
    sizes = [people // len(teams) + (1 if index < people % len(teams) else 0) for index in range(len(teams))]

    used_names: set[str] = set()

    def unique_name() -> str:
        name = ""
        for _ in range(50):
            if rng.randrange(2):
                name = f"{rng.choice(MALE_FIRST_NAMES)} {rng.choice(SURNAMES)}"
            else:
                name = f"{rng.choice(FEMALE_FIRST_NAMES)} {rng.choice(SURNAMES)}а"
            if name not in used_names:
                break
        used_names.add(name)
        return name

    member_number = 0
    result: list[Person] = []
    for team_index, (team, size) in enumerate(zip(teams, sizes)):
        mix = ONLINE_TEAM_ROLE_MIX if team == ONLINE_TEAM else FIELD_TEAM_ROLE_MIX
        members = split_by_quota(size - 1, mix)
        rng.shuffle(members)  # so that ids do not give roles away
        for role in ["head"] + members:
            if role == "head":
                person_id = f"h{team_index + 1:02d}"
            else:
                member_number += 1
                person_id = f"m{member_number:04d}"
            low, high = SALARY_RANGE_RUB[role]
            salary = rub(rng.randrange(low, high + 1, 1000))
            if role == "head":
                hired_at = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))
            else:
                hired_at = dt.date(2019, 1, 1) + dt.timedelta(
                    days=rng.randrange((quarter.first_day - dt.date(2019, 1, 1)).days - 30)
                )
            vacation = None
            if rng.randrange(100) < 40:
                start = quarter.first_day + dt.timedelta(days=rng.randrange(80))
                vacation = (start, start + dt.timedelta(days=13))
            skill = draw_skill(rng)
            result.append(
                Person(
                    id=person_id,
                    name=unique_name(),
                    role=role,
                    team=team,
                    salary=salary,
                    hired_at=hired_at,
                    skill=skill,
                    effort=max(60, min(140, (100 + skill) // 2 + rng.randint(-15, 15))),
                    overdue_permille=max(10, min(400, rng.randint(20, 120) * 100 // skill)),
                    vacation=vacation,
                )
            )

    # A few people join part-way through the quarter: they start from nothing and ramp up.
    members = [person for person in result if person.role != "head"]
    quarter_days = (quarter.last_day - quarter.first_day).days
    for person in rng.sample(members, max(1, len(members) * 7 // 100)):
        person.hired_at = quarter.first_day + dt.timedelta(days=rng.randint(7, quarter_days - 20))
        person.vacation = None

    for person in result:
        low, high = person.profile.portfolio_size
        if high:
            person.portfolio = [Client() for _ in range(rng.randint(low, high))]
    return result


# --------------------------------------------------------------------------------------------
# Records


@dataclass(eq=False)
class Activity:
    manager_id: str
    type: str
    started_at: dt.datetime
    duration: int
    status: str
    rating: int | None = None
    client: Client | None = None


@dataclass(eq=False)
class Lead:
    manager_id: str
    created_at: dt.datetime
    first_response_at: dt.datetime | None
    source: str
    status: str
    id: str = ""


@dataclass(eq=False)
class Deal:
    manager_id: str
    client: Client
    created_at: dt.datetime
    closed_at: dt.datetime | None
    stage: str
    amount: int  # kopecks
    is_new_client: bool
    deal_type: str  # new, repeat or upsell
    lead: Lead | None = None
    id: str = ""


# --------------------------------------------------------------------------------------------
# Simulation of one person's quarter


def chance(rng: random.Random, permille: int) -> bool:
    return rng.randrange(1000) < permille


def draw_count(rng: random.Random, expected_thousandths: int) -> int:
    """A count around `expected_thousandths` / 1000, with day-to-day noise of ±30 %."""
    expected = expected_thousandths * rng.randint(70, 130) // 100
    whole, fraction = divmod(expected, 1000)
    return whole + (1 if rng.randrange(1000) < fraction else 0)


def scaled(permille: int, percent: int, cap: int = 1000) -> int:
    return min(cap, permille * percent // 100)


class Simulation:
    """Walks one person through the warm-up and the quarter, day by day."""

    def __init__(self, seed: int, person: Person, quarter: Quarter):
        self.rng = random.Random(f"kpilang-demo/{seed}/person/{person.id}")
        self.person = person
        self.quarter = quarter
        # The export is taken the morning after the quarter ends: later events have not happened.
        self.snapshot = at(quarter.last_day + dt.timedelta(days=1), 9 * 3600)
        self.activities: list[Activity] = []
        self.leads: list[Lead] = []
        self.deals: list[Deal] = []

    # ---- helpers

    def work_time(self, day: dt.date, first_hour: int = 9, last_hour: int = 19) -> dt.datetime:
        seconds = self.rng.randrange(first_hour * 3600, last_hour * 3600)
        if 13 * 3600 <= seconds < 14 * 3600 and self.rng.randrange(2):
            seconds = self.rng.randrange(first_hour * 3600, last_hour * 3600)  # lunch is quieter
        return at(day, seconds)

    def in_quarter(self, moment: dt.datetime) -> bool:
        return self.quarter.first_day <= moment.date() <= self.quarter.last_day

    def skill_today(self, day: dt.date) -> int:
        worked = (day - self.person.hired_at).days
        if worked >= RAMP_UP_DAYS:
            return self.person.skill
        return self.person.skill * (40 + 60 * worked // RAMP_UP_DAYS) // 100

    def log(self, activity: Activity) -> None:
        started = activity.started_at
        planned_horizon = self.quarter.last_day + dt.timedelta(days=PLANNED_MEETINGS_HORIZON_DAYS)
        if self.in_quarter(started) or (
            activity.status == "planned" and self.quarter.last_day < started.date() <= planned_horizon
        ):
            self.activities.append(activity)

    def follow_up(self, after: dt.datetime, max_days: int) -> dt.datetime:
        """A moment in working hours, up to `max_days` days after `after`, when the next step happens."""
        day = next_working_day(after.date(), self.rng.randint(0, max_days))
        moment = self.work_time(day, 10, 19)
        if moment <= after:
            moment = self.work_time(next_working_day(after.date(), 1), 10, 19)
        return moment

    def close_time(self, created: dt.datetime, min_days: int, max_days: int, won: bool) -> dt.datetime:
        day = next_working_day(created.date(), self.rng.randint(min_days, max_days))
        closed = self.work_time(day, 10, 19)
        month_end = last_day_of_month(day.year, day.month)
        # Month-end rush: deals that are nearly done get pushed through late on the last day to
        # count towards the month's plan, and a few slip just past midnight into the next month.
        if won and (month_end - day).days < 3 and chance(self.rng, 300):
            closed = at(month_end, self.rng.randrange(22 * 3600 + 1800, 24 * 3600))
            if chance(self.rng, 200):
                closed = at(month_end + dt.timedelta(days=1), self.rng.randrange(0, 1800))
        return max(closed, created + dt.timedelta(minutes=30))

    def open_deal(
        self,
        client: Client,
        created: dt.datetime,
        amount: int,
        won_permille: int,
        cycle_days: tuple[int, int],
        is_new_client: bool,
        deal_type: str,
        lead: Lead | None = None,
    ) -> Deal:
        won = chance(self.rng, won_permille)
        low, high = cycle_days
        closed: dt.datetime | None = self.close_time(created, low if won else max(0, low // 2), high, won)
        stage = "won" if won else "lost"
        if closed > self.snapshot:
            closed, stage = None, "open"
        deal = Deal(self.person.id, client, created, closed, stage, amount, is_new_client, deal_type, lead)
        self.deals.append(deal)
        return deal

    def meeting(self, started: dt.datetime, client: Client | None = None) -> Activity:
        if started > self.snapshot:
            status = "planned"
        else:
            roll = self.rng.randrange(100)
            status = "done" if roll < 80 else "cancelled" if roll < 92 else "planned"
        duration = {"done": self.rng.randrange(1800, 5401, 300), "planned": 3600, "cancelled": 0}[status]
        activity = Activity(self.person.id, "meeting", started, duration, status, client=client)
        self.log(activity)
        return activity

    # ---- what happens on a day

    def run(self) -> None:
        person = self.person
        week_load = SHIFT_WEEK_LOAD if person.team == ONLINE_TEAM else OFFICE_WEEK_LOAD
        day = self.quarter.first_day - dt.timedelta(days=PIPELINE_WARM_UP_DAYS)
        while day <= self.quarter.last_day:
            if day == self.quarter.first_day:
                person.portfolio_at_quarter_start = len(person.portfolio) if person.portfolio else None
            on_vacation = person.vacation is not None and person.vacation[0] <= day <= person.vacation[1]
            if day >= person.hired_at and not on_vacation:
                load = day_load(day, week_load)
                volume = person.effort * load // 100  # percent of an average weekday
                skill = self.skill_today(day)
                self.working_day(day, volume, skill, load)
            day += dt.timedelta(days=1)
        if person.portfolio_at_quarter_start is None and person.portfolio:
            person.portfolio_at_quarter_start = len(person.portfolio)

    def working_day(self, day: dt.date, volume: int, skill: int, load: int) -> None:
        profile = self.person.profile
        rng = self.rng
        for _ in range(draw_count(rng, profile.calls * volume // 100)):
            self.call(day, skill)
        for _ in range(draw_count(rng, profile.emails * volume // 100)):
            client = self.portfolio_contact()
            self.log(Activity(self.person.id, "email", self.work_time(day), 0, "done", client=client))
        for _ in range(draw_count(rng, profile.client_meetings * volume // 100)):
            client = rng.choice(self.person.portfolio) if self.person.portfolio else None
            self.meeting(self.work_time(day, 10, 18), client)
        for _ in range(draw_count(rng, profile.chats * volume // 100)):
            self.chat(day, skill)
        for _ in range(draw_count(rng, profile.tasks * volume // 100)):
            status = "overdue" if chance(rng, self.person.overdue_permille) else "done"
            self.log(Activity(self.person.id, "task", self.work_time(day), 0, status))
        # Leads arrive whatever the person's effort: marketing decides how many come in.
        for _ in range(draw_count(rng, profile.inbound_leads * load // 100)):
            self.inbound_lead(day, skill)
        if is_working_day(day):
            self.existing_clients(day, skill)
            if chance(rng, scaled(profile.big_deal, skill)):
                created = self.work_time(day)
                amount = rub(rng.randrange(300_000, 1_500_001, 10_000))
                self.open_deal(Client(), created, amount, 500, (14, 45), True, "new")

    def portfolio_contact(self) -> Client | None:
        profile = self.person.profile
        if self.person.portfolio and chance(self.rng, profile.portfolio_call_share):
            return self.rng.choice(self.person.portfolio)
        return None

    def call(self, day: dt.date, skill: int) -> None:
        rng = self.rng
        started = self.work_time(day)
        client = self.portfolio_contact()
        roll = rng.randrange(100)
        if roll < 15:
            duration = 0  # no answer
        elif roll < 35:
            duration = rng.randint(5, 59)  # hung up or wrong person
        else:
            duration = 60 + rng.randrange(240) + rng.randrange(100) * rng.randrange(10)
        self.log(Activity(self.person.id, "call", started, duration, "done", client=client))
        profile = self.person.profile
        if client is None and duration >= 60 and chance(rng, scaled(profile.call_to_lead, skill, 400)):
            self.lead_from_cold_call(started + dt.timedelta(seconds=duration), skill)

    def lead_from_cold_call(self, moment: dt.datetime, skill: int) -> None:
        """Calls -> lead -> meeting -> deal: the cold-sales funnel."""
        rng = self.rng
        lead = Lead(self.person.id, moment, moment, "call", "junk")
        if self.in_quarter(moment):
            self.leads.append(lead)
        if not chance(rng, 550):
            if chance(rng, 300):
                lead.status = "qualified"
            return
        lead.status = "qualified"
        meeting_day = next_working_day(moment.date(), rng.randint(1, 6))
        meeting = self.meeting(self.work_time(meeting_day, 10, 18))
        if meeting.status != "done" or not chance(rng, scaled(600, skill, 900)):
            return
        created = self.follow_up(meeting.started_at + dt.timedelta(seconds=meeting.duration), 2)
        if created > self.snapshot:
            return
        lead.status = "converted"
        amount = rub(rng.randrange(60_000, 450_001, 500))
        if chance(rng, 50):
            amount *= 3  # an occasional large account
        self.open_deal(Client(), created, amount, scaled(400, skill, 800), (7, 40), True, "new", lead)

    def response_delay(self, created: dt.datetime, skill: int) -> dt.datetime:
        rng = self.rng
        duty_start, duty_end = 9 * 3600, 20 * 3600
        seconds_of_day = created.hour * 3600 + created.minute * 60 + created.second
        if seconds_of_day < duty_start:
            return at(created.date(), duty_start + rng.randrange(7200))
        if seconds_of_day >= duty_end:
            return at(created.date() + dt.timedelta(days=1), duty_start + rng.randrange(7200))
        delay = max(15, rng.randint(20, 600) * 120 // max(skill, 1))
        if chance(rng, min(400, 12_000 // max(skill, 1))):
            delay += rng.randint(3600, 4 * 3600)  # forgotten until someone noticed
        return created + dt.timedelta(seconds=delay)

    def inbound_lead(self, day: dt.date, skill: int) -> None:
        rng = self.rng
        # Leads come around the clock, most of them in the daytime.
        hour = rng.randrange(8, 22) if chance(rng, 900) else rng.choice((0, 1, 6, 7, 22, 23))
        created = at(day, hour * 3600 + rng.randrange(3600))
        roll, source = rng.randrange(100), "site"
        for name, share in INBOUND_LEAD_SOURCES:
            if roll < share:
                source = name
                break
            roll -= share
        lead = Lead(self.person.id, created, None, source, "new")
        if self.in_quarter(created):
            self.leads.append(lead)
        if chance(rng, 40):
            return  # never answered: stays new
        lead.first_response_at = self.response_delay(created, skill)
        if lead.first_response_at > self.snapshot:
            lead.first_response_at = None
            return
        if chance(rng, 300):
            lead.status = "junk"
            return
        lead.status = "qualified"
        if not chance(rng, scaled(300, skill, 700)):
            return
        created_deal = self.follow_up(lead.first_response_at, 2)
        if created_deal > self.snapshot:
            return
        lead.status = "converted"
        amount = rub(rng.randrange(20_000, 250_001, 100))
        self.open_deal(Client(), created_deal, amount, scaled(450, skill, 800), (2, 20), True, "new", lead)

    def chat(self, day: dt.date, skill: int) -> None:
        rng = self.rng
        started = self.work_time(day, 9, 21)
        if chance(rng, min(300, 6000 // max(skill, 1))):
            self.log(Activity(self.person.id, "chat", started, 0, "missed"))
            return
        duration = rng.randint(60, 300) + rng.randrange(100) * rng.randrange(12)
        rating = None
        if rng.randrange(2):
            roll = rng.randrange(100) + (skill - 100) // 3
            rating = 5 if roll >= 55 else 4 if roll >= 25 else 3 if roll >= 10 else 2 if roll >= 4 else 1
        self.log(Activity(self.person.id, "chat", started, duration, "done", rating))
        if not chance(rng, scaled(120, skill, 250)):
            return
        reply = max(3, rng.randint(5, 120) * 100 // max(skill, 1))
        if chance(rng, 80):
            reply += rng.randint(300, 900)  # the chat queue was long
        lead = Lead(self.person.id, started, started + dt.timedelta(seconds=reply), "chat", "qualified")
        if self.in_quarter(started):
            self.leads.append(lead)
        if chance(rng, 250):
            lead.status = "junk"
            return
        if not chance(rng, scaled(400, skill, 800)):
            return
        lead.status = "converted"
        created = started + dt.timedelta(seconds=duration)
        amount = rng.randrange(rub(5_000), rub(60_000))  # shop orders come with kopecks
        self.open_deal(Client(), created, amount, 700, (0, 5), True, "new", lead)

    def existing_clients(self, day: dt.date, skill: int) -> None:
        rng = self.rng
        profile = self.person.profile
        for client in list(self.person.portfolio):
            if chance(rng, scaled(profile.repeat_deal_per_client, skill)):
                upsell = chance(rng, 350)
                amount = rub(rng.randrange(50_000, 400_001, 1000) if upsell else rng.randrange(30_000, 250_001, 1000))
                self.open_deal(
                    client,
                    self.work_time(day),
                    amount,
                    scaled(650, skill, 900),
                    (3, 30),
                    False,
                    "upsell" if upsell else "repeat",
                )
        if chance(rng, profile.referral_deal):
            client = Client()
            amount = rub(rng.randrange(50_000, 300_001, 1000))
            deal = self.open_deal(client, self.work_time(day), amount, 600, (5, 30), True, "new")
            if deal.stage == "won":
                self.person.portfolio.append(client)


# --------------------------------------------------------------------------------------------
# Targets


# Monthly targets of an average month at full strength, per role.
REVENUE_TARGET_RUB = {
    "cold": 750_000,
    "inbound": 950_000,
    "account": 1_000_000,
    "chat": 300_000,
    "base": 550_000,
    "head": 250_000,
}
NEW_CLIENTS_TARGET = {"cold": 3, "inbound": 7, "chat": 9, "base": 3}
UPSELL_TARGET_RUB = 400_000


def working_days(first: dt.date, last: dt.date) -> int:
    return sum(1 for offset in range((last - first).days + 1) if is_working_day(first + dt.timedelta(days=offset)))


def build_targets(seed: int, people: list[Person], quarter: Quarter) -> list[tuple[str, str, str, str]]:
    """Monthly and quarterly per-person targets, set by management before the quarter."""
    rng = random.Random(f"kpilang-demo/{seed}/targets")
    rows: list[tuple[str, str, str, str]] = []
    money: dict[tuple[str, str, str], int] = {}  # (person, period, name) -> kopecks
    counts: dict[tuple[str, str, str], int] = {}
    for person in people:
        ambition = rng.randint(85, 115)  # percent; past results move a person's plan up or down
        for year, month in quarter.months:
            period = f"{year}-{month:02d}"
            first, last = dt.date(year, month, 1), last_day_of_month(year, month)
            if person.hired_at > last:
                continue
            # The month a person joins is planned pro rata to the working days left in it.
            share = working_days(max(first, person.hired_at), last) * 100 // max(1, working_days(first, last))
            seasonal = MONTH_LOAD.get(month, 100)
            revenue = REVENUE_TARGET_RUB[person.role] * ambition * seasonal * share // 1_000_000
            money[(person.id, period, "revenue")] = rub(max(10_000, revenue // 10_000 * 10_000))
            if person.role in NEW_CLIENTS_TARGET:
                base = NEW_CLIENTS_TARGET[person.role] * ambition * share // 10_000
                counts[(person.id, period, "new_clients")] = max(1, base)
            if person.role == "account":
                upsell = UPSELL_TARGET_RUB * ambition * share // 10_000
                money[(person.id, period, "upsell")] = rub(max(10_000, upsell // 10_000 * 10_000))
    # A quarterly revenue plan is the sum of the monthly ones.
    for (person_id, _period, name), value in list(money.items()):
        if name == "revenue":
            key = (person_id, quarter.label, "revenue")
            money[key] = money.get(key, 0) + value
    # A head's team plan is the sum of the revenue plans of everyone in the team, head included.
    team_of = {person.id: person.team for person in people}
    head_of = {person.team: person.id for person in people if person.role == "head"}
    for (person_id, period, name), value in list(money.items()):
        if name == "revenue":
            key = (head_of[team_of[person_id]], period, "team_revenue")
            money[key] = money.get(key, 0) + value
    for (person_id, period, name), value in money.items():
        rows.append((person_id, period, name, money_text(value)))
    for (person_id, period, name), value in counts.items():
        rows.append((person_id, period, name, str(value)))
    return sorted(rows, key=lambda row: (row[1], row[2], row[0]))


# --------------------------------------------------------------------------------------------
# Dirty rows: a few stable, documented problems that a loader must report (see README.md).
# Rows are identified by their position after sorting, so ids and lines do not depend on the seed.

DUPLICATE_ACTIVITY_INDEX = 100  # activity a000100 is exported twice
BAD_DATE_ACTIVITY_INDEX = 200  # activity a000200 has its date typed by hand: dd.mm.yyyy HH:MM
NEGATIVE_DEAL_INDEX = 20  # deal d000020 is a refund typed as a negative amount
LOCALE_MONEY_DEAL_INDEX = 30  # deal d000030 has its amount as a spreadsheet shows it: 1 234,50
UNKNOWN_MANAGER_LEAD_INDEX = 30  # lead l000030 belongs to a manager missing from managers.csv


def numbered(prefix: str, index: int) -> str:
    return f"{prefix}{index:0{ID_WIDTH}d}"


# The kinds of dirty rows above; a CRM shape of the demo that cannot hold one of them (a typed
# API field cannot hold a hand-typed date) leaves it out, see examples/crm_shapes.py.
DIRTY_KINDS = frozenset({"duplicate_activity", "bad_date_activity", "unknown_manager_lead", "negative_deal", "locale_money_deal"})


def activity_rows(activities: list[Activity], dirty: frozenset[str] = DIRTY_KINDS) -> list[list[str]]:
    rows = [
        [
            "",
            a.manager_id,
            a.type,
            timestamp_text(a.started_at),
            str(a.duration),
            a.status,
            "" if a.rating is None else str(a.rating),
            "" if a.client is None else a.client.id,
        ]
        for a in activities
    ]
    # By time first; the other columns only break ties, so equal keys mean equal rows.
    rows.sort(key=lambda row: (row[3], row[1], row[2], row[4], row[5], row[6], row[7]))
    for index, row in enumerate(rows, start=1):
        row[0] = numbered("a", index)
    if "bad_date_activity" in dirty and len(rows) >= BAD_DATE_ACTIVITY_INDEX:
        bad = rows[BAD_DATE_ACTIVITY_INDEX - 1]
        moment = dt.datetime.fromisoformat(bad[3][: -len(MOSCOW_OFFSET)])
        bad[3] = moment.strftime("%d.%m.%Y %H:%M")
    if "duplicate_activity" in dirty and len(rows) >= DUPLICATE_ACTIVITY_INDEX:
        # A paged CRM export delivered the same row twice.
        rows.insert(DUPLICATE_ACTIVITY_INDEX, list(rows[DUPLICATE_ACTIVITY_INDEX - 1]))
    return rows


def lead_rows(leads: list[Lead], dirty: frozenset[str] = DIRTY_KINDS) -> list[list[str]]:
    leads = sorted(
        leads,
        key=lambda lead: (
            lead.created_at,
            lead.manager_id,
            timestamp_text(lead.first_response_at),
            lead.source,
            lead.status,
        ),
    )
    rows = []
    for index, lead in enumerate(leads, start=1):
        lead.id = numbered("l", index)
        rows.append(
            [
                lead.id,
                lead.manager_id,
                timestamp_text(lead.created_at),
                timestamp_text(lead.first_response_at),
                lead.source,
                lead.status,
            ]
        )
    if "unknown_manager_lead" in dirty and len(rows) >= UNKNOWN_MANAGER_LEAD_INDEX:
        rows[UNKNOWN_MANAGER_LEAD_INDEX - 1][1] = UNKNOWN_MANAGER_ID
    return rows


def deal_rows(deals: list[Deal], dirty: frozenset[str] = DIRTY_KINDS, whole_roubles: bool = False) -> list[list[str]]:
    """Deal rows; `whole_roubles` drops the kopecks, as a CRM that keeps budgets in whole units does."""
    rows = []
    for index, deal in enumerate(deals, start=1):
        deal.id = numbered("d", index)
        amount = deal.amount // 100 * 100 if whole_roubles else deal.amount
        rows.append(
            [
                deal.id,
                deal.manager_id,
                deal.client.id,
                timestamp_text(deal.created_at),
                timestamp_text(deal.closed_at),
                deal.stage,
                money_text(amount),
                "true" if deal.is_new_client else "false",
                deal.deal_type,
                deal.lead.id if deal.lead is not None else "",
            ]
        )
    if len(rows) >= LOCALE_MONEY_DEAL_INDEX:
        if "negative_deal" in dirty:
            rows[NEGATIVE_DEAL_INDEX - 1][6] = "-" + rows[NEGATIVE_DEAL_INDEX - 1][6]
        if "locale_money_deal" in dirty:
            whole, fraction = rows[LOCALE_MONEY_DEAL_INDEX - 1][6].split(".")
            rows[LOCALE_MONEY_DEAL_INDEX - 1][6] = locale_money_text(int(whole) * 100 + int(fraction))
    return rows


# --------------------------------------------------------------------------------------------
# Putting it together


def generate(
    seed: int,
    people_count: int,
    quarter: Quarter,
    dirty: frozenset[str] = DIRTY_KINDS,
    whole_roubles: bool = False,
) -> dict[str, list[list[str]]]:
    """kpilang's five tables; `dirty` says which kinds of dirty rows to put in (all by default)."""
    people = build_people(seed, people_count, quarter)
    activities: list[Activity] = []
    leads: list[Lead] = []
    deals: list[Deal] = []
    snapshot = at(quarter.last_day + dt.timedelta(days=1), 9 * 3600)
    for person in people:
        simulation = Simulation(seed, person, quarter)
        simulation.run()
        activities += simulation.activities
        leads += simulation.leads
        deals += simulation.deals

    # The export holds the deals touched in the quarter: created or closed in it, or still open.
    deals = [
        deal
        for deal in deals
        if deal.created_at.date() >= quarter.first_day
        or deal.closed_at is None
        or quarter.first_day <= deal.closed_at.date() <= snapshot.date()
    ]
    deals.sort(
        key=lambda deal: (
            deal.created_at,
            deal.manager_id,
            deal.amount,
            deal.stage,
            timestamp_text(deal.closed_at),
            deal.deal_type,
        )
    )
    # Clients are numbered: first the portfolios as they stood, then new clients as they appear.
    number = 0
    for client in [client for person in people for client in person.portfolio] + [deal.client for deal in deals]:
        if client.number == 0:
            number += 1
            client.number = number
    for activity in activities:
        if activity.client is not None and activity.client.number == 0:
            number += 1
            activity.client.number = number

    managers = [
        [
            person.id,
            person.name,
            person.role,
            person.team,
            money_text(person.salary),
            person.hired_at.isoformat(),
            "" if person.portfolio_at_quarter_start is None else str(person.portfolio_at_quarter_start),
        ]
        for person in sorted(people, key=lambda person: person.id)
    ]
    leads_table = lead_rows(leads, dirty)  # before deals: deals refer to lead ids
    return {
        "managers": managers,
        "activities": activity_rows(activities, dirty),
        "leads": leads_table,
        "deals": deal_rows(deals, dirty, whole_roubles),
        "targets": [list(row) for row in build_targets(seed, people, quarter)],
    }


def write_tables(tables: dict[str, list[list[str]]], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        # CRLF line ends and minimal quoting, as in the specification's example data.
        with open(out / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(HEADERS[name])
            writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a deterministic demo CRM dataset for kpilang.")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--out", type=Path, required=True, help="directory to write the CSV files to")
    parser.add_argument("--people", type=int, default=240, help="number of people (default 240)")
    parser.add_argument("--quarter", default="2026-Q3", help="quarter to cover, like 2026-Q3 (default)")
    parser.add_argument(
        "--crm",
        type=Path,
        help="also write the same data as CRMs give it, into DIR/demo-bitrix24, DIR/demo-bitrix24-export and DIR/demo-amocrm",
    )
    args = parser.parse_args(argv)
    if not 12 <= args.people <= 9000:
        parser.error("--people must be between 12 and 9000")
    try:
        quarter = Quarter.parse(args.quarter)
    except ValueError as error:
        parser.error(str(error))
    write_tables(generate(args.seed, args.people, quarter), args.out)
    if args.crm is not None:
        write_crm_shapes(args.seed, args.people, quarter, args.crm)
    return 0


def write_crm_shapes(seed: int, people: int, quarter: Quarter, parent: Path) -> None:
    """The same quarter in each CRM shape, each with the dirty rows it can hold (crm_shapes.py)."""
    import crm_shapes  # beside this script; imported here so that the kpilang tables need nothing else

    for shape, writer in crm_shapes.WRITERS.items():
        tables = generate(
            seed,
            people,
            quarter,
            dirty=crm_shapes.SHAPE_DIRTY[shape],
            whole_roubles=crm_shapes.SHAPE_WHOLE_ROUBLES[shape],
        )
        writer(tables, HEADERS, parent / f"demo-{shape}", quarter.first_day, quarter.last_day)


if __name__ == "__main__":
    sys.exit(main())
