"""Moderation of comments: the queue, hide, restore, remove and the audited author look-up."""
