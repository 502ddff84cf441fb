import React from 'react';

type Props = { connected: boolean; email?: string };

export function StatusBadge({ connected, email }: Props) {
  if (!connected) {
    return <a href="/auth/login">Connect Contio</a>;
  }
  return <span title={email}>Connected{email ? ` as ${email}` : ''}</span>;
}
