"""Staff authoring of consultations and moderation (`/staff/consultations…`, `/staff/moderation`).

Being built; registered so the blueprint's place in the app is fixed.
"""

from flask import Blueprint

bp = Blueprint("staff_consultations", __name__, url_prefix="/staff")
