"""Briefs and lists of documents → draft source files for a person to review.

Intake reads the file; segmentation finds a brief's parts (``segment`` a Top-5 brief, ``digest``
a plain news digest, ``chinese`` a Chinese brief); quantities, mentions and wording read numbers,
names and phrasing in prose; ``briefs``, ``topfive``, ``news`` and ``chinese_records`` make the
draft records; ``doclist`` reads tables; ``drafts`` writes them with their review notes.
"""
