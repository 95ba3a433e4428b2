"""Decisions and secret ballots: the decision page and the ballot (`views`), the staff pages
that create, edit, close and extend decisions (`staff`)."""
