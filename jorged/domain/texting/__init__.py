"""What a text to a seller may be: SMS length and encoding, quiet hours by
the contact's time zone, and the compliance texts (opt-out, HELP).
"""
