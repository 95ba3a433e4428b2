"""The staff's feedback workspace: themes, coding, counts and the CSV export (issue 12)."""
