package config

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/immagnify/immagnify/internal/resources"
)

func fullEnv() map[string]string {
	key := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("k", 32)))
	env := map[string]string{
		EnvPublicBaseURL: "https://privacy.example/", EnvMailFrom: "privacy@example.com",
		EnvLinkKey: key, EnvSuppressionKey: key,
		resources.QueueEnv(resources.QueueRecipientNotices):   "https://sqs.example/q",
		resources.StateMachineEnv(resources.StateMachineDSAR): "arn:aws:states:eu-west-1:1:stateMachine:dsar",
	}
	for _, t := range resources.Tables() {
		env[resources.TableEnv(t.Name)] = "prod-" + t.Name
	}
	return env
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		fn      string
		edit    func(map[string]string)
		wantErr string
	}{
		{"intake complete", resources.FunctionIntake, func(map[string]string) {}, ""},
		{"every function complete", "", func(map[string]string) {}, ""},
		{"missing table", resources.FunctionIntake,
			func(e map[string]string) { delete(e, "REQUESTS_TABLE") }, "REQUESTS_TABLE is not set"},
		{"short key", resources.FunctionFulfil,
			func(e map[string]string) { e[EnvSuppressionKey] = "c2hvcnQ=" }, "SUPPRESSION_KEY must be base64"},
		{"bad duration", resources.FunctionVerify,
			func(e map[string]string) { e[EnvVerifyTimeout] = "a week" }, "VERIFY_TIMEOUT must be"},
		{"negative duration", resources.FunctionVerify,
			func(e map[string]string) { e[EnvVerifyTimeout] = "-1h" }, "VERIFY_TIMEOUT must be"},
		{"verification wait too short", resources.FunctionIntake,
			func(e map[string]string) { e[EnvVerifyTimeout] = "500ms" }, "VERIFY_TIMEOUT must be between"},
		{"verification wait past the execution limit", resources.FunctionIntake,
			func(e map[string]string) { e[EnvVerifyTimeout] = "2200h" }, "VERIFY_TIMEOUT must be between"},
		{"unknown function", "search", func(map[string]string) {}, `unknown function "search"`},
		{"several missing on one line", resources.FunctionFulfil, func(e map[string]string) {
			delete(e, EnvMailFrom)
			delete(e, "CONTACTS_TABLE")
		}, "CONTACTS_TABLE is not set; MAIL_FROM is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fns := []string{tt.fn}
			if tt.fn == "" {
				fns = nil
				for _, f := range resources.Functions() {
					fns = append(fns, f.Name)
				}
			}
			for _, fn := range fns {
				env := fullEnv()
				tt.edit(env)
				s, err := Load(func(k string) string { return env[k] }, fn)
				if tt.wantErr == "" {
					if err != nil {
						t.Fatalf("Load(%s) = %v", fn, err)
					}
					if s.VerifyTimeout != DefaultVerifyTimeout || s.PublicBaseURL != "https://privacy.example" {
						t.Errorf("Load(%s) defaults = %v %q", fn, s.VerifyTimeout, s.PublicBaseURL)
					}
					continue
				}
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "\n") {
					t.Errorf("Load(%s) = %v, want one line containing %q", fn, err, tt.wantErr)
				}
			}
		})
	}
	env := fullEnv()
	env[EnvVerifyTimeout] = "36h"
	s, err := Load(func(k string) string { return env[k] }, resources.FunctionVerify)
	if err != nil || s.VerifyTimeout != 36*time.Hour {
		t.Errorf("VERIFY_TIMEOUT=36h gives %v, %v", s.VerifyTimeout, err)
	}
}
