from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jorged.config import SellerConfig
from jorged.domain.conversation.inputs import (
    Activate,
    AddTags,
    BookAppointment,
    BookingResult,
    CalendarSlots,
    CancelFollowups,
    CancelStallCheck,
    Command,
    DndChanged,
    Emit,
    FetchCalendarSlots,
    FollowupDue,
    HumanOutbound,
    Inbound,
    InboundMessage,
    NotifyAgent,
    RemoveTags,
    ScheduleFollowup,
    ScheduleStallCheck,
    SendSms,
    SetDnd,
    StallCheck,
    TagsChanged,
    UpdateFields,
)
from jorged.domain.conversation.state import (
    Condition,
    ConversationState,
    Motivation,
    Slot,
    Stage,
    Temperature,
)
from jorged.domain.conversation.step import conversation_view, step
from jorged.domain.texting.compliance import check_outbound
from jorged.store import codec

CFG = SellerConfig()
T0 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)  # Tuesday 10:00 in Los Angeles
CID = "contact-1"


class Chat:
    """Drives one conversation through `step`, keeping the clock and message ids."""

    def __init__(self, cfg: SellerConfig = CFG) -> None:
        self.cfg = cfg
        self.state: ConversationState | None = None
        self.now = T0
        self.n = 0
        self.actions: tuple = ()

    def do(self, event, *, minutes: float = 1):
        self.now += timedelta(minutes=minutes)
        self.state, self.actions = step(self.state, event, self.now, self.cfg)
        return self.actions

    def start(self, name: str = "Maria"):
        return self.do(Activate(contact_id=CID, first_name=name, phone="+19095551234"))

    def say(self, *texts: str, minutes: float = 1):
        msgs = []
        for text in texts:
            self.n += 1
            msgs.append(InboundMessage(message_id=f"m{self.n}", text=text, at=self.now))
        return self.do(Inbound(contact_id=CID, messages=tuple(msgs)), minutes=minutes)

    @property
    def sms(self) -> list[str]:
        return [a.text for a in self.actions if isinstance(a, SendSms)]

    def kinds(self) -> list[str]:
        return [a.kind for a in self.actions if isinstance(a, Emit)]


def of(actions, cls):
    return [a for a in actions if isinstance(a, cls)]


class TestActivation:
    def test_opener_and_first_question_in_one_text(self):
        """Activation sends the opener and the motivation question together."""
        chat = Chat()
        chat.start()
        assert chat.sms == [
            (
                "Hey Maria, it's Jorge. What's got you considering wanting to sell, "
                "where would you move to?"
            )
        ]
        assert chat.state.stage is Stage.Q_MOTIVATION
        assert "seller.activated" in chat.kinds()
        assert of(chat.actions, ScheduleFollowup)[0].index == 0

    def test_long_opener_goes_alone(self):
        """An opener too long to share a text is sent as its own message."""
        cfg = attrs.evolve(CFG, opener="Hey {first_name}, it's Jorge. " + "x " * 50)
        chat = Chat(cfg)
        chat.start()
        assert len(chat.sms) == 2
        assert chat.sms[1].startswith("What's got you")

    def test_activation_in_quiet_hours_waits(self):
        """A bot-initiated opener at 23:00 local carries the 08:00 send time."""
        chat = Chat()
        chat.now = datetime(2026, 3, 4, 6, 59, tzinfo=UTC)  # 23:00 PST
        chat.start()
        (sms,) = of(chat.actions, SendSms)
        assert sms.bot_initiated
        assert sms.send_at == datetime(2026, 3, 4, 16, 0, tzinfo=UTC)

    def test_activation_tag(self):
        """The activation tag starts a conversation; its echo does nothing."""
        chat = Chat()
        chat.do(TagsChanged(contact_id=CID, added=("Needs Qualifying",)))
        assert len(chat.sms) == 1
        chat.do(TagsChanged(contact_id=CID, added=("Needs Qualifying",)))
        assert chat.sms == []

    def test_inbound_starts_conversation(self):
        """A first inbound text starts a conversation and is read for answers."""
        chat = Chat()
        chat.say("Hi, we're divorcing and need to sell")
        assert chat.state.slots.motivation is Motivation.DIVORCE
        assert chat.sms[0].startswith("Hey, it's Jorge.")
        assert "30 to 45 days" in chat.sms[0]

    def test_no_engagement_when_disabled(self):
        """With engage_on_inbound off, an unknown sender gets nothing."""
        chat = Chat(attrs.evolve(CFG, engage_on_inbound=False))
        chat.say("hello")
        assert chat.state is None
        assert chat.actions == ()


class TestConversations:
    def test_hot(self):
        """Four clear answers make a hot seller handed to Jorge with a calendar offer."""
        chat = Chat()
        chat.start()
        chat.say("Job transfer to Austin")
        assert "30 to 45 days" in chat.sms[0]
        chat.say("no that works")
        assert "move in ready" in chat.sms[0]
        chat.say("needs some paint")
        assert chat.sms[0].endswith("What price would incentivize you to sell?")
        chat.say("around 425k")
        assert chat.state.temperature is Temperature.HOT
        assert chat.sms == []
        assert of(chat.actions, AddTags) == [
            AddTags(tags=("Hot-Seller", "Seller-Qualified"))
        ]
        assert of(chat.actions, RemoveTags)[0].tags == (
            "Warm-Seller", "Cold-Seller", "Needs Qualifying",
        )  # fmt: skip
        assert of(chat.actions, FetchCalendarSlots)
        assert of(chat.actions, NotifyAgent)
        assert "seller.qualified" in chat.kinds()

    def test_warm(self):
        """Three answers with the price unknown make a warm seller in the cadence."""
        chat = Chat()
        chat.start()
        chat.say("divorce")
        chat.say("too fast, need 4 months")
        chat.say("needs a lot of work")
        chat.say("make me an offer")
        chat.say("idk")
        assert chat.state.stage is Stage.QUALIFIED
        assert chat.state.temperature is Temperature.WARM
        assert of(chat.actions, AddTags) == [AddTags(tags=("Warm-Seller",))]
        assert chat.sms[0].startswith("Thanks Maria, that helps a lot.")
        assert of(chat.actions, ScheduleFollowup)

    def test_cold_curious(self):
        """A curious seller is cold whatever else they say."""
        chat = Chat()
        chat.start()
        chat.say("just curious what it's worth")
        chat.say("no problem")
        chat.say("turnkey")
        chat.say("500k")
        assert chat.state.temperature is Temperature.COLD
        assert of(chat.actions, AddTags) == [AddTags(tags=("Cold-Seller",))]
        reasons = [c.reason for c in chat.state.temperature_history]
        assert reasons[0] == "conversation started"

    def test_everything_in_one_message(self):
        """A seller who volunteers all four answers is asked nothing more."""
        chat = Chat()
        chat.start()
        chat.say(
            "job transfer to Austin, need to sell in 3 weeks, house is move in ready "
            "and I want 410k"
        )
        assert chat.sms == []
        assert chat.state.stage is Stage.QUALIFIED
        assert chat.state.temperature is Temperature.HOT
        s = chat.state.slots
        assert (s.move_to, s.timeline_days, s.condition, s.price_low) == (
            "Austin", 21, Condition.MOVE_IN_READY, 410_000,
        )  # fmt: skip

    def test_unclear_twice_marks_unknown(self):
        """An unclear answer is re-asked once in other words, then marked unknown."""
        chat = Chat()
        chat.start()
        chat.say("idk")
        assert chat.sms == [
            (
                "What's the main reason you're thinking of selling, and where would you "
                "go next?"
            )
        ]
        chat.say("hmm")
        assert chat.state.slots.unknown == ("motivation",)
        assert "30 to 45 days" in chat.sms[0]

    def test_never_repeats_an_answered_question(self):
        """Across a conversation no question is sent twice once answered."""
        chat = Chat()
        chat.start()
        sent = list(chat.sms)
        for text in ["relocating", "no that works", "needs paint", "400k"]:
            chat.say(text)
            sent += chat.sms
        assert len(sent) == len(set(sent))

    def test_crm_fields_written_as_they_fill(self):
        """Each answer writes the CRM fields that changed."""
        chat = Chat()
        chat.start()
        chat.say("divorce")
        (fields,) = of(chat.actions, UpdateFields)
        assert fields.fields == {
            "seller_motivation": "divorce", "seller_questions_answered": "1",
        }  # fmt: skip

    def test_who_is_this(self):
        """ "Who is this?" gets a name, not a re-ask count."""
        chat = Chat()
        chat.start()
        chat.say("who is this?")
        assert chat.sms[0].startswith("It's Jorge with Jorge Sells Homes,")
        assert chat.sms[0].endswith("where would you move to?")
        assert chat.state.unclear == 0


class TestHandOff:
    def hot(self) -> Chat:
        chat = Chat()
        chat.start()
        chat.say("job transfer to Austin, need to sell in 3 weeks, move in ready, 410k")
        return chat

    @pytest.mark.parametrize(
        ("answer", "index"),
        [
            ("the first one", 0),
            ("2", 1),
            ("Monday works", 1),
            ("tomorrow is good", 0),
            ("the 2pm", 1),
            ("2pm please", 1),
            ("either is fine", 0),
            ("the second", 1),
        ],
    )
    def test_choice_is_booked(self, answer, index):
        """The seller's pick among two offered slots is booked."""
        chat = self.hot()
        slots = (
            T0 + timedelta(days=1),
            T0 + timedelta(days=6, hours=3),
        )  # Wed 10am, Mon 2pm
        chat.do(CalendarSlots(contact_id=CID, slots=slots))
        assert "tomorrow at 10am or Monday at 2pm" in chat.sms[0]
        chat.say(answer)
        assert of(chat.actions, BookAppointment) == [BookAppointment(slot=slots[index])]
        assert chat.sms == []

    def test_booking_confirmed(self):
        """A booked slot is confirmed and the flag set."""
        chat = self.hot()
        slot = T0 + timedelta(days=1)
        chat.do(CalendarSlots(contact_id=CID, slots=(slot,)))
        chat.say("yes that works")
        chat.do(BookingResult(contact_id=CID, slot=slot, ok=True))
        assert chat.sms == ["You're all set for tomorrow at 10am. I'll call you then."]
        assert chat.state.flags.booked
        assert "appointment.booked" in chat.kinds()

    def test_no_calendar_closes_with_a_call(self):
        """Without slots the hot seller is told Jorge will call today."""
        chat = self.hot()
        chat.do(CalendarSlots(contact_id=CID, slots=()))
        assert "I'll call you today" in chat.sms[0]

    def test_unclear_choice_asked_once_then_left_to_jorge(self):
        """An unclear pick is asked once more, then Jorge is told to call."""
        chat = self.hot()
        chat.do(
            CalendarSlots(
                contact_id=CID, slots=(T0 + timedelta(days=1), T0 + timedelta(days=2))
            )
        )
        chat.say("hmm")
        assert chat.sms[0].startswith("Which works better for you")
        chat.say("what")
        assert "I'll call you today" in chat.sms[0]
        assert of(chat.actions, NotifyAgent)

    def test_failed_booking(self):
        """A failed booking apologises and alerts Jorge."""
        chat = self.hot()
        slot = T0 + timedelta(days=1)
        chat.do(CalendarSlots(contact_id=CID, slots=(slot,)))
        chat.say("yes")
        chat.do(BookingResult(contact_id=CID, slot=slot, ok=False, detail="taken"))
        assert "just got taken" in chat.sms[0]
        assert not chat.state.flags.booked

    def test_own_qualified_tag_echo_is_not_a_stop(self):
        """The Seller-Qualified tag the bot added does not stop the hand-off."""
        chat = self.hot()
        chat.do(TagsChanged(contact_id=CID, added=("Seller-Qualified", "Hot-Seller")))
        assert not chat.state.flags.stopped

    def test_later_messages_are_not_rescored(self):
        """After qualification a message is recorded and never re-read as an answer."""
        chat = Chat()
        chat.start()
        for text in ["divorce", "too fast", "needs a lot of work", "400k"]:
            chat.say(text)
        chat.say("sooner is fine and it's turnkey")
        assert chat.state.slots.condition is Condition.MAJOR_REPAIRS
        assert chat.sms == []
        assert chat.state.transcript[-1].text.startswith("sooner")

    def test_a_correction_after_qualification_changes_the_slot(self):
        """ "Scratch that" after qualification: the slot, the temperature, the CRM
        field and the tags change, and Jorge is told (SPEC 1.10)."""
        chat = Chat()
        chat.start()
        for text in ["divorce", "too fast", "needs a lot of work", "400k"]:
            chat.say(text)
        assert chat.state.temperature is Temperature.WARM
        chat.say("scratch that, 30 days is fine actually")
        assert chat.state.slots.timeline_ok is True
        assert chat.state.temperature is Temperature.HOT
        (fields,) = of(chat.actions, UpdateFields)
        assert fields.fields["seller_timeline_ok"] == "yes"
        assert fields.fields["seller_temperature"] == "hot"
        assert "Hot-Seller" in of(chat.actions, AddTags)[0].tags
        assert any("now HOT" in n.text for n in of(chat.actions, NotifyAgent))
        (reply,) = chat.sms
        assert "updated" in reply


class TestOptOut:
    def test_confirmation_once_and_silence_forever(self):
        """After STOP nothing is ever texted again, whatever happens."""
        chat = Chat()
        chat.start()
        chat.say("relocating")
        chat.say("STOP")
        assert chat.sms == [
            "You're unsubscribed and won't get more texts. Reply START to resume."
        ]
        assert SetDnd(dnd=True) in chat.actions
        assert CancelFollowups() in chat.actions
        assert chat.state.temperature is Temperature.COLD
        events = [
            FollowupDue(contact_id=CID, index=chat.state.followup_index),
            Activate(contact_id=CID),
            Command(contact_id=CID, command="resume"),
            Command(contact_id=CID, command="restart"),
            TagsChanged(
                contact_id=CID, added=("Needs Qualifying",), removed=("Jorge-Active",)
            ),
            CalendarSlots(contact_id=CID, slots=(T0 + timedelta(days=3),)),
            StallCheck(contact_id=CID),
            DndChanged(contact_id=CID, dnd=False),
        ]
        for event in events:
            chat.do(event, minutes=60 * 24)
            assert chat.sms == [], event
            assert not of(chat.actions, ScheduleFollowup)
        for text in ["STOP", "hello?", "help", "no that works", "stop"]:
            chat.say(text)
            assert chat.sms == []

    def test_start_resumes(self):
        """START lifts the opt-out with one confirmation."""
        chat = Chat()
        chat.start()
        chat.say("stop")
        chat.say("START")
        assert chat.sms == [
            "You're resubscribed to texts from Jorge Sells Homes. Reply STOP to opt out."
        ]
        assert not chat.state.flags.opted_out
        assert SetDnd(dnd=False) in chat.actions

    def test_stop_in_a_batch_wins(self):
        """A STOP anywhere in a batched turn opts out, with nothing else said."""
        chat = Chat()
        chat.start()
        chat.say("divorce", "stop texting me")
        assert len(chat.sms) == 1
        assert chat.state.flags.opted_out

    def test_crm_dnd_opts_out_silently(self):
        """DND set in the CRM opts out without a text."""
        chat = Chat()
        chat.start()
        chat.do(DndChanged(contact_id=CID, dnd=True))
        assert chat.sms == []
        assert chat.state.flags.opted_out


class TestHelpPauseStop:
    def test_help_is_not_an_answer(self):
        """HELP gets the business name and opt-out words, and fills nothing."""
        chat = Chat()
        chat.start()
        chat.say("HELP")
        assert chat.sms == [
            (
                "Jorge Sells Homes: texts from Jorge about selling your home. Reply STOP "
                "to opt out."
            )
        ]
        assert chat.state.slots.answered_count == 0

    def test_pause_and_resume(self):
        """A paused conversation records inbound and says nothing until resumed."""
        chat = Chat()
        chat.start()
        chat.do(TagsChanged(contact_id=CID, added=("Jorge-Active",)))
        assert chat.state.flags.paused
        chat.say("divorce")
        assert chat.sms == []
        assert chat.state.transcript[-1].text == "divorce"
        chat.do(FollowupDue(contact_id=CID, index=0))
        assert chat.sms == []
        chat.do(TagsChanged(contact_id=CID, removed=("Jorge-Active",)))
        assert not chat.state.flags.paused
        assert "seller.resumed" in chat.kinds()

    def test_human_outbound_pauses(self):
        """A human texting from the CRM pauses the bot and is recorded."""
        chat = Chat()
        chat.start()
        chat.do(
            HumanOutbound(contact_id=CID, message_id="h1", text="Hi, Jorge here", at=T0)
        )
        assert chat.state.flags.paused
        assert chat.state.transcript[-1].message_id == "h1"

    def test_stop_tag(self):
        """A stop tag silences replies and follow-ups."""
        chat = Chat()
        chat.start()
        chat.do(TagsChanged(contact_id=CID, added=("AI-Off",)))
        chat.say("divorce")
        assert chat.sms == []
        assert chat.state.flags.stopped

    def test_command_pause_resume_restart(self):
        """Commands pause, resume and restart qualification."""
        chat = Chat()
        chat.start()
        chat.say("divorce")
        chat.do(Command(contact_id=CID, command="pause"))
        assert chat.state.flags.paused
        chat.do(Command(contact_id=CID, command="resume"))
        assert not chat.state.flags.paused
        chat.do(Command(contact_id=CID, command="restart"))
        assert chat.state.slots.answered_count == 0
        assert chat.sms[0].startswith("Hey Maria, it's Jorge.")


class TestTurns:
    def test_identical_texts_in_separate_turns(self):
        """Two "no" texts in two turns are both handled."""
        chat = Chat()
        chat.start()
        chat.say("relocation for work")
        chat.say("not sure")
        chat.say("not sure")
        assert [e.text for e in chat.state.transcript if e.direction == "in"] == [
            "relocation for work", "not sure", "not sure",
        ]  # fmt: skip
        assert chat.state.slots.unknown == (Slot.TIMELINE,)
        assert chat.sms

    def test_duplicate_message_id_is_ignored(self):
        """The same message id delivered twice is handled once."""
        chat = Chat()
        chat.start()
        msg = InboundMessage(message_id="dup", text="divorce", at=T0)
        chat.do(Inbound(contact_id=CID, messages=(msg,)))
        state = chat.state
        chat.do(Inbound(contact_id=CID, messages=(msg,)))
        assert chat.state == state
        assert chat.actions == ()

    def test_batched_turn_one_reply(self):
        """Messages in one batch are one turn with one reply."""
        chat = Chat()
        chat.start()
        chat.say("we're divorcing", "and it needs paint")
        assert len(chat.sms) == 1
        assert chat.state.turn == 1
        assert chat.state.slots.condition is Condition.MINOR_REPAIRS


class TestFollowups:
    def test_nudge_and_next_schedule(self):
        """A due follow-up nudges about the open question and schedules the next."""
        chat = Chat()
        chat.start()
        chat.say("divorce")
        chat.do(FollowupDue(contact_id=CID, index=0), minutes=60 * 48)
        assert "30 to 45 days" in chat.sms[0]
        assert of(chat.actions, ScheduleFollowup)[0].index == 1
        assert chat.state.flags.stalled
        assert "seller.stalled" in chat.kinds()

    def test_stale_timer_ignored(self):
        """A timer for an old cadence index does nothing."""
        chat = Chat()
        chat.start()
        chat.do(FollowupDue(contact_id=CID, index=3))
        assert chat.actions == ()

    def test_reply_resets_cadence(self):
        """Any reply cancels pending follow-ups and starts again at index 0."""
        chat = Chat()
        chat.start()
        chat.do(FollowupDue(contact_id=CID, index=0), minutes=60 * 48)
        chat.say("divorce")
        assert CancelFollowups() in chat.actions
        assert of(chat.actions, ScheduleFollowup)[-1].index == 0

    def test_cap_on_bot_messages(self):
        """No more than max_bot_messages bot texts go out per window."""
        chat = Chat(attrs.evolve(CFG, max_bot_messages=3))
        chat.start()
        sent = 1
        for i in range(5):
            chat.do(FollowupDue(contact_id=CID, index=i), minutes=60 * 24 * 3)
            sent += len(chat.sms)
        assert sent == 3

    def test_stall_check(self):
        """No inbound for stall_hours marks the conversation stalled."""
        chat = Chat()
        chat.start()
        chat.do(StallCheck(contact_id=CID), minutes=60 * 47)
        assert not chat.state.flags.stalled
        chat.do(StallCheck(contact_id=CID), minutes=61)
        assert chat.state.flags.stalled


class TestStallTimer:
    HOURS = timedelta(hours=CFG.stall_hours)

    def test_set_on_activation_and_moved_by_every_text(self):
        """The check falls stall_hours after the activation, then after each text."""
        chat = Chat()
        chat.start()
        activated = chat.now
        assert of(chat.actions, ScheduleStallCheck) == [
            ScheduleStallCheck(due=activated + self.HOURS)
        ]
        chat.now += timedelta(minutes=90)
        texted = chat.now  # the message's own time
        chat.say("divorce")
        assert of(chat.actions, ScheduleStallCheck) == [
            ScheduleStallCheck(due=texted + self.HOURS)
        ]

    def test_a_check_at_the_due_time_stalls_and_drops_the_timer(self):
        """Due: stalled, `seller.stalled`, and no check is left; a text re-arms it."""
        chat = Chat()
        chat.start()
        chat.do(StallCheck(contact_id=CID), minutes=CFG.stall_hours * 60)
        assert chat.state.flags.stalled
        assert "seller.stalled" in chat.kinds()
        assert CancelStallCheck() in chat.actions
        texted = chat.now
        chat.say("still thinking", minutes=5)
        assert not chat.state.flags.stalled
        assert of(chat.actions, ScheduleStallCheck) == [
            ScheduleStallCheck(due=texted + self.HOURS)
        ]

    def test_an_early_check_changes_nothing(self):
        """Fired before the due time (a clock change), the check does nothing."""
        chat = Chat()
        chat.start()
        chat.do(StallCheck(contact_id=CID), minutes=CFG.stall_hours * 60 - 1)
        assert not chat.state.flags.stalled
        assert chat.actions == ()

    def test_dropped_when_it_cannot_stall(self):
        """Opting out ends the check; a paused conversation keeps it (SPEC 1.6)."""
        chat = Chat()
        chat.start()
        chat.do(Command(contact_id=CID, command="pause"))
        assert not of(chat.actions, CancelStallCheck)
        chat.say("STOP")
        assert CancelStallCheck() in chat.actions


class TestView:
    def test_view_shape(self):
        """The view has exactly the API's keys."""
        chat = Chat()
        chat.start()
        chat.say("divorce")
        view = conversation_view(chat.state)
        assert set(view) == {
            "contact_id", "stage", "temperature", "questions_answered", "flags",
            "slots", "slots_evidence", "transcript", "temperature_history",
            "language", "language_source",
        }  # fmt: skip
        assert view["slots"]["motivation"] == "divorce"
        assert (view["language"], view["language_source"]) == ("en", "detected")
        assert view["transcript"][1]["direction"] == "in"
        assert view["flags"]["opted_out"] is False


TEXTS = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        ["STOP", "START", "HELP", "divorce", "no that works", "needs paint", "400k",
         "idk", "the first one", "yes", "who is this", "🏠🔥", "move-in ready — $1.2M"]
    ),
)  # fmt: skip
EVENTS = st.one_of(
    TEXTS.map(lambda t: ("say", t)),
    st.sampled_from(
        [("due", None), ("calendar", None), ("book", None), ("stall", None),
         ("pause", None), ("resume", None), ("restart", None), ("dnd", None)]
    ),
)  # fmt: skip


def _drive(chat: Chat, kind, text):
    if kind == "say":
        return chat.say(text, minutes=37)
    event = {
        "due": lambda: FollowupDue(
            contact_id=CID, index=chat.state.followup_index if chat.state else 0
        ),
        "calendar": lambda: CalendarSlots(
            contact_id=CID, slots=(chat.now + timedelta(days=1),)
        ),
        "book": lambda: BookingResult(
            contact_id=CID,
            slot=(
                chat.state.booking_slot
                if chat.state and chat.state.booking_slot
                else chat.now
            ),
            ok=True,
        ),
        "stall": lambda: StallCheck(contact_id=CID),
        "pause": lambda: Command(contact_id=CID, command="pause"),
        "resume": lambda: Command(contact_id=CID, command="resume"),
        "restart": lambda: Command(contact_id=CID, command="restart"),
        "dnd": lambda: DndChanged(contact_id=CID, dnd=True),
    }[kind]()
    return chat.do(event, minutes=60 * 30)


class TestProperties:
    @settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(EVENTS, max_size=12), st.booleans())
    def test_any_sequence_is_safe(self, events, activate):
        """Any inputs never crash, every text passes the rules, opted out means silent."""
        chat = Chat()
        if activate:
            chat.start()
        for kind, text in events:
            was_opted_out = chat.state is not None and chat.state.flags.opted_out
            actions = _drive(chat, kind, text)
            for sms in of(actions, SendSms):
                # Only the answer to "is this a bot?" may say it is automated.
                asked = "automated assistant" in sms.text
                assert check_outbound(sms.text, disclose=asked) == (), sms.text
            if was_opted_out and chat.state.flags.opted_out:
                assert not of(actions, SendSms)
        if chat.state is not None:
            data = codec.dumps(chat.state)
            assert codec.loads(data, ConversationState) == chat.state
