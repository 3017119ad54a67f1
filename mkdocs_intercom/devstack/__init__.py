"""Local stand-ins for development, the demo and tests: identity provider, sandbox Messenger."""
