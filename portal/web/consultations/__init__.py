"""Consultations: the members' list and page, comments, replies, reports and the changes
between versions (`views`); the staff pages that write and run a consultation (`staff`)."""
