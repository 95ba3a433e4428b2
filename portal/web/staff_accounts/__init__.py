"""Staff's accounts area: invitations, members, reset codes, disabling and roles."""
