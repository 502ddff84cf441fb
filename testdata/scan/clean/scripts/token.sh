#!/bin/sh
# Fetches an app token by hand, encoding exactly client_id:client_secret.
set -eu
BASIC=$(printf '%s:%s' "$CONTIO_CLIENT_ID" "$CONTIO_CLIENT_SECRET" | base64 | tr -d '\n')
curl -s -X POST "$CONTIO_AUTH_URL/oauth2/token" -H "Authorization: Basic $BASIC" -d grant_type=client_credentials
curl -s "$CONTIO_API_URL/v1/partner/user/meetings" -H "Authorization: Bearer $CONTIO_ACCESS_TOKEN"
