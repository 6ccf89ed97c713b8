"""Laying out a new plan folder from a ready plan: the plan and its libraries, the sample data,
the people and targets files to fill in, a README that says what goes where, and a `.gitignore`
that keeps people's data out of the plan's repository.

    otdel/
      cold_sales.kpi, lib/…     the plan and the libraries it imports (kept in git)
      README.md                 what goes where (kept in git)
      .gitignore                data, payouts, statements and secrets stay out of git
      data/                     the sample: a slice of the demo data, in kpilang's format
      people.csv, targets.csv   the people (with salaries) and their targets, to fill in

`people.csv` and `targets.csv` are in kpilang's own format (comma-separated, kpilang's column
names), so that they are read as they are: `people.csv` is the managers table (see
`data.discovery`). They start with a byte-order mark, so that Excel reads them as UTF-8; each
holds one example row, a person of the sample and that person's targets for the plan's first
period, which the user replaces.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from kpilang.bundled import rules_dir
from kpilang.messages import t
from kpilang.workspace.templates import (
    LeftOutRow,
    Template,
    TemplateError,
    demo_slice,
    get_template,
    without_rejected_rows,
)

PEOPLE_COLUMNS = ("id", "name", "role", "team", "salary", "crm_id")
"""The columns of people.csv: the managers table's required ones and the person's user id in the
CRM (for the CRM mappings' `person = "crm_id"`; an extra column elsewhere)."""
TARGETS_COLUMNS = ("manager_id", "period", "name", "value")

GITIGNORE = """\
# People's data stays out of this repository: salaries, CRM exports, payouts and statements are
# personal data. The plan, its libraries, README.md and this file are what git keeps.

# Data: the sample, your exports and the snapshots of `kpilang pull` (keep them under data/),
# the people and targets files wherever they are
data/
*.csv
*.tsv
*.xlsx
*.xls
*.jsonl
*.parquet
manifest.json

# Outputs: payouts (eval --format csv/json --out) and statements (explain --out). A file of
# these kinds that belongs in git (no one's data in it) is let in with a line such as !ci.json
*.json
*.html
*.pdf
payroll*
payouts*
statements/
выписки/
выплаты*

# Secrets: CRM tokens and webhook addresses
*.token
*webhook*
.env
"""


@dataclass(frozen=True)
class CreatedProject:
    directory: Path
    plan: Path
    files: tuple[Path, ...]
    """Every file written, relative to `directory`."""
    people: int
    """People in the sample data."""
    left_out: tuple[LeftOutRow, ...]
    """Rows of the demo slice that the data loader rejects, not copied."""


def create_project(name: str, directory: str | Path | None = None) -> CreatedProject:
    """Lay out a folder from template `name` in `directory` (default: a new folder named after the
    template). The folder must not exist or be empty."""
    template = get_template(name)
    dest = Path(directory) if directory is not None else Path(template.name)
    if dest.exists() and not dest.is_dir():
        raise TemplateError(t("init.not-a-folder", path=str(dest)),
                            t("init.not-a-folder-help", template=template.name))
    if dest.is_dir() and any(dest.iterdir()):
        raise TemplateError(t("init.not-empty", path=str(dest)),
                            t("init.not-empty-help", template=template.name, suggestion=f"{dest.resolve().name}_new"))
    # Everything is read and prepared first, so that a failure leaves no half-made folder.
    root = rules_dir().resolve()
    slice_ = demo_slice(template.roles, team_scope=template.scope == "team")
    data, left_out = without_rejected_rows(slice_.files, template.timezone)
    contents = {Path(template.path.name): template.path.read_bytes()}
    contents.update({lib.relative_to(root): lib.read_bytes() for lib in template.libraries})
    contents.update({Path("data") / f"{table}.csv": rows for table, rows in data.items()})
    person = example_person(data["managers"], template.roles)
    contents[Path("people.csv")] = excel_csv(PEOPLE_COLUMNS, [[person.get(c, "") for c in PEOPLE_COLUMNS]])
    contents[Path("targets.csv")] = excel_csv(TARGETS_COLUMNS, example_targets(data.get("targets", b""), template,
                                                                               person.get("id", "")))
    contents[Path("README.md")] = _readme(template, slice_.people, left_out).encode("utf-8")
    contents[Path(".gitignore")] = GITIGNORE.encode("utf-8")
    for relative, payload in contents.items():
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(payload)
    return CreatedProject(directory=dest, plan=dest / template.path.name, files=tuple(contents),
                          people=len(slice_.people), left_out=left_out)


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def example_person(managers: bytes, roles: tuple[str, ...]) -> dict[str, str]:
    """The first person of the sample with one of the plan's roles (an empty row if none)."""
    return next((row for row in _rows(managers) if row.get("role") in roles), {})


def example_targets(targets: bytes, template: Template, person: str) -> list[list[str]]:
    """`person`'s sample targets that the plan reads, for the first period of the plan's kind."""
    from kpilang.evaluate.period import PeriodError, parse_period

    rows = []
    for row in _rows(targets):
        try:
            kind = parse_period(row.get("period", "")).kind
        except PeriodError:
            continue
        if row.get("manager_id") == person and kind == template.period and row.get("name") in template.target_names:
            rows.append(row)
    first = min((row["period"] for row in rows), default=None)
    return [[row[c] for c in TARGETS_COLUMNS] for row in rows if row["period"] == first]


def excel_csv(header: tuple[str, ...], rows: list[list[str]]) -> bytes:
    """CSV as kpilang reads it (UTF-8, commas), with a byte-order mark so that Excel opens it as
    UTF-8, and Windows line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _readme(template: Template, people: tuple[str, ...], left_out: tuple[LeftOutRow, ...]) -> str:
    plan = template.path.name
    targets = ", ".join(f"`{name}`" for name in template.target_names) or "план целей из targets не читает"
    text = f"""# {template.label}

План `{plan}` из готовых шаблонов kpilang (роли: {", ".join(template.roles)}) и пример данных.

- `{plan}` — план: метрики, KPI, мотивация и тесты. Правьте его под свой отдел.
- `lib/` — общие метрики и таблицы, которые план подключает через `import`.
- `data/` — пример: выгрузка CRM в формате kpilang, срез демонстрационных данных за III квартал
  2026 года, {len(people)} сотрудников.
- `people.csv` и `targets.csv` — заготовки для ваших сотрудников и их целей (ниже — что куда).
- `.gitignore` — не пускает в репозиторий плана данные, выплаты, выписки и секреты.

Проверить и посчитать на примере:

```
kpilang lint {plan}
kpilang test {plan}
kpilang eval {plan} --data data --period 2026-07
kpilang explain {plan} --data data --period 2026-07 --out statements
```

## Ваши данные

Данные одного расчёта лежат в одной папке, например `data/2026-07/`:

- `people.csv` — сотрудники, по строке на человека: `id` — табельный номер (тот же, что в колонке
  `manager_id` выгрузки), `name` — ФИО, `role` — роль (этот план считает роли:
  {", ".join(template.roles)}), `team` — команда, `salary` — оклад в месяц (число с точкой, без
  пробелов: `63000.00`), `crm_id` — ID сотрудника в CRM (нужен, когда выгрузку CRM читают через
  `--source`; иначе оставьте пустым).
- `targets.csv` — цели, по строке на сотрудника, период и цель: `manager_id`, `period` (`2026-07`,
  `2026-Q3` или `2026-W27`), `name` (цели, которые читает план: {targets}), `value`.
- выгрузка CRM: `activities.csv`, `leads.csv`, `deals.csv` в формате kpilang (колонки — в описании
  формата данных, docs/data-format.md) или файлы самой CRM с `--source` (docs/crm/mapping.md).

`people.csv` и `targets.csv` здесь — заготовки со строкой-примером: сотрудник из примера и его цели.
Замените пример своими строками, скопируйте оба файла в папку расчёта к выгрузке и посчитайте:

```
kpilang eval {plan} --data data/2026-07 --period 2026-07
```

Копия в папке расчёта сохраняет оклады и цели, по которым он сделан: в каждой выписке внизу
указано начало SHA-256 каждого прочитанного файла, а `kpilang eval --format json` даёт хеши
полностью.

Файлы — CSV в UTF-8 с запятой-разделителем (первая строка — названия колонок, как выше). Excel
открывает их через «Данные → Из текстового/CSV-файла». Обычное «Сохранить как CSV» в русском Excel
ставит точку с запятой вместо запятой — такой файл kpilang не примет и скажет почему; сохраните
книгу как `people.xlsx` и `targets.xlsx`: kpilang читает и их (первый лист). В одной папке —
только один файл на таблицу.

Оклады — персональные данные. `.gitignore` держит вне git папку `data/`, все `.csv`, `.xlsx`,
`.json`, выплаты (`payroll*`, `payouts*`), выписки (`statements/`) и секреты (`*.token`,
`*webhook*`, `.env`): `git add .` добавит план, библиотеки и README, но не данные людей.

## Ошибки в данных

Когда в выгрузке есть ошибка (дубль строки, дата, набранная вручную, возврат, записанный
отрицательной сделкой, сумма с запятой), kpilang не угадывает и не пропускает строку молча: он
называет файл, строку, колонку и причину, а сотруднику, которого она касается, не считает премию,
пока данные не исправлены. И цели kpilang не придумывает: у кого нет цели за месяц, у того за этот
месяц ошибка, а сотрудник, принятый в середине квартала (колонка `hired_at`), за месяцы до приёма
не рассчитывается, с датой приёма в списке «не рассчитаны».
"""
    if left_out:
        text += """
В полной демонстрационной выгрузке такие ошибки сделаны нарочно. Строки с ними, относящиеся к этим
сотрудникам, в `data/` не скопированы, чтобы расчёт с первого запуска шёл по чистым данным:

"""
        for row in left_out:
            where = f"{row.table}.csv, строка {row.row_id}" + (f", колонка {row.column}" if row.column else "")
            shown = f" (значение `{row.value}`)" if row.value is not None else ""
            text += f"- {where}{shown}: {row.reason}\n"
    return text
