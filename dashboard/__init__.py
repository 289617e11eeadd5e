"""The Attendance Tracker application: app factory, settings, command line and logging."""
