import os

import requests

API = "https://api.contio.ai"
CLIENT_ID = os.environ["CONTIO_CLIENT_ID"]
API_KEY = os.environ["CONTIO_API_KEY"]


def workflows():
    return requests.get(f"{API}/v1/partner/admin/workflow-templates", headers={"X-API-Key": API_KEY, "X-Client-ID": CLIENT_ID})
