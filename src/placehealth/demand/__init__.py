"""Demand projection with honest uncertainty: baseline activity rates by point of delivery,
age band and sex, grown with a population projection, less activity avoided by schemes and
less efficiency gains, each uncertain step drawn many times (Monte Carlo, vectorised), giving
P10 / P50 / P90 per point of delivery and year, a waterfall from baseline to projection, and
beds from bed-days at a target occupancy.

``inputs`` reads and checks the baseline, the population projection and the steps;
``growth`` builds a projection from printed growth of age groups (the seeds' Sefton figures);
``model`` draws and computes; ``compare`` sets the projection beside the provider plans;
``warehouse`` derives a baseline from the warehouse.
"""
