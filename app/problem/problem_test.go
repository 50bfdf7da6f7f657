package problem

import (
	"errors"
	"fmt"
	"testing"
)

func TestInvalid(t *testing.T) {
	t.Parallel()

	v := NewInvalid()
	if v.Err() != nil {
		t.Fatal("an empty Invalid should be no error")
	}
	v.Add("title", "Enter a title.")
	v.Add("title", "second message is dropped")
	v.Add("target", "Enter a number.")

	err := fmt.Errorf("update goal 3: %w", v.Err())
	got, ok := AsInvalid(err)
	if !ok {
		t.Fatalf("AsInvalid(%v) found nothing", err)
	}
	if got.Fields["title"] != "Enter a title." || !got.Has("target") || got.Has("unit") {
		t.Errorf("fields = %v", got.Fields)
	}
	want := "update goal 3: invalid input: target: Enter a number.; title: Enter a title."
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if _, ok := AsInvalid(errors.New("other")); ok {
		t.Error("AsInvalid matched a plain error")
	}
}
