"""The service layer: what the CLI, the demo and the web application all call.

Each module here is one capability (plans, indicators, statistics, population
health, reports, ...) as plain functions over typed inputs, returning results
(frames, models, written paths) and reporting progress through an optional
callback. They hold the sequence of a job — read, validate, compute, publish,
audit, write — so that an interface only parses its arguments and shows what
comes back. The logic they sequence lives in the domain packages (``plans``,
``engine``, ``phm``, ``publish``, ``reports``); nothing here prints.
"""
