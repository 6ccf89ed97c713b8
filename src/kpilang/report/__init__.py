"""The head of sales' view: several periods at once (`periods`), the plan version in force for
each (`versions`), what a plan change costs and who loses (`compare`), and the report page and
workbook (`build`, `render`, `charts`)."""
