package audit

// Actor is the person making a change, as the change's audit event names
// them: by id, by email (so the log reads after an account is gone) and by
// the address the request came from.
type Actor struct {
	UserID int64
	Email  string
	IP     string
}

// Event returns an event of action by a in district, about the record of
// recordType and id, with details.
func (a Actor) Event(action string, districtID int64, recordType string, id int64,
	details map[string]any) *Event {
	return &Event{Action: action, UserID: a.UserID, ActorEmail: a.Email, IP: a.IP,
		DistrictID: districtID, RecordType: recordType, RecordID: id, Details: details}
}
