"""Every component id in the app, in one place."""

DATA_STATUS = "data-status"
