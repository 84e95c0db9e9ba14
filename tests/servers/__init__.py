"""Real servers the integration tests start on loopback."""
