"""Money as code: a document's financial tables as reviewed data, recomputed and checked.

``model`` is the file format (tables, rows, columns, their declared relations, figures
printed in the text); ``printed`` reads a number as the document printed it; ``load``
reads the ``finance/`` folders beside the outcome plans; ``relations`` recomputes every
declared total, difference, percentage, per-head figure and growth; ``check`` turns
each disagreement into a plan-checker finding.
"""
