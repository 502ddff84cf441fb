package probe

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/Contio-AI/contio-doctor/internal/contio"
)

// TestResponseBodyIsBounded: an endless or huge response is refused with
// the limit named, never read into memory whole.
func TestResponseBodyIsBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for i := 0; i < 40; i++ { // 2.5 MiB
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	c := New(Options{})
	_, err := c.Do(context.Background(), Request{Method: "GET", URL: srv.URL + "/oauth2/scopes", Class: contio.ClassOAuth})
	if err == nil || !strings.Contains(err.Error(), "larger than the limit of 1 MiB") {
		t.Errorf("2.5 MiB response: %v", err)
	}
}
