from __future__ import annotations

from collections.abc import AsyncIterator

import attrs
import pytest

from jorged.config import GhlConfig
from jorged.ghl import GhlCallRecord, GhlClient
from tests.fakes.ghl_server import FakeGhl, open_fake_ghl


@pytest.fixture(name="fake_ghl")
async def _fake_ghl() -> AsyncIterator[FakeGhl]:
    async with open_fake_ghl() as fake:
        fake.add_contact("c1", firstName="Maria", phone="+19095550101")
        yield fake
    assert fake.internal_errors == []


@pytest.fixture(name="ghl_cfg")
def _ghl_cfg(fake_ghl: FakeGhl) -> GhlConfig:
    return GhlConfig(
        token=fake_ghl.token,
        location_id=fake_ghl.location_id,
        base_url=fake_ghl.url,
        timeout_s=5.0,
        max_retries=2,
        retry_backoff_s=0.001,
        retry_jitter_s=0.0,
        pipeline_id="pipe-1",
        pipeline_stage_id="stage-1",
    )


@attrs.define
class Calls:
    """The call records a client reported."""

    records: list[GhlCallRecord] = attrs.field(factory=list)

    def __call__(self, record: GhlCallRecord) -> None:
        self.records.append(record)


@pytest.fixture(name="calls")
def _calls() -> Calls:
    return Calls()


@pytest.fixture(name="client")
async def _client(ghl_cfg: GhlConfig, calls: Calls) -> AsyncIterator[GhlClient]:
    async with GhlClient(ghl_cfg, on_call=calls) as client:
        yield client
