"""A seller conversation: the pure `step`, its state, and what the bot says.

`step.step(state, input, now, settings)` takes one input (`inputs`: an inbound
turn, a tag change, a timer, a command) and gives the new state (`state`) and the
actions for the outbox. Its parts: `turn_reading` reads the turn (the rules, with
an LLM's reading beside them); `policy` decides from the conversation and a
`reading.Reading` what happens; `qualify` asks the four questions and classifies;
`turns` carries out the decisions that are not plain answers (a hold for Jorge, a
dismissal, a call request, a complaint, a correction after qualification);
`handoff`, `booking`, `followup` and `cadence` hand a hot seller to Jorge, book a
call and nudge the quiet; `opt_out` keeps the contact's consent; `control` runs
Jorge's commands; `acks`, `reply_words`, `drafts`, `templates` (and
`templates_es`) and `temperature` are the words and the classification.
"""
