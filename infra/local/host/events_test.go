package host

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSampleEvents replays every sample in events/ through its function, as
// sam local invoke would, and checks the answer: nothing in the samples
// exists in the stack, so each is answered as a stranger would be.
func TestSampleEvents(t *testing.T) {
	s := needStack(t)
	tests := []struct {
		file       string
		wantStatus int    // for API events
		wantErr    string // for other events; "" means success
	}{
		{"intake/get-form.json", 200, ""},
		{"intake/submit-json.json", 202, ""},
		{"intake/submit-form.json", 202, ""},
		{"verify/show-link.json", 404, ""},
		{"verify/confirm-json.json", 404, ""},
		{"verify/send-task.json", 0, "not found"},
		{"verify/expire-task.json", 0, "not found"},
		{"fulfil/get-export.json", 404, ""},
		{"fulfil/task.json", 0, "not found"},
		{"escalate/schedule.json", 0, ""},
		{"escalate/failed-task.json", 0, "not found"},
		{"notify/sqs-batch.json", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			payload, err := os.ReadFile(filepath.Join("..", "..", "..", "events", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			fn := strings.Split(tt.file, "/")[0]
			out, err := s.functions.Invoke(context.Background(), fn, payload)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("invoke: %v", err)
			}
			if tt.wantStatus == 0 {
				return
			}
			var resp struct {
				StatusCode int    `json:"statusCode"`
				Body       string `json:"body"`
			}
			if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode != tt.wantStatus {
				t.Errorf("answer = %d %s, want %d", resp.StatusCode, resp.Body, tt.wantStatus)
			}
		})
	}
}
