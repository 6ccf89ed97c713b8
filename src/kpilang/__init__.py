"""kpilang: sales KPI and bonus plans as code."""
