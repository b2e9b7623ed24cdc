def test_redis_fixture_serves_and_restarts(redis_server):
    """The session redis-server can be stopped and restarted by a test."""
    with redis_server.client() as c:
        c.set("k", "v")
    redis_server.stop()
    redis_server.start()
    with redis_server.client() as c:
        assert c.get("k") is None
