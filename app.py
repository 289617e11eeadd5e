"""The Attendance Tracker's entry point: `server` for WSGI servers, or run it directly."""

import os

from dashboard.app import create_app, freeze_start_up, warm_up
from dashboard.config import get_settings

app = create_app()
server = app.server
warm_up(get_settings().database_url)
freeze_start_up()

if __name__ == "__main__":
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8050"))
    app.run(host=host, port=port, debug=False)
