"""`python -m web`: start appen på 127.0.0.1 (for `make run`)."""

import os

from web import create_app

create_app().run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
