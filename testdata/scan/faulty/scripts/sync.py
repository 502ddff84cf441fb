import os

import requests

API = "https://api.contio.ai"
CLIENT_ID = os.environ["CONTIO_CLIENT_ID"]


def workflows(token):
    return requests.get(f"{API}/v1/partner/admin/workflow-templates", headers={"Authorization": f"Bearer {token}", "X-Client-ID": CLIENT_ID})  # want: CD4603
