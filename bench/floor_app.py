"""The floor for the webhook benchmark: verify the signature with the SDK's parser, answer 200."""

from __future__ import annotations

import os

from flask import Flask, abort, request
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError

app = Flask(__name__)
parser = WebhookParser(os.environ["LINE_CHANNEL_SECRET"])


@app.post("/callback")
def callback():
    try:
        parser.parse(request.get_data(as_text=True), request.headers.get("X-Line-Signature", ""))
    except InvalidSignatureError:
        abort(400)
    return "OK"
