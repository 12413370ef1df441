"""The researcher's explorer: an offline site of static pages per agency, policy, sector,
subject class and company, with a timeline and a client-side search (``out/site/``)."""

FOLDER = "site"  # the explorer's folder in an output folder
