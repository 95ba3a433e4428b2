"""The recommendation register: public pages, and staff keeping it (issue 12)."""
