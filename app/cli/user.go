package cli

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"goaltracker/app/account"
	"goaltracker/app/db"
	"goaltracker/app/district"
	"goaltracker/app/problem"
)

// accountSettings turns the configuration into the account rules.
func accountSettings(env Env) account.Settings {
	c := env.Config
	return account.Settings{Hash: account.DefaultHashParams, Policy: account.DefaultPasswordPolicy,
		HistoryCount: c.PasswordHistory, LockoutThreshold: c.LockoutThreshold,
		LockoutDuration: c.LockoutDuration, SessionIdle: c.SessionIdleTimeout,
		SessionLifetime: c.SessionLifetime, ResetTokenLifetime: c.ResetTokenLifetime}
}

// user manages accounts from the shell: add one (the way the first district
// admin of a real installation is made), set a password, unlock, deactivate.
func user(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: user add|reset-password|unlock|deactivate", ErrUsage)
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	email := fs.String("email", "", "the account's email")
	name := fs.String("name", "", "the person's name")
	role := fs.String("role", "", "role name, such as district_admin")
	programName := fs.String("program", "", "program to join (created if missing)")
	districtName := fs.String("district", "", "district (created if missing)")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 || *email == "" {
		return fmt.Errorf("%w: user %s needs --email", ErrUsage, args[0])
	}

	return withDatabase(ctx, env, func(_ *db.Server, d *db.DB) error {
		accounts, err := account.NewService(d, accountSettings(env))
		if err != nil {
			return err
		}
		switch args[0] {
		case "add":
			return addUser(ctx, env, d, accounts, userFlags{*email, *name, *role, *programName, *districtName})
		case "reset-password":
			return resetUserPassword(ctx, env, accounts, *email)
		case "unlock", "deactivate":
			u, err := accounts.UserByEmail(ctx, *email)
			if err != nil {
				return err
			}
			if args[0] == "unlock" {
				err = accounts.Unlock(ctx, u.ID, "command line")
			} else {
				err = accounts.Deactivate(ctx, u.ID, "command line")
			}
			if err == nil {
				fmt.Fprintf(env.Out, "%s: %s done\n", u.Email, args[0])
			}
			return err
		}
		return fmt.Errorf("%w: user %q", ErrUsage, args[0])
	})
}

type userFlags struct{ email, name, role, program, district string }

func addUser(ctx context.Context, env Env, d *db.DB, accounts *account.Service, f userFlags) error {
	if f.name == "" || f.role == "" {
		return fmt.Errorf("%w: user add needs --email, --name and --role", ErrUsage)
	}
	districts := district.NewService(d.DB)
	var dist *district.District
	var err error
	if f.district != "" {
		cal := district.Calendar{StartMonth: env.Config.SchoolYearStart, Today: time.Now()}
		dist, err = districts.EnsureDistrict(ctx, f.district, cal)
	} else {
		dist, err = districts.OnlyDistrict(ctx)
	}
	if err != nil {
		return err
	}

	nu := account.NewUser{Email: f.email, Name: f.name, RoleName: f.role, DistrictID: dist.ID}
	if f.program != "" {
		prog, err := districts.EnsureProgram(ctx, dist.ID, f.program)
		if err != nil {
			return err
		}
		nu.ProgramID = prog.ID
	}
	password, generated, err := readPassword(env)
	if err != nil {
		return err
	}
	nu.Password = password
	u, err := accounts.CreateUser(ctx, nu)
	if err != nil {
		return explain(err)
	}
	fmt.Fprintf(env.Out, "added %s (%s) in %s\n", u.Email, f.role, dist.Name)
	if generated {
		fmt.Fprintf(env.Out, "password (shown once): %s\n", password)
	}
	return nil
}

func resetUserPassword(ctx context.Context, env Env, accounts *account.Service, email string) error {
	u, err := accounts.UserByEmail(ctx, email)
	if err != nil {
		return err
	}
	password, generated, err := readPassword(env)
	if err != nil {
		return err
	}
	if err := accounts.SetPassword(ctx, u.ID, password); err != nil {
		return explain(err)
	}
	fmt.Fprintf(env.Out, "%s: password set, sessions ended\n", u.Email)
	if generated {
		fmt.Fprintf(env.Out, "password (shown once): %s\n", password)
	}
	return nil
}

// readPassword takes the first line of standard input when it is a pipe or
// a file, and otherwise makes up a strong password to print once.
func readPassword(env Env) (string, bool, error) {
	in := env.In
	if in == nil {
		in = os.Stdin
	}
	if f, ok := in.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return generatePassword(), true, nil
		}
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("read password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return generatePassword(), true, nil
	}
	return line, false, nil
}

// generatePassword returns 20 characters from an alphabet without
// look-alikes (no 0/O, 1/l/I): about 110 bits.
func generatePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// explain turns a validation failure into a message for the shell.
func explain(err error) error {
	if inv, ok := problem.AsInvalid(err); ok {
		var parts []string
		for field, msg := range inv.Fields {
			parts = append(parts, "--"+field+": "+msg)
		}
		return errors.New(strings.Join(parts, "; "))
	}
	return err
}
