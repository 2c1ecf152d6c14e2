"""Plans as code: ambitions, trajectories, status and consistency checks."""
