from __future__ import annotations

import httpx
import pytest

from tests.fakes.ghl_server import FakeGhl


@pytest.fixture(name="http")
async def _http(fake_ghl: FakeGhl):
    headers = {"Authorization": f"Bearer {fake_ghl.token}", "Version": "2021-07-28"}
    async with httpx.AsyncClient(base_url=fake_ghl.url, headers=headers) as http:
        yield http


class TestRejectsBadRequests:
    async def test_wrong_version_header(self, http, fake_ghl: FakeGhl):
        """A Version other than the spec's is refused, naming both."""
        response = await http.post(
            "/conversations/messages",
            json={
                "type": "SMS",
                "subType": "SMS",
                "contactId": "c1",
                "status": "pending",
            },
        )
        assert response.status_code == 422
        assert response.json()["message"] == [
            "header Version: expected '2021-04-15', got '2021-07-28'"
        ]
        assert fake_ghl.messages == []

    async def test_missing_required_field(self, http):
        """A body without a required field is refused, naming the field."""
        response = await http.post("/contacts/c1/tags", json={"tag": ["x"]})
        assert response.status_code == 422
        assert response.json()["message"] == ["body.tags: required field missing"]

    async def test_wrong_json_type(self, http):
        """A field of the wrong JSON type is refused with its path."""
        response = await http.post("/contacts/c1/tags", json={"tags": ["ok", 5]})
        assert response.json()["message"] == [
            "body.tags[1]: expected string, got integer"
        ]

    async def test_enum_value(self, http):
        """A value outside the spec's enum is refused."""
        body = {
            "type": "Carrier pigeon",
            "subType": "x",
            "contactId": "c1",
            "status": "pending",
        }
        response = await http.post(
            "/conversations/messages", json=body, headers={"Version": "2021-04-15"}
        )
        assert (
            "body.type: 'Carrier pigeon' is not one of" in response.json()["message"][0]
        )

    async def test_unknown_path_and_method(self, http):
        """Paths and methods the specs do not define are refused."""
        unknown = await http.get("/contacts/c1/favourite-colour")
        wrong_method = await http.patch("/contacts/c1/tags", json={"tags": []})
        assert unknown.status_code == wrong_method.status_code == 422
        assert wrong_method.json()["message"] == [
            "PATCH is not defined for /contacts/c1/tags (only DELETE, POST)"
        ]

    async def test_missing_query_parameter(self, http):
        """A required query parameter is enforced."""
        response = await http.get(
            "/calendars/cal/free-slots",
            params={"startDate": 1},
            headers={"Version": "2021-04-15"},
        )
        assert response.json()["message"] == [
            "query.endDate: required parameter missing"
        ]

    async def test_missing_token(self, fake_ghl: FakeGhl):
        """Without the bearer token the answer is 401."""
        async with httpx.AsyncClient(base_url=fake_ghl.url) as http:
            response = await http.get("/contacts/c1", headers={"Version": "2021-07-28"})
        assert response.status_code == 401


class TestResponses:
    async def test_unhandled_operation_answers_spec_example(self, http):
        """An operation without fake state answers the spec's example shape."""
        response = await http.get("/workflows/", params={"locationId": "L"})
        assert response.status_code == 200
        assert "workflows" in response.json()

    async def test_requests_are_recorded(self, http, fake_ghl: FakeGhl):
        """Every request is recorded with its operation, body and answer."""
        await http.post("/contacts/c1/tags", json={"tags": ["a"]})
        (recorded,) = fake_ghl.requests
        assert (recorded.operation_id, recorded.body, recorded.status) == (
            "add-tags",
            {"tags": ["a"]},
            201,
        )
