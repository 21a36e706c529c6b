package graph

import (
	"context"
	"errors"
	"strings"
)

// Me returns the signed-in user (GET /v1.0/me), read once and cached.
func (c *Client) Me(ctx context.Context) (Identity, error) {
	u, err := c.meUser(ctx)
	if err != nil {
		return Identity{}, err
	}
	return Identity{ID: u.ID, DisplayName: u.DisplayName}, nil
}

// meUser holds meMu while fetching so concurrent decisions share one GET.
func (c *Client) meUser(ctx context.Context) (wireUser, error) {
	c.meMu.Lock()
	defer c.meMu.Unlock()
	if c.me != nil {
		return *c.me, nil
	}
	var u wireUser
	if err := c.getJSON(ctx, c.base+pathMe+"?$select=id,displayName,userPrincipalName,mail", &u); err != nil {
		return wireUser{}, err
	}
	if u.ID == "" {
		return wireUser{}, errors.New("graph: /me returned no id")
	}
	c.me = &u
	return u, nil
}

// cachedMe is the signed-in user when already read; it sends nothing.
func (c *Client) cachedMe() (wireUser, bool) {
	c.meMu.Lock()
	defer c.meMu.Unlock()
	if c.me == nil {
		return wireUser{}, false
	}
	return *c.me, true
}

// isMe reports whether a reviewer identity is the signed-in user. Graph
// puts the object id in reviewedBy.id; the principal name and mail are
// accepted too, in case a service puts those there.
func isMe(who Identity, me wireUser) bool {
	if who.ID == "" {
		return false
	}
	for _, mine := range []string{me.ID, me.UserPrincipalName, me.Mail} {
		if mine != "" && strings.EqualFold(who.ID, mine) {
			return true
		}
	}
	return false
}
