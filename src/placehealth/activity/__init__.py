"""Activity plans as code: the activity a commissioner agrees with each provider (referrals,
outpatient attendances, elective and non-elective admissions by year), kept as reviewed data
beside the outcome plans and checked.

``pods`` is the one list of points of delivery; ``model`` the file format (tables in the
finance format, with a point of delivery, plus identities, ratios, links to the outcome
ambitions they must deliver, schemes and figures in the text); ``load`` reads the
``activity/`` folders; ``check`` turns every disagreement into a plan-checker finding.
"""
