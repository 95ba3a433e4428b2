"""The reference of bench/pages.py: a bare Flask "hello", served by the same gunicorn with the
same settings as the site (`gunicorn -c gunicorn.conf.py bench.hello:app`).

A page's requests a second mean little alone — they follow the machine, its load and the
server's settings. As a share of what this app answers under the same server on the same
machine, measured right before it, they say what the page itself costs (issue 15's ratios).
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
