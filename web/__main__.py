"""`python -m web`: server appen på 127.0.0.1 med waitress (for `make run`)."""

import os

from waitress import serve

from web import create_app

serve(create_app(), host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threads=8)
