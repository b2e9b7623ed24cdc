"""The seller side's actors: the ingress (webhooks journaled, in order), the
seller (one conversation turn at a time per contact, `seller_actor`), its
scheduler (follow-ups and timers) and the quarantine paths of their inputs.
"""
