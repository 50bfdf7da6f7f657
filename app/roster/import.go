package roster

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"goaltracker/app/access"
	"goaltracker/app/problem"
)

// Import is an uploaded roster file waiting in roster_import to be
// committed, or committed already.
type Import struct {
	bun.BaseModel `bun:"table:roster_import,alias:ri"`

	ID          int64     `bun:"id_roster_import,pk,autoincrement"`
	DistrictID  int64     `bun:"id_school_district,notnull"`
	ProgramID   int64     `bun:"id_program,notnull"`
	UploadedBy  int64     `bun:"uploaded_by,nullzero"`
	Filename    string    `bun:"filename,notnull"`
	Content     []byte    `bun:"content,notnull"`
	CreatedAt   time.Time `bun:"created_at,nullzero,default:now()"`
	CommittedAt time.Time `bun:"committed_at,nullzero"`
	Added       int       `bun:"added_count,nullzero"`
	Changed     int       `bun:"changed_count,nullzero"`
	Unchanged   int       `bun:"unchanged_count,nullzero"`
}

// IsCommitted reports whether the import was committed.
func (imp *Import) IsCommitted() bool { return !imp.CommittedAt.IsZero() }

// Upload is a file someone wants to import into a program.
type Upload struct {
	ProgramID int64
	Filename  string
	Content   []byte
}

// Preview is what committing an import would do: each student row as new,
// changed or unchanged, and every problem by line. An import with any
// problem cannot be committed.
type Preview struct {
	Import      *Import
	ProgramName string
	New         []Item
	Changed     []Item
	Unchanged   []Item
	Errors      []LineError
}

// Item is one student row of a preview: for a changed student what
// changes, for a new one the values it gets.
type Item struct {
	Line       int
	Identifier string
	Changes    []Change

	values    values
	studentID int64
}

// Stage keeps an uploaded file and returns its preview; nothing else is
// written. A program who may not manage is a *problem.Invalid on
// "program"; a missing file one on "file".
func (s *Service) Stage(ctx context.Context, who *access.Principal, u Upload) (*Preview, error) {
	inv := problem.NewInvalid()
	prog, err := s.program(ctx, who, u.ProgramID)
	if errors.Is(err, problem.ErrNotFound) {
		inv.Add("program", "Choose a program from the list.")
	} else if err != nil {
		return nil, err
	}
	if u.Filename == "" && len(u.Content) == 0 {
		inv.Add("file", "Choose a CSV file to upload.")
	}
	if err := inv.Err(); err != nil {
		return nil, err
	}

	if err := s.dropStale(ctx); err != nil {
		return nil, err
	}
	imp := &Import{DistrictID: prog.DistrictID, ProgramID: prog.ID, UploadedBy: who.UserID,
		Filename: cleanFilename(u.Filename), Content: u.Content}
	if imp.Content == nil {
		imp.Content = []byte{}
	}
	if _, err := s.db.NewInsert().Model(imp).Returning("id_roster_import, created_at").
		Exec(ctx); err != nil {
		return nil, fmt.Errorf("stage roster import into program %d: %w", prog.ID, err)
	}
	return check(ctx, s.db, imp, prog.Name)
}

// StagedDays is how long an uploaded file waits for its commit; older
// previews are deleted, and committing them answers 404.
const StagedDays = 7

// dropStale deletes the files staged more than StagedDays ago and never
// committed, so that abandoned previews do not pile up.
func (s *Service) dropStale(ctx context.Context) error {
	_, err := s.db.NewDelete().Model((*Import)(nil)).
		Where("committed_at IS NULL AND created_at < now() - make_interval(days => ?)", StagedDays).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete stale roster imports: %w", err)
	}
	return nil
}

// cleanFilename keeps a file's name fit to store and show: valid UTF-8,
// without folders, at most 255 characters.
func cleanFilename(name string) string {
	name = strings.ToValidUTF8(name, "?")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if name = strings.TrimSpace(name); name == "" {
		name = "roster.csv"
	}
	if utf8.RuneCountInString(name) > 255 {
		name = string([]rune(name)[:255])
	}
	return name
}

// loadImport reads import id, locked for the transaction when forUpdate.
func (s *Service) loadImport(ctx context.Context, db bun.IDB, who *access.Principal, id int64,
	forUpdate bool) (*Import, error) {
	imp := new(Import)
	q := db.NewSelect().Model(imp).Where("id_roster_import = ?", id)
	if forUpdate {
		q = q.For("UPDATE")
	}
	err := q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("load roster import %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load roster import %d: %w", id, err)
	}
	if !who.CanScope("roster", "manage", imp.DistrictID, imp.ProgramID) {
		return nil, fmt.Errorf("load roster import %d: %w", id, problem.ErrNotFound)
	}
	return imp, nil
}

// check parses imp's file and sorts its rows against the district's
// students: a row whose identifier no student of the district has is new;
// one that a student of the import's program has is changed or unchanged;
// one that belongs to a student of another program is an error.
func check(ctx context.Context, db bun.IDB, imp *Import, programName string) (*Preview, error) {
	p := &Preview{Import: imp, ProgramName: programName}
	rows, errs := ParseCSV(imp.Content)
	p.Errors = errs
	existing, err := findIdentifiers(ctx, db, imp.DistrictID, rows)
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		p.sort(row, existing[strings.ToLower(row.Identifier)])
	}
	sortErrors(p.Errors)
	return p, nil
}

// sort files row under new, changed, unchanged or errors, given the
// district's students with its identifier.
func (p *Preview) sort(row Row, matches []Student) {
	item := Item{Line: row.Line, Identifier: row.Identifier, values: row.values}
	var mine []Student
	for _, m := range matches {
		if m.ProgramID != p.Import.ProgramID {
			p.Errors = append(p.Errors, LineError{row.Line, fmt.Sprintf("The identifier %s already "+
				"belongs to a student of another program (%s). Move that student first, or fix the "+
				"identifier.", row.Identifier, m.ProgramName)})
			return
		}
		mine = append(mine, m)
	}
	switch len(mine) {
	case 0:
		// A new student's changes are its values, set from nothing.
		item.Changes = diff(Student{Identifier: row.Identifier}, row.values)
		p.New = append(p.New, item)
	case 1:
		item.studentID, item.Changes = mine[0].ID, diff(mine[0], row.values)
		if len(item.Changes) == 0 {
			p.Unchanged = append(p.Unchanged, item)
		} else {
			p.Changed = append(p.Changed, item)
		}
	default:
		p.Errors = append(p.Errors, LineError{row.Line, fmt.Sprintf("Several students of the "+
			"program have the identifier %s; fix them in the roster first.", row.Identifier)})
	}
}

// findIdentifiers returns the district's students holding the rows'
// identifiers, keyed by the identifier in lower case.
func findIdentifiers(ctx context.Context, db bun.IDB, districtID int64,
	rows []Row) (map[string][]Student, error) {
	out := map[string][]Student{}
	if len(rows) == 0 {
		return out, nil
	}
	keys := make([]string, len(rows))
	for i, r := range rows {
		keys[i] = strings.ToLower(r.Identifier)
	}
	var found []Student
	err := studentQuery(db).
		Where("p.id_school_district = ?", districtID).
		Where("lower(st.identifier) = ANY (?::text[])", pgArray(keys)).
		OrderExpr("st.id_student").Scan(ctx, &found)
	if err != nil {
		return nil, fmt.Errorf("look up identifiers of district %d: %w", districtID, err)
	}
	for _, st := range found {
		k := strings.ToLower(st.Identifier)
		out[k] = append(out[k], st)
	}
	return out, nil
}

func sortErrors(errs []LineError) {
	slices.SortStableFunc(errs, func(a, b LineError) int { return cmp.Compare(a.Line, b.Line) })
}
