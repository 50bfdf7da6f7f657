package access

import "github.com/uptrace/bun"

// StudentAs is the student with id, authorised under resource: for
// checking, say, whether goals may be created for that student.
func StudentAs(resource string, id int64) Record {
	return Record{Resource: resource, Table: "student", IDColumn: "id_student", ID: id}
}

// Allows returns a subquery for EXISTS (?) that is true when p may do
// action on resource for the student whose id is studentExpr (a column of
// the outer query, such as "st.id_student"). creatorExpr names the outer
// column holding a record's author for the own scope, or is empty. With it
// a query can say, row by row, what the person may do, instead of asking
// once per row.
func Allows(db bun.IDB, p *Principal, resource, action, studentExpr, creatorExpr string) *bun.SelectQuery {
	q := db.NewSelect().TableExpr("student AS sx").ColumnExpr("1").
		Where("sx.id_student = ?", bun.Safe(studentExpr))
	return Filter(q, p, resource, action, Target{StudentAlias: "sx", CreatorColumn: creatorExpr})
}
