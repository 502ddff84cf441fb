#!/bin/sh
# Fetches an app token by hand, the way the guide's Basic-auth section warns against.
set -eu
BASIC=$(echo "$CONTIO_CLIENT_ID:$CONTIO_CLIENT_SECRET" | base64) # want: CD1601
curl -s -X POST "$CONTIO_AUTH_URL/oauth2/token" -H "Authorization: Basic $BASIC" -d grant_type=client_credentials
curl -s "$CONTIO_API_URL/v1/partner/user/meetings" -H "X-API-Key: $CONTIO_API_KEY" # want: CD4602
