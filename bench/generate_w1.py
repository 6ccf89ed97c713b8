"""Generate the W1 benchmark dataset: one month (2026-07) of CRM data at scale, fast.

    python bench/generate_w1.py --out DIR [--scale 1] [--seed 1]

At scale 1: 10 000 people, 10 000 000 activities, 1 000 000 deals, 1 000 000 leads and their
targets, written as CSV in the same columns and formats as examples/generate_demo.py (clean data,
no dirty rows). Every table is one DuckDB `COPY (SELECT ... FROM range(n)) TO ...`, so ten
million rows take seconds.

Randomness comes from a hash of the row number, a per-column salt and the seed, written in plain
integer SQL (two squarings modulo the prime 2^31 - 1), not from random(): the output depends only
on the options, not on the DuckDB version, thread count or time of the run.
"""

from __future__ import annotations

import argparse
import sys
import time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import duckdb

MONTH_FIRST_DAY = "2026-07-01"
MONTH_DAYS = 31
# 2026-07-01 is a Wednesday; weekday numbers count from Monday = 0.
MONTH_FIRST_WEEKDAY = 2
PERIOD = "2026-07"
# The export is taken the morning after the month: deals not closed by then are open.
SNAPSHOT = "2026-08-01 09:00:00"

FULL_SIZE = {"managers": 10_000, "activities": 10_000_000, "deals": 1_000_000, "leads": 1_000_000}
TEAM_SIZE = 50
PORTFOLIO_SIZE = 30  # clients per account or base manager
HASH_PRIME = 2_147_483_647

# Members who are not heads of sales, by role, in percent: mostly cold callers, so that the
# normative cold-sales plan has most of the people to evaluate.
ROLE_SHARES = (("cold", 80), ("inbound", 8), ("account", 6), ("chat", 3), ("base", 3))

# What a person's activities are, by role, in percent.
ACTIVITY_MIX = {
    "cold": (("call", 75), ("email", 12), ("meeting", 6), ("task", 7)),
    "inbound": (("call", 45), ("email", 30), ("meeting", 5), ("task", 20)),
    "account": (("call", 40), ("email", 40), ("meeting", 8), ("task", 12)),
    "chat": (("chat", 90), ("task", 10)),
    "base": (("call", 55), ("email", 15), ("meeting", 5), ("chat", 15), ("task", 10)),
    "head": (("call", 25), ("email", 35), ("meeting", 25), ("task", 15)),
}

# Fixed monthly salary in roubles: lowest, highest, drawn in steps of 1 000.
SALARY_RANGE_RUB = {
    "head": (110_000, 150_000),
    "cold": (45_000, 75_000),
    "inbound": (50_000, 70_000),
    "account": (70_000, 110_000),
    "chat": (45_000, 60_000),
    "base": (50_000, 85_000),
}

# Deal amounts in roubles: lowest, step, number of steps.
DEAL_AMOUNT_RUB = {
    "cold": (60_000, 500, 781),
    "inbound": (20_000, 100, 2301),
    "account": (30_000, 1000, 371),
    "base": (40_000, 500, 621),
    "head": (300_000, 10_000, 121),
}
# Online shop orders come with kopecks: 5 000.00 to 59 999.99 roubles.
CHAT_DEAL_KOPECKS = (500_000, 5_500_000)

# Monthly targets of an average person, by role; each person's is 80-120 % of it.
# They are set near what an average person of the role reaches in this data, so attainment
# spreads around 100 %.
REVENUE_TARGET_RUB = {
    "cold": 6_000_000,
    "inbound": 3_000_000,
    "account": 5_000_000,
    "chat": 800_000,
    "base": 4_500_000,
    "head": 21_000_000,
}
NEW_CLIENTS_TARGET = {"cold": 24, "inbound": 22, "chat": 24, "base": 16}
UPSELL_TARGET_RUB = 1_500_000

# Activity load by weekday (Monday first): weekdays busy, weekends near empty.
WEEKDAY_WEIGHT = (20, 20, 20, 20, 17, 2, 1)

MALE_FIRST_NAMES = ("Александр", "Алексей", "Андрей", "Дмитрий", "Иван", "Максим", "Михаил", "Сергей")
FEMALE_FIRST_NAMES = ("Анна", "Дарья", "Елена", "Ирина", "Мария", "Наталья", "Ольга", "Татьяна")
# Every surname here takes its feminine form by adding "а".
SURNAMES = ("Иванов", "Петров", "Смирнов", "Кузнецов", "Соколов", "Попов", "Лебедев", "Козлов", "Новиков", "Морозов")


def sql_list(values: tuple | list) -> str:
    items = ", ".join(f"'{v}'" if isinstance(v, str) else str(v) for v in values)
    return f"[{items}]"


def pick(roll: str, shares: tuple[tuple[str, int], ...]) -> str:
    """SQL choosing a name by a roll in 0..99 against cumulative percent shares."""
    branches, bound = [], 0
    for name, share in shares[:-1]:
        bound += share
        branches.append(f"WHEN {roll} < {bound} THEN '{name}'")
    return f"CASE {' '.join(branches)} ELSE '{shares[-1][0]}' END"


def by_role(role: str, choices: dict[str, str], default: str = "NULL") -> str:
    branches = " ".join(f"WHEN '{name}' THEN {expression}" for name, expression in choices.items())
    return f"CASE {role} {branches} ELSE {default} END"


def kopecks_text(kopecks: str) -> str:
    """Exact money text with two decimals from an integer number of kopecks (never a float)."""
    return f"(({kopecks}) // 100)::VARCHAR || '.' || lpad((({kopecks}) % 100)::VARCHAR, 2, '0')"


def timestamp_text(moment: str) -> str:
    return f"strftime({moment}, '%Y-%m-%dT%H:%M:%S') || '+03:00'"


def padded(prefix: str, number: str, width: int) -> str:
    return f"'{prefix}' || lpad(({number})::VARCHAR, {width}, '0')"


class Generator:
    def __init__(self, out: Path, scale: Decimal, seed: int):
        self.out = out
        self.seed = seed
        self.size = {
            table: max(2 if table == "managers" else 1, int((scale * full).to_integral_value(ROUND_HALF_UP)))
            for table, full in FULL_SIZE.items()
        }
        self.db = duckdb.connect()
        self.db.execute("SET enable_progress_bar = false")
        # Keep rows in range() order when writing, so the files are the same on every run.
        self.db.execute("SET preserve_insertion_order = true")
        self.define_macros()

    def define_macros(self) -> None:
        people = self.size["managers"]
        seed = self.seed
        p = HASH_PRIME
        # rnd(n, salt): a pseudo-random integer in [0, 2^31 - 1) for row n and column salt.
        # x -> x^2 + c modulo a prime is non-linear, which a plain linear congruence is not;
        # every product stays below 2^62, so BIGINT arithmetic never overflows.
        self.db.execute(f"CREATE MACRO square_mix(x) AS (x * x + 1013904223) % {p}")
        self.db.execute(
            f"CREATE MACRO rnd(n, salt) AS "
            f"square_mix(square_mix((n * 48271 + salt * 69621 + {seed} * 40692 + 12345) % {p}))"
        )
        member_role = pick(f"rnd(person, 1) % 100", ROLE_SHARES)
        # The first person of every team of TEAM_SIZE is its head of sales.
        self.db.execute(
            f"CREATE MACRO role_of(person) AS "
            f"CASE WHEN (person - 1) % {TEAM_SIZE} = 0 THEN 'head' ELSE {member_role} END"
        )
        self.db.execute(f"CREATE MACRO manager_id(person) AS {padded('m', 'person', 5)}")
        self.db.execute(f"CREATE MACRO person_of(n, salt) AS 1 + rnd(n, salt) % {people}")
        day_slots = [
            day for day in range(MONTH_DAYS) for _ in range(WEEKDAY_WEIGHT[(MONTH_FIRST_WEEKDAY + day) % 7])
        ]
        self.db.execute(
            f"CREATE MACRO weighted_day(roll) AS "
            f"list_element({sql_list(day_slots)}, 1 + (roll) % {len(day_slots)})"
        )
        self.db.execute(f"CREATE MACRO month_day(day, seconds) AS "
                        f"TIMESTAMP '{MONTH_FIRST_DAY} 00:00:00' + to_days(day) + to_seconds(seconds)")

    def copy(self, table: str, query: str) -> None:
        started = time.perf_counter()
        path = self.out / f"{table}.csv"
        # CRLF line ends, as in the specification's example data and the demo generator.
        result = self.db.execute(f"COPY ({query}) TO '{path}' (HEADER, DELIMITER ',', NEW_LINE '\\r\\n')")
        rows = result.fetchone()[0]
        print(f"{table}.csv: {rows:,} rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    # ---- tables

    def managers_query(self) -> str:
        first_male, first_female = sql_list(MALE_FIRST_NAMES), sql_list(FEMALE_FIRST_NAMES)
        surnames = sql_list(SURNAMES)
        salary = by_role(
            "role",
            {
                role: f"{low} + rnd(person, 3) % {(high - low) // 1000 + 1} * 1000"
                for role, (low, high) in SALARY_RANGE_RUB.items()
            },
        )
        return f"""
            SELECT
                manager_id(person) AS id,
                CASE WHEN rnd(person, 2) % 2 = 0
                    THEN list_element({first_male}, 1 + rnd(person, 4) % {len(MALE_FIRST_NAMES)})
                         || ' ' || list_element({surnames}, 1 + rnd(person, 5) % {len(SURNAMES)})
                    ELSE list_element({first_female}, 1 + rnd(person, 4) % {len(FEMALE_FIRST_NAMES)})
                         || ' ' || list_element({surnames}, 1 + rnd(person, 5) % {len(SURNAMES)}) || 'а'
                END AS name,
                role,
                {padded('team', f'(person - 1) // {TEAM_SIZE} + 1', 3)} AS team,
                ({salary})::VARCHAR || '.00' AS salary,
                -- about 3 % of the members join during the month
                CASE WHEN role <> 'head' AND rnd(person, 6) % 100 < 3
                    THEN DATE '{MONTH_FIRST_DAY}' + (rnd(person, 7) % 25)::INTEGER
                    ELSE DATE '2019-01-01' + (rnd(person, 7) % 2700)::INTEGER
                END AS hired_at,
                CASE WHEN role IN ('account', 'base') THEN {PORTFOLIO_SIZE} END AS portfolio_clients
            FROM (SELECT range + 1 AS person, role_of(range + 1) AS role FROM range({self.size['managers']}))
        """

    def activities_query(self) -> str:
        activity_type = by_role("role", {role: pick("rnd(n, 12) % 100", mix) for role, mix in ACTIVITY_MIX.items()})
        return f"""
            WITH typed AS (
                SELECT n, person, role, {activity_type} AS type,
                       rnd(n, 16) % 100 AS status_roll
                FROM (SELECT range AS n, person_of(range, 11) AS person, role_of(person_of(range, 11)) AS role
                      FROM range({self.size['activities']}))
            ), with_status AS (
                SELECT *,
                    CASE type
                        WHEN 'meeting' THEN CASE WHEN status_roll < 80 THEN 'done'
                                                 WHEN status_roll < 92 THEN 'cancelled' ELSE 'planned' END
                        WHEN 'task' THEN CASE WHEN status_roll < 8 THEN 'overdue' ELSE 'done' END
                        WHEN 'chat' THEN CASE WHEN status_roll < 5 THEN 'missed' ELSE 'done' END
                        ELSE 'done'
                    END AS status
                FROM typed
            )
            SELECT
                {padded('a', 'n + 1', 8)} AS id,
                manager_id(person) AS manager_id,
                type,
                {timestamp_text(
                    "month_day(weighted_day(rnd(n, 13)), "
                    "CASE WHEN type = 'chat' THEN 9 * 3600 + rnd(n, 20) % (12 * 3600) "
                    "ELSE 9 * 3600 + rnd(n, 20) % (10 * 3600) END)"
                )} AS started_at,
                CASE
                    WHEN type = 'call' THEN CASE WHEN rnd(n, 14) % 100 < 15 THEN 0
                                                 WHEN rnd(n, 14) % 100 < 35 THEN 5 + rnd(n, 15) % 55
                                                 ELSE 60 + rnd(n, 15) % 840 END
                    WHEN type = 'meeting' THEN CASE status WHEN 'done' THEN 1800 + rnd(n, 15) % 13 * 300
                                                           WHEN 'planned' THEN 3600 ELSE 0 END
                    WHEN type = 'chat' AND status = 'done' THEN 60 + rnd(n, 15) % 1200
                    ELSE 0
                END AS duration,
                status,
                CASE WHEN type = 'chat' AND status = 'done' AND rnd(n, 17) % 2 = 0 THEN
                    CASE WHEN rnd(n, 18) % 100 < 45 THEN 5 WHEN rnd(n, 18) % 100 < 75 THEN 4
                         WHEN rnd(n, 18) % 100 < 88 THEN 3 WHEN rnd(n, 18) % 100 < 95 THEN 2 ELSE 1 END
                END AS rating,
                CASE WHEN type IN ('call', 'email', 'meeting')
                          AND (role = 'account' OR (role = 'base' AND rnd(n, 19) % 10 < 4))
                    THEN {padded('c', 'person', 5)} || '-' || lpad((rnd(n, 21) % {PORTFOLIO_SIZE})::VARCHAR, 2, '0')
                END AS client_id
            FROM with_status
        """

    def deals_query(self) -> str:
        amount = by_role(
            "role",
            {
                role: f"({low} + rnd(n, 26) % {steps} * {step}) * 100"
                for role, (low, step, steps) in DEAL_AMOUNT_RUB.items()
            }
            | {"chat": f"{CHAT_DEAL_KOPECKS[0]} + rnd(n, 26) % {CHAT_DEAL_KOPECKS[1]}"},
        )
        new_client = by_role(
            "role", {"account": "rnd(n, 27) % 100 < 10", "base": "rnd(n, 27) % 100 < 70"}, default="true"
        )
        return f"""
            WITH drawn AS (
                SELECT n, person, role,
                    -- created in June or July, in working hours
                    TIMESTAMP '{MONTH_FIRST_DAY} 10:00:00' + to_days(rnd(n, 22) % 61 - 30)
                        + to_seconds(rnd(n, 23) % (9 * 3600)) AS created,
                    rnd(n, 24) % 100 AS outcome_roll,
                    rnd(n, 25) % 1000 AS boundary_roll,
                    {new_client} AS is_new_client
                FROM (SELECT range AS n, person_of(range, 20) AS person, role_of(person_of(range, 20)) AS role
                      FROM range({self.size['deals']}))
            ), closed AS (
                SELECT *,
                    CASE
                        -- the month-end rush: won late on the last day, or just after midnight
                        WHEN outcome_roll < 45 AND boundary_roll < 20
                            THEN TIMESTAMP '2026-07-31 23:30:00' + to_seconds(rnd(n, 28) % 1800)
                        WHEN outcome_roll < 45 AND boundary_roll < 30
                            THEN TIMESTAMP '2026-08-01 00:00:00' + to_seconds(rnd(n, 28) % 1800)
                        WHEN outcome_roll < 45 AND boundary_roll < 40 AND created < TIMESTAMP '2026-06-30 00:00:00'
                            THEN TIMESTAMP '2026-06-30 23:30:00' + to_seconds(rnd(n, 28) % 1800)
                        ELSE created + to_days(rnd(n, 29) % 30) + to_seconds(3600 + rnd(n, 28) % (5 * 3600))
                    END AS closed_moment
                FROM drawn
            ), staged AS (
                SELECT *,
                    CASE WHEN outcome_roll >= 75 OR closed_moment > TIMESTAMP '{SNAPSHOT}' THEN 'open'
                         WHEN outcome_roll < 45 THEN 'won' ELSE 'lost' END AS stage
                FROM closed
            )
            SELECT
                {padded('d', 'n + 1', 7)} AS id,
                manager_id(person) AS manager_id,
                CASE WHEN is_new_client THEN {padded('c', 'n + 1', 9)}
                     ELSE {padded('c', 'person', 5)} || '-' || lpad((rnd(n, 30) % {PORTFOLIO_SIZE})::VARCHAR, 2, '0')
                END AS client_id,
                {timestamp_text('created')} AS created_at,
                CASE WHEN stage <> 'open' THEN {timestamp_text('closed_moment')} END AS closed_at,
                stage,
                {kopecks_text(amount)} AS amount,
                is_new_client,
                CASE WHEN is_new_client THEN 'new' WHEN rnd(n, 31) % 100 < 35 THEN 'upsell' ELSE 'repeat' END
                    AS deal_type,
                NULL::VARCHAR AS lead_id
            FROM staged
        """

    def leads_query(self) -> str:
        routed_source = pick("rnd(n, 34) % 100", (("site", 50), ("call", 25), ("partner", 15), ("chat", 10)))
        return f"""
            WITH drawn AS (
                SELECT n, person, role,
                    month_day(
                        weighted_day(rnd(n, 32)),
                        -- around the clock, mostly in the daytime
                        CASE WHEN rnd(n, 33) % 10 < 9 THEN 8 * 3600 + rnd(n, 35) % (14 * 3600)
                             ELSE rnd(n, 35) % (24 * 3600) END
                    ) AS created,
                    {by_role('role', {'cold': "'call'", 'chat': "'chat'"}, default=routed_source)} AS source,
                    rnd(n, 36) % 100 AS answer_roll,
                    rnd(n, 37) % 100 AS status_roll
                FROM (SELECT range AS n, person_of(range, 31) AS person, role_of(person_of(range, 31)) AS role
                      FROM range({self.size['leads']}))
            ), answered AS (
                SELECT *,
                    CASE
                        WHEN answer_roll < 5 THEN NULL
                        WHEN role = 'cold' THEN created
                        WHEN source = 'chat' THEN created + to_seconds(5 + rnd(n, 38) % 300)
                        ELSE created + to_seconds(60 + rnd(n, 38) % 7200)
                    END AS first_response
                FROM drawn
            )
            SELECT
                {padded('l', 'n + 1', 7)} AS id,
                manager_id(person) AS manager_id,
                {timestamp_text('created')} AS created_at,
                CASE WHEN first_response IS NOT NULL THEN {timestamp_text('first_response')} END
                    AS first_response_at,
                source,
                CASE WHEN first_response IS NULL THEN 'new'
                     WHEN status_roll < 25 THEN 'junk'
                     WHEN status_roll < 70 THEN 'qualified'
                     ELSE 'converted' END AS status
            FROM answered
        """

    def targets_query(self) -> str:
        revenue_rub = by_role(
            "role",
            {
                role: f"{rub} * (80 + rnd(person, 40) % 41) // 100 // 10000 * 10000"
                for role, rub in REVENUE_TARGET_RUB.items()
            },
        )
        new_clients = by_role(
            "role",
            {role: f"{count} * (80 + rnd(person, 41) % 41) // 100" for role, count in NEW_CLIENTS_TARGET.items()},
        )
        upsell_rub = f"{UPSELL_TARGET_RUB} * (80 + rnd(person, 42) % 41) // 100 // 10000 * 10000"
        return f"""
            WITH people AS (
                SELECT range + 1 AS person, role_of(range + 1) AS role, range // {TEAM_SIZE} AS team
                FROM range({self.size['managers']})
            ), plans AS (
                SELECT person, role, team, {revenue_rub} AS revenue_rub, {new_clients} AS new_clients,
                       CASE WHEN role = 'account' THEN {upsell_rub} END AS upsell_rub
                FROM people
            ), rows AS (
                SELECT person, 'revenue' AS name, revenue_rub::VARCHAR || '.00' AS value FROM plans
                UNION ALL
                SELECT person, 'new_clients', new_clients::VARCHAR FROM plans WHERE new_clients IS NOT NULL
                UNION ALL
                SELECT person, 'upsell', upsell_rub::VARCHAR || '.00' FROM plans WHERE upsell_rub IS NOT NULL
                UNION ALL
                -- a head's team plan: the revenue plans of everyone in the team, head included
                SELECT min(person), 'team_revenue', sum(revenue_rub)::VARCHAR || '.00' FROM plans GROUP BY team
            )
            SELECT manager_id(person) AS manager_id, '{PERIOD}' AS period, name, value
            FROM rows
            ORDER BY period, name, manager_id
        """

    def run(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        self.copy("managers", self.managers_query())
        self.copy("activities", self.activities_query())
        self.copy("leads", self.leads_query())
        self.copy("deals", self.deals_query())
        self.copy("targets", self.targets_query())


def parse_scale(text: str) -> Decimal:
    try:
        scale = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"--scale takes a number such as 0.01, not {text!r}") from None
    if not (Decimal(0) < scale <= Decimal(10)):
        raise argparse.ArgumentTypeError("--scale must be above 0 and at most 10")
    return scale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the W1 benchmark dataset (one month, 2026-07).")
    parser.add_argument("--out", type=Path, required=True, help="directory to write the CSV files to")
    parser.add_argument(
        "--scale", type=parse_scale, default=Decimal(1), help="fraction of the full size, e.g. 0.01 (default 1)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the pseudo-random columns (default 1)")
    args = parser.parse_args(argv)
    if not 0 <= args.seed < 2**31:
        parser.error("--seed must be between 0 and 2147483647")
    started = time.perf_counter()
    Generator(args.out, args.scale, args.seed).run()
    print(f"W1 data in {args.out}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
