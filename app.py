"""The Attendance Tracker's entry point: `server` for WSGI servers, or run it directly."""

import os

from dashboard.app import create_app, freeze_start_up

app = create_app()
server = app.server
freeze_start_up()

if __name__ == "__main__":
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8050"))
    app.run(host=host, port=port, debug=False)
