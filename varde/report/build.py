"""Build a `Report`: every figure, table and series of one quarter's report, computed once from `CaseFact`s.

Renderers (`render.py`) only lay out what is here, so HTML, PDF, CSV/XLSX and the workbench show the same numbers.
Access is applied first: with `districts` given, only cases placed in those districts are counted at all."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from varde.report.darkfigure import DarkFigure, dark_figure_for_quarter
from varde.report.facts import CaseFact, visible_facts
from varde.report.forecast import Forecast, forecast_series
from varde.report.precision import FlagFact, observed_precision
from varde.report.quarters import parse_quarter, quarter_of, quarter_range, shift_quarter
from varde.report.stats import (
    DIMENSION_LABELS,
    METRIC_LABELS,
    METRICS,
    Comparison,
    QuarterStats,
    breakdown,
    compare,
    fact_events,
)
from varde.report.timetoaction import MEASURE_LABELS, MEASURES, TimeRow, time_to_action
from varde.vocab import DISTRICTS_DK, DISTRICTS_NO, REGIONS_SE

Cell = str | int | float | None
BREAKDOWNS: tuple[str, ...] = (
    "district_no",
    "region_se",
    "district_dk",
    "violence_type",
    "platform",
    "network",
    "source",
)
COUNTRY_DIMENSIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "NO": ("district_no", DISTRICTS_NO),
    "SE": ("region_se", REGIONS_SE),
    "DK": ("district_dk", DISTRICTS_DK),
}
HISTORY_QUARTERS = 8  # shown in charts and the time-to-action history
FORECAST_HISTORY = 20  # at most this many quarters feed the forecast
TOP_N = 10
MODELS_SHOWN = 12  # log-linear models listed (of up to 64 with four sources)


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table; `key` names its CSV file and XLSX sheet."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class Report:
    quarter: str
    generated_at: datetime
    scope: tuple[str, ...] | None
    n_cases: int  # cases that count in any figure of `quarter` (in scope, in the quarter)
    headline: tuple[Comparison, ...]
    history: tuple[str, ...]
    series: dict[str, tuple[int, ...]]
    district_figures: dict[str, dict[str, int]]  # Norway's districts (as country_figures["NO"])
    dark: DarkFigure
    time_rows: tuple[TimeRow, ...]
    forecasts: tuple[Forecast, ...]
    top_networks: tuple[tuple[str, int], ...]
    backmen: tuple[tuple[str, int], ...]
    tables: tuple[Table, ...] = field(default=())
    # country → district → figures in `quarter`, for each country with a district in scope (every such district)
    country_figures: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    audit_head: tuple[int, str] | None = None  # the audit chain's head (seq, hash) when built: a checkpoint kept apart

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    @property
    def national(self) -> Forecast | None:
        return next((f for f in self.forecasts if f.group == "all"), None)


def build_report(
    facts: Iterable[CaseFact],
    quarter: str,
    *,
    districts: Collection[str] | None = None,
    as_of: datetime | None = None,
    backmen: Sequence[tuple[str, int]] = (),
    seed: int = 0,
    audit_head: tuple[int, str] | None = None,
    flags: Iterable[FlagFact] = (),
) -> Report:
    """Everything in the report for `quarter`, over the cases the user may see (`districts`; None = all).

    `as_of` (default now) decides whether an unanswered deadline has passed; `backmen` is a ranked list of
    (name, orders) from the network analysis, shown when given."""
    parse_quarter(quarter)
    as_of = as_of or datetime.now(UTC)
    scope = tuple(sorted(districts)) if districts is not None else None
    cases = visible_facts(facts, districts)
    stats = QuarterStats(cases)
    history = tuple(quarter_range(shift_quarter(quarter, -(HISTORY_QUARTERS - 1)), quarter))
    series = {metric: tuple(stats.series(metric, list(history))) for metric in METRICS}
    shown_districts = [d for d in DISTRICTS_NO if scope is None or d in scope]
    country_figures = {
        country: {
            district: {m: stats.counts(quarter, dimension, district).get(m) for m in METRICS}
            for district in names
            if scope is None or district in scope
        }
        for country, (dimension, names) in COUNTRY_DIMENSIONS.items()
    }
    country_figures = {country: rows for country, rows in country_figures.items() if rows}
    district_figures = country_figures.get("NO", {})
    dark = dark_figure_for_quarter(cases, quarter)
    in_quarter = [fact for fact in cases if quarter_of(fact.first_post_at) == quarter]
    time_rows = tuple(
        row
        for row in time_to_action(cases, list(history), as_of, districts=shown_districts)
        if row.district == "all" or row.quarter == quarter
    )
    forecasts = _forecasts(stats, quarter, shown_districts, seed)
    network_counts = Counter(
        network for fact in in_quarter if fact.status not in ("dismissed", "merged") for network in fact.networks
    )
    top_networks = tuple(sorted(network_counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_N])
    report = Report(
        quarter=quarter,
        generated_at=as_of,
        scope=scope,
        n_cases=sum(any(q == quarter for _, q, _ in fact_events(fact)) for fact in cases),
        headline=tuple(compare(stats, quarter)),
        history=history,
        series=series,
        district_figures=district_figures,
        dark=dark,
        time_rows=time_rows,
        forecasts=forecasts,
        top_networks=top_networks,
        backmen=tuple(backmen[:TOP_N]),
        country_figures=country_figures,
        audit_head=audit_head,
    )
    tables = (*_tables(report, stats), _precision_table(flags, quarter, scope))
    return Report(**{**report.__dict__, "tables": tables})


def _precision_table(flags: Iterable[FlagFact], quarter: str, scope: tuple[str, ...] | None) -> Table:
    """Observed precision per district: the share of the quarter's flags that analysts confirmed."""
    visible = [f for f in flags if scope is None or f.district in scope]
    return Table(
        "observed_precision",
        f"Observed precision, flags posted in {quarter}",
        ("District", "Flags", "Judged by analysts", "Confirmed", "Observed precision %"),
        tuple(
            (
                row.district,
                row.flags,
                row.judged,
                row.confirmed,
                _round(None if row.precision is None else 100 * row.precision),
            )
            for row in observed_precision(visible, quarter)
        ),
        note="Share of the detector's flags that analysts confirmed as orders, among the flags they judged; "
        "unjudged flags are counted in Flags only.",
    )


def _forecasts(stats: QuarterStats, quarter: str, districts: Sequence[str], seed: int) -> tuple[Forecast, ...]:
    known = sorted(q for q in stats.quarters if q <= quarter)
    if not known:
        return ()
    first = max(known[0], shift_quarter(quarter, -(FORECAST_HISTORY - 1)))
    quarters = quarter_range(first, quarter)
    out = []
    for group, dimension in (("all", "all"), *((d, "district_no") for d in districts)):
        counts = stats.series("unique_orders", quarters, dimension, group)
        forecast = forecast_series(group, quarters, counts, seed=seed)
        if forecast is not None:
            out.append(forecast)
    return tuple(out)


def _pct(value: float | None) -> Cell:
    return None if value is None else round(100 * value, 1)


def _round(value: float | None, digits: int = 1) -> Cell:
    return None if value is None else round(value, digits)


def _tables(report: Report, stats: QuarterStats) -> tuple[Table, ...]:
    q = report.quarter
    tables = [
        Table(
            "headline",
            f"Headline figures, {q}",
            ("Figure", q, shift_quarter(q, -1), "Change QoQ %", shift_quarter(q, -4), "Change YoY %"),
            tuple(
                (METRIC_LABELS[c.metric], c.current, c.previous, _pct(c.change_qoq), c.year_ago, _pct(c.change_yoy))
                for c in report.headline
            ),
        ),
        Table(
            "history",
            "Figures by quarter",
            ("Quarter", *(METRIC_LABELS[m] for m in METRICS)),
            tuple((hq, *(report.series[m][i] for m in METRICS)) for i, hq in enumerate(report.history)),
        ),
    ]
    for dimension in BREAKDOWNS:
        rows = []
        for value, counts in breakdown(stats, q, dimension):
            before = stats.counts(shift_quarter(q, -1), dimension, value).unique_orders
            year_ago = stats.counts(shift_quarter(q, -4), dimension, value).unique_orders
            change_qoq = None if before == 0 else (counts.unique_orders - before) / before
            change_yoy = None if year_ago == 0 else (counts.unique_orders - year_ago) / year_ago
            rows.append((value, *(counts.get(m) for m in METRICS), _pct(change_qoq), _pct(change_yoy)))
        if dimension == "network":
            rows.sort(key=lambda row: (str(row[0]).startswith("("), -int(row[2] or 0), str(row[0])))
        tables.append(
            Table(
                f"by_{dimension}",
                f"{DIMENSION_LABELS[dimension]}, {q}",
                (DIMENSION_LABELS[dimension], *(METRIC_LABELS[m] for m in METRICS), "Orders QoQ %", "Orders YoY %"),
                tuple(rows),
                note="A case counts under each of its values, so rows may add up to more than the total."
                if dimension in ("violence_type", "platform", "network", "source")
                else "",
            )
        )
    dark = report.dark
    chosen = dark.chosen
    tables.append(
        Table(
            "dark_figure",
            f"Dark figure, orders first advertised in {q}",
            ("Sources", "Method", "Model", "Seen", "Estimated in all", "Lower 95 %", "Upper 95 %", "Never seen"),
            (
                (
                    ", ".join(dark.sources),
                    chosen.method if chosen else None,
                    chosen.model if chosen else None,
                    dark.observed,
                    _round(chosen.estimate) if chosen else None,
                    _round(chosen.lower) if chosen else None,
                    _round(chosen.upper) if chosen else None,
                    _round(chosen.unseen) if chosen else None,
                ),
            ),
            note=dark.note,
        )
    )
    tables.append(
        Table(
            "capture_histories",
            "Capture histories",
            ("History", "Orders"),
            tuple(dark.histories.items()),
            note=f"1 = seen by the source, in the order {', '.join(dark.sources) or '–'}. "
            f"{dark.unsourced} orders have no recorded source and are left out.",
        )
    )
    if dark.models:
        shown = [m for i, m in enumerate(dark.models) if i < MODELS_SHOWN or m.model == "independence"]
        tables.append(
            Table(
                "dark_figure_models",
                "Log-linear models compared (lowest AIC chosen)",
                ("Model", "Parameters", "Deviance", "df", "AIC", "BIC", "Estimated in all"),
                tuple(
                    (
                        m.model,
                        m.n_params,
                        _round(m.deviance, 2),
                        m.df,
                        _round(m.aic, 2),
                        _round(m.bic, 2),
                        _round(m.estimate),
                    )
                    for m in shown
                ),
                note=""
                if len(shown) == len(dark.models)
                else f"{len(dark.models)} models fitted; the {MODELS_SHOWN} with the lowest AIC and the independence "
                "model are shown.",
            )
        )
    time_columns: list[str] = ["District", "Quarter", "Cases"]
    for measure in MEASURES:
        label = MEASURE_LABELS[measure]
        time_columns += [f"{label}: n", f"{label}: median h", f"{label}: p90 h"]
    time_columns += ["With deadline", "Deadline passed before action"]
    tables.append(
        Table(
            "time_to_action",
            "Time to action (hours from first post)",
            tuple(time_columns),
            tuple(
                (
                    row.district,
                    row.quarter,
                    row.cases,
                    *(
                        value
                        for measure in MEASURES
                        for value in (
                            row.spread(measure).n,
                            _round(row.spread(measure).median_h),
                            _round(row.spread(measure).p90_h),
                        )
                    ),
                    row.with_deadline,
                    row.deadline_passed_first,
                )
                for row in report.time_rows
            ),
        )
    )
    tables.append(
        Table(
            "trend",
            "Trend of unique orders (change per year, from the forecast model)",
            ("District", "Quarters used", "Change per year %", "Lower 95 %", "Upper 95 %", "Model"),
            tuple(
                (f.group, len(f.history), _pct(f.trend_per_year), _pct(f.trend_lower), _pct(f.trend_upper), f.model)
                for f in report.forecasts
            ),
        )
    )
    tables.append(
        Table(
            "forecast",
            "FORECAST of unique orders, next 4 quarters (95 % prediction interval)",
            ("District", "Quarter", "Forecast", "Lower 95 %", "Upper 95 %"),
            tuple(
                (f.group, p.quarter, _round(p.mean), _round(p.lower, 0), _round(p.upper, 0))
                for f in report.forecasts
                for p in f.points
            ),
            note="A forecast is the model's extrapolation of past quarters, not a measurement.",
        )
    )
    future = [p.quarter for p in report.forecasts[0].points] if report.forecasts else []
    tables.append(
        Table(
            "forecast_summary",
            "FORECAST of unique orders: expected number (95 % prediction interval)",
            ("District", *future),
            tuple(
                (f.group, *(f"{p.mean:.0f} ({p.lower:.0f}–{p.upper:.0f})" for p in f.points)) for f in report.forecasts
            ),
            note="A forecast is the model's extrapolation of past quarters, not a measurement.",
        )
    )
    tables.append(Table("top_networks", f"Top networks, {q}", ("Network", "Orders"), report.top_networks))
    if report.backmen:
        tables.append(Table("backmen", f"Top backmen, {q}", ("Backman", "Orders"), report.backmen))
    return tuple(tables)
