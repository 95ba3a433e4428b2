"""Every table of Kenes. Importing this module registers all models on one metadata.

The domain's models live in `consultations.models`; the website's own (the ballot secret's
fingerprint now, credentials and sessions with issue 3) in `portal`. Alembic and the schema
tests read `metadata` from here, so no model can be forgotten by one and not the other.
"""

import consultations.models  # noqa: F401 — registers the domain's models
import portal.security.throttle  # noqa: F401 — registers LoginThrottle
from consultations.db import Base
from portal.accounts import models as account_models  # noqa: F401 — credentials, sessions…
from portal.security import fingerprint  # noqa: F401 — registers SecretFingerprint

metadata = Base.metadata
