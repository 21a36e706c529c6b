package serve

import (
	"sync"
	"time"
)

// Keeper holds one value per SSH key (a key's sign-in, with its tokens)
// in memory: shared by that key's sessions while any is open, then
// dropped, or kept for the key's reconnects up to a remember duration.
// No key can reach another key's value. Nothing is written to disk.
type Keeper[T any] struct {
	remember time.Duration
	now      func() time.Time

	mu   sync.Mutex
	held map[string]*kept[T]
}

type kept[T any] struct {
	v       T
	users   int
	expires time.Time // when users is 0
}

// NewKeeper keeps a key's value for remember after its last session ends
// (0: dropped at once). now is the clock (nil: time.Now).
func NewKeeper[T any](remember time.Duration, now func() time.Time) *Keeper[T] {
	if now == nil {
		now = time.Now
	}
	return &Keeper[T]{remember: remember, now: now, held: map[string]*kept[T]{}}
}

// Acquire returns key's value, making it with fresh when none is held (or
// the remembered one expired). Each Acquire needs a Release.
func (k *Keeper[T]) Acquire(key string, fresh func() (T, error)) (T, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.sweepLocked()
	if e, ok := k.held[key]; ok {
		e.users++
		return e.v, nil
	}
	v, err := fresh()
	if err != nil {
		return v, err
	}
	k.held[key] = &kept[T]{v: v, users: 1}
	return v, nil
}

// Release ends one session's use of key's value.
func (k *Keeper[T]) Release(key string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	e, ok := k.held[key]
	if !ok {
		return
	}
	if e.users--; e.users > 0 {
		return
	}
	if k.remember <= 0 {
		delete(k.held, key)
		return
	}
	e.expires = k.now().Add(k.remember)
}

// Forget drops key's value now, whoever uses it (a sign-in as the wrong
// user must not be remembered).
func (k *Keeper[T]) Forget(key string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.held, key)
}

// Len is how many keys have a value held.
func (k *Keeper[T]) Len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.sweepLocked()
	return len(k.held)
}

func (k *Keeper[T]) sweepLocked() {
	now := k.now()
	for key, e := range k.held {
		if e.users == 0 && !now.Before(e.expires) {
			delete(k.held, key)
		}
	}
}
