"""What the bot does with a message it has read, and the words it says (SPEC 1.10).

`policy` decides from the conversation and a `reading.Reading` what happens;
`turns` carries out the decisions that are not plain answers (a hold for Jorge, a
dismissal, a call request, a complaint, a correction after qualification);
`acks` picks the acknowledgement that says back what was read; `words` holds the
answers to questions back and puts a reply together.
"""
