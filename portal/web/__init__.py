"""Thin views over the domain: public, member, staff and api blueprints, and the error pages."""
