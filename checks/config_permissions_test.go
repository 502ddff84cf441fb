package checks

import (
	"io/fs"
	"testing"
)

func TestConfigReadableWithSecret(t *testing.T) {
	cases := []struct {
		name    string
		mode    fs.FileMode
		literal bool
		path    string
		want    []string
		command string
		skip    bool
	}{
		{"owner only", 0o600, true, "contio-doctor.yaml", nil, "", false},
		{"no literal secret", 0o644, false, "contio-doctor.yaml", nil, "", false},
		{"world readable", 0o644, true, "contio-doctor.yaml", []string{"contio-doctor.yaml has mode 0644, readable by every user, and holds admin.api_key"}, "chmod 600 contio-doctor.yaml", false},
		{"group readable", 0o640, true, "conf/my app.yaml", []string{"conf/my app.yaml has mode 0640, readable by its group"}, "chmod 600 'conf/my app.yaml'", false},
		{"mode unknown", 0, true, "contio-doctor.yaml", nil, "", true},
		{"no config file", 0o644, true, "", nil, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ig := credIG()
			ig.ConfigMode, ig.ConfigPath = tc.mode, tc.path
			ig.Admin.APIKey.Literal = tc.literal
			fs, err := credRun(t, "CD1007", ig)
			if _, skipped := IsSkip(err); skipped != tc.skip {
				t.Fatalf("err = %v, want skip %v", err, tc.skip)
			}
			var msgs []string
			for _, f := range fs {
				msgs = append(msgs, f.Message)
			}
			assertMessages(t, msgs, tc.want...)
			if tc.command != "" && (len(fs[0].Commands) != 1 || fs[0].Commands[0] != tc.command) {
				t.Errorf("commands %q, want %q", fs[0].Commands, tc.command)
			}
		})
	}
}
