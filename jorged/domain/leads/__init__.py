"""Lead scoring: a contact's lead analysis from its conversation (`analysis`,
`from_seller`) and from free text (`lead_text`).
"""
