"""How a member proves who they are: invites, credentials, sessions, two-factor, recovery.

The flows live here, built on the primitives of `portal.security`; who a member *is* lives in
`consultations.models.member`. The domain never holds a secret.
"""
