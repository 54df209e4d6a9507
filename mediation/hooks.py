"""How downstream apps react to mediation's records without mediation importing them; see grid.hooks."""

from grid.hooks import Hook
from mediation.models import FollowUp

# Called with the follow-up inside the transaction that records it (mediation.services.follow_up_record).
follow_up: Hook[[FollowUp]] = Hook()

on_follow_up_recorded, follow_up_recorded = follow_up.connect, follow_up.send
