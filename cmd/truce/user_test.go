package main

import (
	"bytes"
	"database/sql"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// runIn runs the truce command in this process with stdin.
func runIn(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	root := newRoot()
	var out, errb bytes.Buffer
	root.SetIn(strings.NewReader(stdin))
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(append(args, "--log-level", "debug"))
	err = root.ExecuteContext(t.Context())
	return out.String(), errb.String(), err
}

// TestUserCommands adds users with passwords read from stdin, makes a token
// and lists the users; the password and the token are stored only as hashes.
func TestUserCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "truce.db")
	const password = "a long enough secret"
	tests := []struct {
		name, stdin string
		args        []string
		wantErr     string
		wantOut     string
	}{
		{"add analyst", password + "\n", []string{"user", "add", "ana", "--role", "analyst"}, "", "user ana added with the role analyst"},
		{"add viewer, no newline", password, []string{"user", "add", "vic"}, "", "user vic added with the role viewer"},
		{"add token-only admin", "", []string{"user", "add", "bot", "--role", "admin", "--no-password"}, "", "role admin"},
		{"duplicate", password + "\n", []string{"user", "add", "ana", "--role", "analyst"}, "exists already", ""},
		{"bad role", password + "\n", []string{"user", "add", "eve", "--role", "root"}, `role "root"`, ""},
		{"short password", "short\n", []string{"user", "add", "eve"}, "at least 10 characters", ""},
		{"no password", "", []string{"user", "add", "eve"}, "give it on stdin", ""},
		{"token of nobody", "", []string{"user", "token", "nobody"}, "not found", ""},
		{"list", "", []string{"user", "list"}, "", "ana   analyst  yes"},
	}
	var all bytes.Buffer
	for _, tc := range tests {
		out, errs, err := runIn(t, tc.stdin, append(tc.args, "--db", db)...)
		all.WriteString(out + errs)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: error %v, want %q", tc.name, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !strings.Contains(out, tc.wantOut) {
			t.Errorf("%s: %v, output %q, want %q", tc.name, err, out, tc.wantOut)
		}
	}
	tok, errs, err := runIn(t, "", "user", "token", "ana", "--db", db)
	all.WriteString(errs)
	tok = strings.TrimSpace(tok)
	if err != nil || !strings.HasPrefix(tok, "truce_") || !strings.Contains(errs, "shown only now") {
		t.Fatalf("token: %q %q %v", tok, errs, err)
	}
	if strings.Contains(all.String(), password) {
		t.Error("a command printed or logged the password")
	}
	sdb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var hashes, tokens string
	if err := sdb.QueryRow("SELECT group_concat(password_hash, ' ') FROM users").Scan(&hashes); err != nil {
		t.Fatal(err)
	}
	if err := sdb.QueryRow("SELECT group_concat(hash, ' ') FROM api_tokens").Scan(&tokens); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(hashes, password) || strings.Count(hashes, "pbkdf2-sha256$600000$") != 2 {
		t.Errorf("password_hash column: %q", hashes)
	}
	if strings.Contains(tokens, tok) || len(tokens) != 64 {
		t.Errorf("api_tokens.hash column: %q", tokens)
	}
}

// TestPublicRead checks when serve lets anyone read without a login.
func TestPublicRead(t *testing.T) {
	tests := []struct {
		mode, addr string
		want       bool
		err        bool
	}{
		{"auto", "127.0.0.1:8080", true, false},
		{"auto", "localhost:8080", true, false},
		{"auto", "[::1]:8080", true, false},
		{"auto", "0.0.0.0:8080", false, false},
		{"auto", ":8080", false, false},
		{"auto", "192.0.2.7:80", false, false},
		{"", "127.0.0.1:0", true, false},
		{"true", "0.0.0.0:8080", true, false},
		{"false", "127.0.0.1:8080", false, false},
		{"sometimes", "127.0.0.1:8080", false, true},
	}
	for _, tc := range tests {
		got, err := publicRead(tc.mode, tc.addr)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("publicRead(%q, %q) = %v, %v; want %v (error %v)", tc.mode, tc.addr, got, err, tc.want, tc.err)
		}
	}
}

// getStatus is the status of a GET of url.
func getStatus(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
