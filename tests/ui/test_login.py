from __future__ import annotations

import pytest

from tests.ui.conftest import PASSWORD, USERNAME, Dash

pytestmark = pytest.mark.anyio

PAGES = ("/", "/conversations", "/conversations/c1", "/simulator", "/health")


class TestLogin:
    @pytest.mark.parametrize("path", PAGES)
    async def test_every_page_sends_a_signed_out_visitor_to_login(
        self, dash: Dash, path: str
    ) -> None:
        """A signed-out visitor of any page sees the login form instead."""
        await dash.user.open(path)
        await dash.user.should_see("Sign in to the dashboard")

    async def test_login_leads_back_to_the_page_asked_for(self, dash: Dash) -> None:
        """After signing in the visitor lands on the page they first asked for."""
        await dash.user.open("/health")
        dash.user.find(marker="login-user").type(USERNAME)
        dash.user.find(marker="login-password").type(PASSWORD)
        dash.user.find(marker="login-submit").click()
        await dash.user.should_see("Export JSON", retries=50)

    async def test_a_wrong_password_is_refused(self, dash: Dash) -> None:
        """A wrong password keeps the visitor out and says why."""
        await dash.user.open("/login")
        dash.user.find(marker="login-user").type(USERNAME)
        dash.user.find(marker="login-password").type("not it")
        dash.user.find(marker="login-submit").click()
        await dash.user.should_see("Wrong user name or password.")
        await dash.user.open("/conversations")
        await dash.user.should_see("Sign in to the dashboard")

    async def test_sign_out_ends_the_session(self, dash: Dash) -> None:
        """Signing out sends the visitor back to the login form."""
        await dash.sign_in("/")
        dash.user.find(marker="sign-out").click()
        await dash.user.should_see("Sign in to the dashboard")
        await dash.user.open("/")
        await dash.user.should_see("Sign in to the dashboard")
