"""Services: plain functions per aggregate that take a Session, flush, and never commit."""
