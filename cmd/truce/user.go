package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/truce-monitor/truce/server/auth"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/open"
)

func init() {
	commands = append(commands, newUserCmd)
}

func newUserCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user add|token|list",
		Short: "Manage the users who log in to the page and the API tokens of scripts",
		Long: `user manages the accounts of the monitor (docs/review.md). Roles: viewer (reads), analyst (also
accepts, rejects and corrects events and links them to provisions), admin (all of it).

  truce user add NAME --role analyst   asks for the password (on the terminal, or one line of stdin)
  truce user token NAME                makes an API token for scripts and prints it once
  truce user list                      lists the users

Passwords are never taken from a flag and never stored or logged: the database keeps a PBKDF2-SHA256
hash. API tokens are stored as SHA-256 hashes: keep the printed token, it cannot be shown again.`,
	}
	cmd.AddCommand(newUserAddCmd(g), newUserTokenCmd(g), newUserListCmd(g))
	return cmd
}

func newUserAddCmd(g *globals) *cobra.Command {
	var role string
	var noPassword bool
	cmd := &cobra.Command{
		Use:   "add NAME [--role viewer|analyst|admin] [--no-password]",
		Short: "Add a user; the password is read from the terminal or from stdin",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if err := store.ValidateUser(name, role); err != nil {
				return err
			}
			var hash string
			if !noPassword {
				pw, err := readPassword(cmd.InOrStdin(), cmd.ErrOrStderr())
				if err != nil {
					return err
				}
				if hash, err = auth.HashPassword(pw); err != nil {
					return err
				}
			}
			st, err := open.Open(cmd.Context(), g.db)
			if err != nil {
				return fmt.Errorf("open database %s: %w", g.db, err)
			}
			defer st.Close()
			u, err := st.CreateUser(cmd.Context(), name, role, hash)
			if err != nil {
				return fmt.Errorf("add user: %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "user %s added with the role %s\n", u.Name, u.Role)
			return nil
		},
	}
	cmd.Flags().StringVar(&role, "role", store.RoleViewer, "role: "+strings.Join(store.Roles, ", "))
	cmd.Flags().BoolVar(&noPassword, "no-password", false, "an account without a password (API tokens only)")
	return cmd
}

// readPassword asks for a password twice on a terminal, or reads the first
// line of in when it is not a terminal.
func readPassword(in io.Reader, prompt io.Writer) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(prompt, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(prompt, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(a) != string(b) {
			return "", errors.New("the passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New("read password: give it on stdin, one line")
	}
	pw := strings.TrimRight(line, "\r\n")
	if len(pw) < auth.MinPassword {
		return "", fmt.Errorf("password: want at least %d characters", auth.MinPassword)
	}
	return pw, nil
}

func newUserTokenCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "token NAME",
		Short: "Make an API token for a user and print it once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := open.Open(cmd.Context(), g.db)
			if err != nil {
				return fmt.Errorf("open database %s: %w", g.db, err)
			}
			defer st.Close()
			u, err := st.UserByName(cmd.Context(), args[0])
			if err != nil {
				return fmt.Errorf("token: %w", err)
			}
			tok, err := auth.NewToken()
			if err != nil {
				return err
			}
			if err := st.AddToken(cmd.Context(), u.ID, auth.HashSecret(tok)); err != nil {
				return fmt.Errorf("token: %w", err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "API token of %s (%s); it is shown only now. Send it as \"Authorization: Bearer TOKEN\".\n", u.Name, u.Role)
			fmt.Fprintln(cmd.OutOrStdout(), tok)
			return nil
		},
	}
}

func newUserListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the users and their roles",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := open.Open(cmd.Context(), g.db)
			if err != nil {
				return fmt.Errorf("open database %s: %w", g.db, err)
			}
			defer st.Close()
			us, err := st.Users(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tROLE\tPASSWORD\tCREATED")
			for _, u := range us {
				pw := "yes"
				if u.PasswordHash == "" {
					pw = "no"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, u.Role, pw, u.CreatedAt.Format(time.DateTime))
			}
			if len(us) == 0 {
				fmt.Fprintln(tw, "(no users: truce user add NAME --role analyst)")
			}
			return tw.Flush()
		},
	}
}
