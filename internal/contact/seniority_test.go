package contact

import "testing"

func TestSeniorityOf(t *testing.T) {
	tests := []struct {
		title string
		want  Seniority
	}{
		{"Chief Executive Officer", CLevel},
		{"CFO", CLevel},
		{"Vice President of Sales", VP},
		{"SVP, Engineering", VP},
		{"Head of Data", VP},
		{"Director of Marketing", Director},
		{"Engineering Manager", Manager},
		{"Team Lead", Manager},
		{"Senior Software Engineer", Senior},
		{"Sr. Accountant", Senior},
		{"Software Engineer", Entry},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			if got := SeniorityOf(tt.title); got != tt.want {
				t.Errorf("SeniorityOf(%q) = %q, want %q", tt.title, got, tt.want)
			}
		})
	}
}
