package db_test

import (
	"bufio"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"goaltracker/app/db"
	"goaltracker/app/db/dbtest"
)

// refColumn is one row of a table in testdata/schema_reference.md, a copy of
// the schema reference the data model implements.
type refColumn struct {
	table, name, typ, null, def, key, refs string
}

// readReference parses the reference's markdown tables: a "### `name`"
// heading, then rows of column | type | null | default | key | references.
func readReference(t *testing.T) []refColumn {
	t.Helper()
	f, err := os.Open("testdata/schema_reference.md")
	if err != nil {
		t.Fatalf("open schema reference: %v", err)
	}
	defer f.Close()

	heading := regexp.MustCompile("^### `([a-z_]+)`")
	var cols []refColumn
	var table string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if m := heading.FindStringSubmatch(line); m != nil {
			table = m[1]
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), "|")
		if table == "" || len(cells) != 6 || strings.Contains(cells[0], "Column") ||
			strings.HasPrefix(strings.TrimSpace(cells[0]), "---") {
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		cols = append(cols, refColumn{table, cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]})
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read schema reference: %v", err)
	}
	return cols
}

// pgType maps the reference's MySQL-style types to what PostgreSQL reports
// in information_schema, as the reference prescribes.
func pgType(ref string) string {
	switch {
	case ref == "int":
		return "integer"
	case ref == "tinyint(1)":
		return "boolean"
	case ref == "timestamp":
		return "timestamp with time zone"
	case strings.HasPrefix(ref, "varchar("):
		return "character varying" + strings.TrimPrefix(ref, "varchar")
	}
	return ref
}

type liveColumn struct {
	typ      string
	nullable bool
	def      string
	identity bool
}

func loadColumns(t *testing.T, d *db.DB) map[string]liveColumn {
	t.Helper()
	rows, err := d.QueryContext(context.Background(), `
		SELECT table_name, column_name,
			CASE WHEN character_maximum_length IS NOT NULL
				THEN data_type || '(' || character_maximum_length || ')' ELSE data_type END,
			is_nullable = 'YES', coalesce(column_default, ''), is_identity = 'YES'
		FROM information_schema.columns WHERE table_schema = 'public'`)
	if err != nil {
		t.Fatalf("read columns: %v", err)
	}
	defer rows.Close()

	cols := map[string]liveColumn{}
	for rows.Next() {
		var table, name string
		var c liveColumn
		if err := rows.Scan(&table, &name, &c.typ, &c.nullable, &c.def, &c.identity); err != nil {
			t.Fatalf("scan column: %v", err)
		}
		cols[table+"."+name] = c
	}
	return cols
}

// constraintSet lists the constraints of the public schema as strings:
// "PK table.col", "FK table.col -> other.col", "UQ table.col" for every
// column of a unique constraint or unique index, "IDX table.col" for the
// leading column of every index.
func constraintSet(t *testing.T, d *db.DB) map[string]bool {
	t.Helper()
	set := map[string]bool{}
	queries := []string{
		// Primary and foreign keys, one row per column pair.
		`SELECT CASE c.contype WHEN 'p' THEN 'PK ' ELSE 'FK ' END
				|| rel.relname || '.' || a.attname
				|| CASE WHEN c.contype = 'f' THEN ' -> ' || frel.relname || '.' || fa.attname ELSE '' END
			FROM pg_constraint c
			JOIN pg_class rel ON rel.oid = c.conrelid
			JOIN pg_namespace n ON n.oid = rel.relnamespace AND n.nspname = 'public'
			CROSS JOIN LATERAL unnest(c.conkey, coalesce(c.confkey, c.conkey)) AS k(col, fcol)
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
			LEFT JOIN pg_class frel ON frel.oid = c.confrelid
			LEFT JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = k.fcol
			WHERE c.contype IN ('p', 'f')`,
		// Unique indexes (constraints make one too), with expression
		// indexes such as lower(email) reported by the column they use.
		`SELECT 'UQ ' || rel.relname || '.' || a.attname
			FROM pg_index i
			JOIN pg_class rel ON rel.oid = i.indrelid
			JOIN pg_namespace n ON n.oid = rel.relnamespace AND n.nspname = 'public'
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum > 0
				AND (a.attnum = ANY (i.indkey) OR pg_get_indexdef(i.indexrelid) LIKE '%(' || a.attname || ')%')
			WHERE i.indisunique AND NOT i.indisprimary`,
		`SELECT 'IDX ' || rel.relname || '.' || a.attname
			FROM pg_index i
			JOIN pg_class rel ON rel.oid = i.indrelid
			JOIN pg_namespace n ON n.oid = rel.relnamespace AND n.nspname = 'public'
			JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]`,
	}
	for _, q := range queries {
		rows, err := d.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatalf("read constraints: %v", err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatalf("scan constraint: %v", err)
			}
			set[s] = true
		}
		rows.Close()
	}
	return set
}

// TestSchemaMatchesReference proves that every table, column, type, null
// rule, default and key of the schema reference exists in the migrated
// database.
func TestSchemaMatchesReference(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	ref := readReference(t)
	if len(ref) < 80 {
		t.Fatalf("read %d columns from the reference; the parser lost some", len(ref))
	}
	live := loadColumns(t, d)
	keys := constraintSet(t, d)

	tables, fks := map[string]bool{}, 0
	for _, rc := range ref {
		tables[rc.table] = true
		id := rc.table + "." + rc.name
		c, ok := live[id]
		if !ok {
			t.Errorf("column %s is missing", id)
			continue
		}
		checkColumn(t, id, rc, c)
		fks += checkKeys(t, id, rc, keys)
	}
	if len(tables) != 15 {
		t.Errorf("the reference parsed into %d tables, want 15", len(tables))
	}
	if fks != 22 {
		t.Errorf("checked %d foreign keys, want the reference's 22", fks)
	}
}

func checkColumn(t *testing.T, id string, rc refColumn, c liveColumn) {
	t.Helper()
	if want := pgType(rc.typ); c.typ != want {
		t.Errorf("%s has type %s, want %s", id, c.typ, want)
	}
	if (rc.null == "NN") == c.nullable {
		t.Errorf("%s nullable = %v, reference says %s", id, c.nullable, rc.null)
	}
	if strings.Contains(rc.key, "PK") && !c.identity {
		t.Errorf("%s is a key but not an identity column", id)
	}
	if rc.def != "—" && !strings.HasPrefix(c.def, rc.def) &&
		!(rc.def == "0" && c.def == "false") {
		t.Errorf("%s default is %q, want %s", id, c.def, rc.def)
	}
}

// checkKeys checks the key column of one reference row and returns the
// number of foreign keys it checked.
func checkKeys(t *testing.T, id string, rc refColumn, keys map[string]bool) int {
	t.Helper()
	if strings.Contains(rc.key, "PK") && !keys["PK "+id] {
		t.Errorf("%s is not the primary key", id)
	}
	if strings.Contains(rc.key, "UQ") && !keys["UQ "+id] {
		t.Errorf("%s has no unique key", id)
	}
	if strings.Contains(rc.key, "IDX") && !keys["IDX "+id] {
		t.Errorf("%s has no index", id)
	}
	if !strings.Contains(rc.key, "FK") {
		return 0
	}
	target := strings.TrimSpace(strings.TrimSuffix(rc.refs, "(self)"))
	if !keys["FK "+id+" -> "+target] {
		t.Errorf("%s has no foreign key to %s", id, target)
	}
	return 1
}

// TestUserEmailIsUniqueIgnoringCase covers the column the reference lost
// the name of: email, unique whatever its case.
func TestUserEmailIsUniqueIgnoringCase(t *testing.T) {
	t.Parallel()
	d := dbtest.New(t)
	ctx := context.Background()

	if _, err := d.ExecContext(ctx, `INSERT INTO "user" (email) VALUES ('Ada@Example.org')`); err != nil {
		t.Fatalf("insert user: %v", err)
	}
	_, err := d.ExecContext(ctx, `INSERT INTO "user" (email) VALUES ('ada@example.ORG')`)
	if err == nil || !strings.Contains(err.Error(), "user_email_key") {
		t.Fatalf("a second account with the same email in other case was accepted: %v", err)
	}
}
