#!/bin/sh
set -eu
curl -s -H "Authorization: Bearer $CONTIO_ACCESS_TOKEN" "https://api.contio.ai/v1/partner/user/meetings?limit=10"
curl -s -H "X-API-Key: $CONTIO_API_KEY" -H "X-Client-ID: $CONTIO_CLIENT_ID" https://api.contio.ai/v1/partner/admin/workflow-templates
