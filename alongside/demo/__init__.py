"""The demo network (`alongside demo`): a plausible Tuesday in a real-looking network."""
