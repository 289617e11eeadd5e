"""Components: pure functions that build layout from their arguments."""
