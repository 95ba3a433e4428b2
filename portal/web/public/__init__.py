"""The public pages: home, about, privacy, safety, the language switch, health and quick exit."""
