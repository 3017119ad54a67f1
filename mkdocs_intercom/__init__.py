"""The MkDocs plugin for a verified Intercom Messenger."""
