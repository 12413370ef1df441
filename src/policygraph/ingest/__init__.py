"""Briefs and lists of documents → draft source files for a person to review.

Intake reads the file; segmentation finds a brief's parts; quantities and mentions read numbers
and names in prose; ``briefs`` and ``news`` make the draft records; ``doclist`` reads tables;
``drafts`` writes them with their review notes.
"""
