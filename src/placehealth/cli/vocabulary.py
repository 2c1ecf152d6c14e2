"""The command line's one vocabulary: every option name, its short flag, and what it means.

A name means the same thing in every command that offers it, and a short flag
stands for one option only (``-n`` is ``--neighbourhood`` everywhere, never a count
of people or a notes file). tests/cli/test_vocabulary.py walks every command and
fails on a name or flag that is not here, so a new option is named on purpose.
docs/cli.md shows this table to users.
"""

from __future__ import annotations

# long name → (short flag or None, meaning)
OPTIONS: dict[str, tuple[str | None, str]] = {
    # files in and out
    "--output": ("-o", "where to write: a file (CSV, Parquet, Excel, HTML, PDF) or a folder"),
    "--sheet": (None, "Excel input: the sheet to read, by name or number"),
    "--header-row": (None, "the input row holding the column names"),
    "--month-first": (None, "read 01/04/2022 as 4 January (default: day first, 1 April)"),
    "--day-first": (None, "read 01/04/2022 as 1 April (the default)"),
    "--json": (None, "print machine-readable JSON on stdout"),
    "--plain-utf8": (None, "write CSV without the byte-order mark Excel needs"),
    "--strict": (None, "exit non-zero instead of reporting a problem and going on"),
    "--warehouse": ("-w", "the DuckDB warehouse file"),
    "--key-file": (None, "the file holding the pseudonymisation key"),
    "--engine": (None, "duckdb or spark"),
    "--report": (None, "where to write the ingest quarantine report"),
    "--synthetic": (None, "the data are synthetic (test-range NHS numbers)"),
    "--format": (None, "file format of the written extracts"),
    # plans, actuals and reports
    "--plan": ("-p", "a plan file or folder"),
    "--actuals": ("-a", "the actual values (indicator, area, period, value)"),
    "--area": (None, "the area to track or report"),
    "--all-areas": (None, "every area in the actuals"),
    "--areas": (None, "areas, comma-separated"),
    "--month": ("-m", "the report month"),
    "--months": (None, "a number of months"),
    "--start": (None, "the first month"),
    "--notes": (None, "the narrative notes file (YAML)"),
    "--title": (None, "a report's title"),
    "--scale": (None, "chart size factor"),
    "--severity": (None, "the least severe finding to show"),
    "--accepted": (None, "the reviewed findings to leave out (YAML)"),
    "--population": (None, "a population: a column of a table, or a number of people"),
    # columns of a table and statistics
    "--value": (None, "the column of values"),
    "--count": (None, "the column of counts (events)"),
    "--deaths": (None, "the column of deaths (a count)"),
    "--numerator": (None, "the numerator column"),
    "--denominator": (None, "the denominator column"),
    "--date": (None, "the column of dates"),
    "--by": (None, "columns or areas to group by, comma-separated"),
    "--age-band": (None, "the age band column"),
    "--multiplier": (None, "values per this many (100 for a percentage)"),
    "--confidence": (None, "confidence levels, comma-separated"),
    "--missing": (None, "what a gap does: error, or na/zero"),
    "--standard": (None, "the standard population"),
    "--standard-column": (None, "a column holding your own standard population"),
    "--event-frequency": (None, "the events-per-person column"),
    "--ref-count": (None, "reference events column"),
    "--ref-population": (None, "reference population column"),
    "--reference": (None, "a separate reference table"),
    "--kind": (None, "which result to give (rate or ratio; standardised or crude)"),
    "--ages": (None, "only these ages"),
    "--sex": (None, "Fingertips rows to read by sex: persons (default), male, female or all"),
    "--age": (None, "Fingertips age band to read (default: All ages)"),
    "--suppress-invalid": (None, "blank an invalid group with a note instead of an error"),
    "--quantile": (None, "the quantile column"),
    "--quantiles": (None, "the number of quantiles"),
    "--value-type": (None, "normal, rate or proportion"),
    "--se": (None, "the standard error column"),
    "--lower-cl": (None, "the lower confidence limit column"),
    "--upper-cl": (None, "the upper confidence limit column"),
    "--repetitions": (None, "simulations per group"),
    "--seed": ("-s", "the random seed: the same seed gives the same result"),
    "--transform": (None, "regress on the log or logit scale"),
    "--invert": (None, "quantile 1 holds the highest values"),
    "--no-invert": (None, "quantile 1 holds the lowest values"),
    "--polarity": (None, "the column of polarity"),
    "--statistic": (None, "proportion, ratio or rate"),
    "--rate": (None, "the rate column"),
    "--rate-type": (None, "dsr or crude"),
    "--ratio-type": (None, "count or isr"),
    "--years": (None, "years: a span of financial years, or how many years the data cover"),
    "--year": (None, "one financial year"),
    "--reserve": (None, "the investment reserve to spend: an amount (£20m) or a reserve's id"),
    "--weights": (None, "criteria weights, CRITERION=NUMBER comma-separated"),
    "--set": (None, "change an assumption: NAME=VALUE with its unit (growth=2.14%)"),
    "--table": (None, "which table to write"),
    # SPC
    "--target": (None, "a target value, or a column of targets"),
    "--improvement": (None, "increase, decrease or neutral"),
    "--rebase": (None, "dates that start new limits"),
    "--rebase-exact": (None, "rebase only at points dated on a rebase date"),
    "--fix-after": (None, "fix the limits after this many points"),
    "--min-points": (None, "the fewest points for limits"),
    "--trial-limits": (None, "give shorter groups trial limits"),
    # synthetic data
    "--persons": (None, "people in the synthetic place"),
    "--noise": (None, "estimate sampling noise"),
    "--no-noise": (None, "do not estimate sampling noise"),
    # population health management
    "--place": (None, "the place: its id or place file (synth, demo); the warehouse's own"),
    "--neighbourhood": ("-n", "the neighbourhood"),
    "--index-date": (None, "the date people are counted or scored at"),
    "--fit-index": (None, "the index date to fit at"),
    "--validate-index": (None, "the later index date to validate at"),
    "--period": (None, "the 12 months after or before the index date"),
    "--measure": (None, "what to measure"),
    "--chart": (None, "where to write the chart"),
    # charts of indicator values
    "--indicator": ("-i", "the indicator id"),
    "--area-type": (None, "the kind of area: neighbourhood, lsoa, practice, pcn, imd_decile"),
    "--time-period": (None, "an indicator's period as the values name it (2018/19, 2016-18)"),
    "--benchmark": (None, "the area compared with, by its code"),
    "--comparator": (None, "a second area to show beside the benchmark, by its code"),
    "--trajectory": (None, "the plan's trajectory: a file of period and expected value"),
    "--boundaries": (None, "a GeoJSON file of area boundaries"),
    "--shade": (None, "what shades a map: value or significance"),
    "--budget": (None, "the budget to allocate"),
    "--need": (None, "the measure of need"),
    "--universal-share": (None, "the share allocated to everyone"),
    "--threshold": (None, "the risk threshold, 0-1"),
    "--model": (None, "the fitted risk model file"),
    "--truth": (None, "the synthetic truth file"),
    "--patients": (None, "NHS numbers the team already holds"),
    "--user": (None, "who is asking"),
    "--summary": (None, "counts only, for any role"),
    "--summary-table": (None, "also write a summary row per series to this file"),
    "--verify": (None, "check the audit log's chain"),
    "--last": (None, "the last N entries"),
    # the web site
    "--outputs": (None, "the folder of a run's outputs that the site shows"),
    "--database-url": (None, "the site's database (a SQLAlchemy URL)"),
    "--host": (None, "the address the site listens on"),
    "--port": (None, "the port the site listens on"),
    "--role": (None, "a role of a site account (repeat for several)"),
    "--password-stdin": (None, "read the password from standard input"),
    # the program itself
    "--version": (None, "print the version"),
    "--help": (None, "show help with an example"),
    "--install-completion": (None, "install shell completion"),
    "--show-completion": (None, "show shell completion"),
}

# Old spellings still accepted, hidden from --help: old → the option that replaced it.
HIDDEN_ALIASES: dict[str, str] = {
    "--out": "--output",  # demo, synth (their outputs are folders)
    "--model": "--output",  # phm model fit writes the model to --output
}
