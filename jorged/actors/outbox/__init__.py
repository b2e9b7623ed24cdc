"""The outbox actor: what the seller decided to send or change in GHL, stored
with the turn (`items`), delivered with retries (`delivery`, `outbox_actor`).
"""
