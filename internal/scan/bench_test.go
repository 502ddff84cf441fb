package scan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user plus system time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchFile is one ~100-line TypeScript module of the kind a partner app
// is made of: routes, SDK calls, fetch with headers, a retry loop.
const benchFile = `import express, { Request, Response } from 'express';
import axios from 'axios';
import { ContioPartnerSDK } from '@contio/partner-sdk';

const API = process.env.CONTIO_API_URL ?? 'https://api.contio.ai';
const { oauth, user } = ContioPartnerSDK.forUser({
  clientId: process.env.CONTIO_CLIENT_ID ?? '',
  clientSecret: process.env.CONTIO_CLIENT_SECRET ?? '',
  redirectUri: process.env.CONTIO_REDIRECT_URI ?? '',
  scope: ['openid', 'profile', 'meetings:read'],
});

export const router%[1]d = express.Router();

interface Meeting%[1]d {
  id: string;
  title: string;
  startsAt: Date;
  participants: Array<{ email: string; name?: string }>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function listMeetings%[1]d(token: string, attempt = 0): Promise<Meeting%[1]d[]> {
  const res = await fetch(` + "`${API}/v1/partner/user/meetings?limit=${50 + attempt}`" + `, {
    headers: { Authorization: ` + "`Bearer ${token}`" + `, Accept: 'application/json' },
  });
  if (res.status === 429 && attempt < 3) {
    const retryAfter = Number(res.headers.get('Retry-After') ?? '1');
    await sleep(retryAfter * 1000);
    return listMeetings%[1]d(token, attempt + 1);
  }
  if (!res.ok) {
    throw new Error(` + "`meetings failed: ${res.status}`" + `);
  }
  const body = (await res.json()) as { items: Meeting%[1]d[] };
  return body.items.map((m) => ({ ...m, startsAt: new Date(m.startsAt) }));
}

export async function templates%[1]d() {
  return axios.get(` + "`${API}/v1/partner/admin/workflow-templates`" + `, {
    headers: { 'X-API-Key': process.env.CONTIO_API_KEY, 'X-Client-ID': process.env.CONTIO_CLIENT_ID },
  });
}

router%[1]d.get('/meetings', async (req: Request, res: Response) => {
  try {
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    const meetings = await listMeetings%[1]d(token);
    res.json(meetings.filter((m) => m.participants.length > 0));
  } catch (err) {
    res.status(502).json({ error: err instanceof Error ? err.message : String(err) });
  }
});

router%[1]d.get('/sdk', async (_req: Request, res: Response) => {
  const page = await user.getMeetings({ limit: 10 });
  const items = await user.getActionItems({ status: 'open' });
  res.json({ meetings: page.items.length, items });
});

router%[1]d.get('/login', (req: Request, res: Response) => {
  res.redirect(oauth.getAuthorizationUrl(String(req.query.state)));
});

export class Cache%[1]d<T> {
  private readonly entries = new Map<string, { value: T; expires: number }>();
  constructor(private readonly ttlMs: number) {}
  get(key: string): T | undefined {
    const e = this.entries.get(key);
    if (!e || e.expires < Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }
  set(key: string, value: T): void {
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
  }
}

export function summarise%[1]d(meetings: Meeting%[1]d[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of meetings) {
    for (const p of m.participants) {
      out[p.email] = (out[p.email] ?? 0) + 1;
    }
  }
  return out;
}

export const version%[1]d = '%[1]d';
`

// BenchmarkScan50kLines scans a generated codebase of about 50,000 lines
// of TypeScript in 500 files (the README quotes its figure).
func BenchmarkScan50kLines(b *testing.B) {
	requireJS(b)
	dir := b.TempDir()
	lines := 0
	for i := 0; lines < 50000; i++ {
		src := fmt.Sprintf(benchFile, i)
		lines += strings.Count(src, "\n")
		p := filepath.Join(dir, fmt.Sprintf("mod%d", i/50), fmt.Sprintf("file%d.ts", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		code, err := Scan(context.Background(), []string{dir}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if code.Lines < 50000 || len(code.Calls) == 0 || len(code.Skipped) > 0 {
			b.Fatalf("scanned %d lines, %d calls, skipped %v", code.Lines, len(code.Calls), code.Skipped)
		}
	}
	b.ReportMetric(float64(lines), "lines")
	// CPU time is the steadier figure on a shared machine.
	b.ReportMetric((cpuTime()-cpu0).Seconds()*1000/float64(b.N), "cpu-ms/op")
}
